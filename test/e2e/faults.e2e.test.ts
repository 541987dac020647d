// Fault tests on the real emulators: DynamoDB Local is stopped in the middle of a burst of
// applications and started again; the SES server is stopped during sends and started again.
// Every request either succeeds or gets a 503, nothing is half-written, and no email is lost or doubled.
// This file starts a DynamoDB Local of its own (with its data on disk) because it has to kill it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb.js';
import { freePort } from '../../local/ports.js';
import { startSesLocal, type SesLocal } from '../../local/ses.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { readInbox, waitFor } from '../../local/testing.js';
import { advanceClock } from '../../functions/shared/clock.js';

let dataDir: string;
let dynamoPort: number;
let dynamo: DynamoDbLocal | undefined;
let sesPort: number;
let ses: SesLocal | undefined;
let stack: LocalStack;
let token: string;
const unique = () => Math.random().toString(36).slice(2, 10);

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.apiUrl}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const inbox = (to: string) => readInbox({ to, storeUrl: `http://127.0.0.1:${sesPort}/store` });

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'sparraus-faults-'));
  dynamoPort = await freePort();
  dynamo = await startDynamoDbLocal({ port: dynamoPort, dataDir });
  sesPort = await freePort();
  ses = await startSesLocal({ port: sesPort });
  stack = await startLocalStack({
    port: 0,
    eventsPort: 0,
    dynamoEndpoint: dynamo.endpoint,
    sesEndpoint: `http://127.0.0.1:${sesPort}`,
    dataDir: null,
    tableName: `faults-${unique()}`,
    manualSchedules: true,
    retry: { attempts: 3, baseDelayMs: 20 },
    quiet: true,
  });
  // The SDK's own retries would stretch each failed request over seconds; the test wants the answer.
  process.env.AWS_MAX_ATTEMPTS = '1';
  token = (await call('POST', '/dev/token', { role: 'coordinator', email: 'kaisa@example.fi' })).body.token;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await ses?.stop();
  await dynamo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('faults', () => {
  it('DynamoDB Local stopped mid-burst: each request succeeds or gets 503; after restart nothing is half-written and every event is handled', async () => {
    const round = await call(
      'POST',
      '/rounds',
      {
        name: 'Vikatesti',
        region: '01',
        places: 50,
        opensAt: new Date(Date.now() - 3600_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        languages: ['fi'],
      },
      { authorization: `Bearer ${token}` },
    );
    expect(round.status).toBe(201);
    const roundId: string = round.body.roundId;
    const applicants = Array.from({ length: 30 }, (_, i) => ({
      code: String(100 + i),
      email: `fault-${i}-${unique()}@example.fi`,
    }));
    const applyFor = (a: (typeof applicants)[number]) =>
      call('POST', `/rounds/${roundId}/applications`, {
        municipality: { code: a.code, name: `Kunta ${a.code}` },
        contact: { name: 'K', email: a.email },
        language: 'fi',
        themes: ['x'],
        consent: true,
      });

    const first = await Promise.all(applicants.slice(0, 10).map(applyFor));
    const during = applicants.slice(10, 20).map(async (a, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 15));
      return applyFor(a);
    });
    await dynamo!.stop(); // in the middle of the burst
    dynamo = undefined;
    const second = await Promise.all(during);
    const down = await Promise.all(applicants.slice(20).map(applyFor));

    const statuses = [...first, ...second, ...down].map((r) => r.status);
    expect(
      statuses.every((s) => s === 201 || s === 503),
      statuses.join(','),
    ).toBe(true);
    expect(down.every((r) => r.status === 503 && r.body.error.code === 'service_unavailable')).toBe(true);

    dynamo = await startDynamoDbLocal({ port: dynamoPort, dataDir });
    // Whatever failed while the table was away is retried: the client's 503s by the client, the
    // events' failures from the dead-letter list.
    const retried = await Promise.all(applicants.map(applyFor));
    expect(retried.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    await stack.settled();
    // Dead letters are replayed after a claim's lease (60 s) has passed, as EventBridge's own
    // retries and the replay command would be: a claim left by a send cut short is then free.
    advanceClock(61_000);
    await stack.bus.replayDeadLetters();
    await stack.settled();
    expect(
      stack.bus.listDeadLetters().map((d) => `${d.rule}: ${JSON.stringify((d as { error?: unknown }).error).slice(0, 300)}`),
    ).toEqual([]);

    const listing = await call('GET', `/rounds/${roundId}/applications`, undefined, { authorization: `Bearer ${token}` });
    const codes = listing.body.applications.map((a: { municipality: { code: string } }) => a.municipality.code).sort();
    expect(codes).toEqual(applicants.map((a) => a.code).sort());
    expect((await call('GET', `/rounds/${roundId}`)).body.applications).toBe(30);
    for (const a of applicants) {
      const mails = await waitFor(async () => {
        const found = await inbox(a.email);
        return found.length ? found : undefined;
      });
      expect(mails, a.email).toHaveLength(1);
    }
  }, 120_000);

  it('the SES server stopped during sends: the emails wait, and each goes out once when it is back', async () => {
    const round = await call(
      'POST',
      '/rounds',
      {
        name: 'Postikatko',
        region: '01',
        places: 5,
        opensAt: new Date(Date.now() - 3600_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        languages: ['fi', 'sv'],
      },
      { authorization: `Bearer ${token}` },
    );
    await ses!.stop();
    ses = undefined;
    const emails = Array.from({ length: 5 }, (_, i) => `ses-down-${i}-${unique()}@example.fi`);
    for (const [i, email] of emails.entries()) {
      const applied = await call('POST', `/rounds/${round.body.roundId}/applications`, {
        municipality: { code: String(200 + i), name: `Kunta ${i}` },
        contact: { name: 'K', email },
        language: 'sv',
        themes: ['x'],
        consent: true,
      });
      expect(applied.status).toBe(201);
    }
    await stack.settled();
    expect(stack.bus.listDeadLetters()).toHaveLength(0); // nothing failed: the emails wait in the outbox

    ses = await startSesLocal({ port: sesPort });
    // Twice, and moved far enough for every backoff: the outbox sends each once.
    await call('POST', '/dev/clock', { advanceBy: 'PT2H' });
    await call('POST', '/dev/clock', { advanceBy: 'PT2H' });
    for (const email of emails) expect(await inbox(email), email).toHaveLength(1);
  }, 60_000);
});
