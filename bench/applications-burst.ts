// Figure 4: N applications at once for P places over HTTP, then selection, with the exactness check;
// and the floor: the same number of raw conditional writes at once on the same DynamoDB Local.
import { ConditionalCheckFailedException, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { tableKeys } from '../infra/table-definition.js';
import { localDynamoClient } from '../local/dynamodb.js';
import type { LocalStack } from '../local/stack.js';
import { emailCount } from './lifecycle.js';
import { ApiClient } from './http.js';
import { percentiles, type Percentiles } from './report.js';

export interface ApplicationsBurstResult {
  applications: number;
  places: number;
  accepted: number;
  waitlisted: number;
  /** Non-201 answers to the applications. */
  failed: number;
  /** Applications the round lists afterwards (nothing lost means = applications). */
  stored: number;
  positionsExact: boolean;
  exact: boolean;
  durationMs: number;
  perSecond: number;
  latencyMs: Percentiles;
  selectionMs: number;
  /** From the first application until the bus had delivered everything (confirmations, outcomes). */
  untilIdleMs: number;
  emails: number;
}

export interface FloorResult {
  writes: number;
  succeeded: number;
  durationMs: number;
  perSecond: number;
  latencyMs: Percentiles;
}

const day = 24 * 3_600_000;

export async function runApplicationsBurst(
  stack: LocalStack,
  options: { applications: number; places: number },
  log: (m: string) => void,
): Promise<ApplicationsBurstResult> {
  const { applications, places } = options;
  // Municipality codes are three digits: one application per municipality per round.
  if (applications > 1000) throw new Error('At most 1000 applications: one per three-digit municipality code');
  const api = new ApiClient(stack.apiUrl);
  const coordinator = await api.token('coordinator', 'burst@bench.example.fi');
  const now = await api.now();
  const { roundId } = await api.expect<{ roundId: string }>([201], 'POST', '/rounds', {
    token: coordinator,
    json: {
      name: 'Burst round',
      region: '02',
      places,
      opensAt: new Date(now - 3_600_000).toISOString(),
      closesAt: new Date(now + 14 * day).toISOString(),
      languages: ['fi', 'sv', 'en'],
    },
  });
  const emailsBefore = await emailCount(stack);
  log(`burst: ${applications} applications at once for ${places} places`);
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: applications }, (_, i) =>
      api.call('POST', `/rounds/${roundId}/applications`, {
        json: {
          municipality: { code: String(i).padStart(3, '0'), name: `Burst ${i}` },
          contact: { name: `Burst ${i}`, email: `burst${i}@bench.example.fi` },
          language: 'fi',
          themes: ['burst'],
          consent: true,
        },
      }),
    ),
  );
  const durationMs = performance.now() - started;
  const t0 = performance.now();
  await api.expect([200], 'POST', `/rounds/${roundId}/selection`, { token: coordinator, json: { policy: 'first-come', force: true } });
  const selectionMs = performance.now() - t0;
  await stack.settled();
  const untilIdleMs = performance.now() - started;

  const listed = await api.expect<{ applications: { status: string; position?: number }[] }>(
    [200],
    'GET',
    `/rounds/${roundId}/applications`,
    { token: coordinator },
  );
  const accepted = listed.applications.filter((a) => a.status === 'accepted').length;
  const positions = listed.applications
    .filter((a) => a.status === 'waitlisted')
    .map((a) => a.position ?? 0)
    .sort((a, b) => a - b);
  const failed = answers.filter((a) => a.status !== 201).length;
  const positionsExact = positions.every((p, i) => p === i + 1);
  const stored = listed.applications.length;
  return {
    applications,
    places,
    accepted,
    waitlisted: positions.length,
    failed,
    stored,
    positionsExact,
    exact: failed === 0 && stored === applications && accepted === places && positions.length === applications - places && positionsExact,
    durationMs,
    perSecond: applications / (durationMs / 1000),
    latencyMs: percentiles(answers.map((a) => a.ms)),
    selectionMs,
    untilIdleMs,
    emails: (await emailCount(stack)) - emailsBefore,
  };
}

/**
 * The floor: `writes` conditional UpdateItems at once on one counter item, `taken < places` (the
 * shape of taking a place), with a plain client: no HTTP API, handler, validation or events.
 */
export async function runConditionalWriteFloor(
  stack: LocalStack,
  options: { writes: number; places: number },
): Promise<FloorResult> {
  const client = localDynamoClient(stack.dynamoEndpoint);
  const { partitionKey, sortKey } = tableKeys;
  const key = { [partitionKey]: { S: `BENCHFLOOR#${Date.now()}` }, [sortKey]: { S: 'COUNTER' } };
  const latencies: number[] = [];
  let succeeded = 0;
  try {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.writes }, async () => {
        const t0 = performance.now();
        try {
          await client.send(
            new UpdateItemCommand({
              TableName: stack.tableName,
              Key: key,
              UpdateExpression: 'ADD taken :one',
              ConditionExpression: 'attribute_not_exists(taken) OR taken < :places',
              ExpressionAttributeValues: { ':one': { N: '1' }, ':places': { N: String(options.places) } },
            }),
          );
          succeeded++;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
        latencies.push(performance.now() - t0);
      }),
    );
    const durationMs = performance.now() - started;
    return { writes: options.writes, succeeded, durationMs, perSecond: options.writes / (durationMs / 1000), latencyMs: percentiles(latencies) };
  } finally {
    client.destroy();
  }
}
