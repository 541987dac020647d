// The webinar registration burst (issue 5): N registrations at once for S seats, through the real
// register handler in this process, against DynamoDB Local, the SES emulator and the local bus
// (`startLocalStack`, in memory). Measures throughput and latency, and checks what must hold:
// exactly S confirmed, the rest waitlisted at positions 1..N−S, one email each.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { lambdaContext } from '../local/handlers.js';
import { startLocalStack } from '../local/stack.js';

export interface BurstOptions {
  registrations?: number;
  seats?: number;
  log?: (message: string) => void;
}

export interface BurstResult {
  registrations: number;
  seats: number;
  confirmed: number;
  waitlisted: number;
  failed: number;
  /** Waiting-list positions are exactly 1..waitlisted, each once. */
  positionsExact: boolean;
  durationMs: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Emails the SES emulator holds for the burst's addresses, and how many addresses got exactly one. */
  emails: number;
  addressesWithOneEmail: number;
  /** From the first request until the bus had delivered every resulting event. */
  untilEmailsMs: number;
}

/** The value below which `p` (0..1) of the sorted values fall (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no values');
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export async function runBurst(options: BurstOptions = {}): Promise<BurstResult> {
  const registrations = options.registrations ?? 1000;
  const seats = options.seats ?? 300;
  const log = options.log ?? (() => undefined);
  // A thousand handler log lines would bury the bench's own output.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  log('burst: starting DynamoDB Local, the SES emulator and the bus');
  const stack = await startLocalStack({
    port: 0,
    dynamoPort: 0,
    sesPort: 0,
    eventsPort: 0,
    dataDir: null,
    manualSchedules: true,
    quiet: true,
  });
  try {
    // Imported after the stack has set the environment the handlers read.
    const { webinarPorts } = await import('../functions/webinar/composition.js');
    const { handler } = await import('../functions/webinar/handlers/register.js');
    const webinarId = `bench-${Date.now().toString(36)}`;
    const startsAt = Date.now() + 7 * 24 * 3600_000;
    // Straight to the store, with no WebinarCreated: the bench measures registrations only.
    await webinarPorts().webinars.putNewWebinar(
      {
        webinarId,
        roundId: 'bench',
        title: 'Bench webinar',
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(startsAt + 2 * 3600_000).toISOString(),
        registrationClosesAt: new Date(startsAt - 3600_000).toISOString(),
        seats,
        joinUrl: 'https://example.org/join',
        languages: ['fi', 'sv', 'en'],
        createdAt: new Date().toISOString(),
        createdBy: 'bench',
        confirmed: 0,
        waitlistSeq: 0,
        waitlistLeft: 0,
        sequence: 0,
      },
      [],
    );
    const languages = ['fi', 'sv', 'en'] as const;
    const event = (i: number): APIGatewayProxyEventV2 => {
      const rawPath = `/webinars/${webinarId}/registrations`;
      return {
        version: '2.0',
        routeKey: 'POST /webinars/{webinarId}/registrations',
        rawPath,
        rawQueryString: '',
        headers: { 'content-type': 'application/json', host: 'localhost' },
        pathParameters: { webinarId },
        body: JSON.stringify({
          name: `Bench ${i}`,
          email: `bench${i}@${webinarId}.example.org`,
          language: languages[i % 3],
          consent: true,
        }),
        isBase64Encoded: false,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: 'localhost',
          domainPrefix: 'localhost',
          http: { method: 'POST', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
          requestId: `bench-${i}`,
          routeKey: 'POST /webinars/{webinarId}/registrations',
          stage: '$default',
          time: new Date().toISOString(),
          timeEpoch: Date.now(),
        },
      };
    };
    log(`burst: ${registrations} registrations at once for ${seats} seats`);
    const latencies: number[] = [];
    const started = performance.now();
    // One process stands in for N Lambdas here, so each gets a generous deadline: the queueing in
    // front of the one DynamoDB Local is part of what is measured, not a failure.
    const results = await Promise.all(
      Array.from({ length: registrations }, async (_, i) => {
        const t0 = performance.now();
        const result = (await handler(
          event(i) as never,
          lambdaContext('webinar/register', 120_000),
        )) as APIGatewayProxyStructuredResultV2;
        latencies.push(performance.now() - t0);
        return { status: result.statusCode, body: JSON.parse(result.body ?? '{}') as { status?: string; position?: number } };
      }),
    );
    const durationMs = performance.now() - started;
    await stack.settled();
    const untilEmailsMs = performance.now() - started;

    const confirmed = results.filter((r) => r.status === 201 && r.body.status === 'confirmed').length;
    const positions = results
      .filter((r) => r.status === 201 && r.body.status === 'waitlisted')
      .map((r) => r.body.position ?? 0)
      .sort((a, b) => a - b);
    const { emails: stored } = (await (await fetch(`${stack.sesUrl}/store`)).json()) as {
      emails: { destination: { to: string[] } }[];
    };
    const perAddress = new Map<string, number>();
    for (const email of stored) {
      for (const to of email.destination.to)
        if (to.endsWith(`@${webinarId}.example.org`)) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      registrations,
      seats,
      confirmed,
      waitlisted: positions.length,
      failed: results.filter((r) => r.status !== 201).length,
      positionsExact: positions.every((p, i) => p === i + 1),
      durationMs,
      perSecond: registrations / (durationMs / 1000),
      latencyMs: {
        p50: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
        p99: percentile(sorted, 0.99),
        max: sorted[sorted.length - 1]!,
      },
      emails: [...perAddress.values()].reduce((a, b) => a + b, 0),
      addressesWithOneEmail: [...perAddress.values()].filter((n) => n === 1).length,
      untilEmailsMs,
    };
  } finally {
    await stack.stop();
  }
}
