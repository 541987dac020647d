// The structured logs of a real flow: JSON lines with a correlation id, and no personal data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as apply } from '../../functions/intake/handlers/apply.js';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import { handler as select } from '../../functions/selection/handlers/select.js';
import { handler as withdraw } from '../../functions/selection/handlers/withdraw.js';
import { logger } from '../../functions/shared/logger.js';
import { startHarness, type Harness } from '../support/harness.js';
import { callRoute, coordinatorClaims } from '../support/invoke.js';

let settled: () => Promise<void>;
let harness: Harness;
const lines: string[] = [];
const write = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  harness = await startHarness('logs', { retry: { attempts: 2, baseDelayMs: 5 } });
  settled = harness.settled;
  logger.setLogLevel('DEBUG');
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
});

afterAll(async () => {
  process.stdout.write = write;
  await harness?.stop();
});

describe('logs', () => {
  it('are JSON with the request’s correlation id, and name no person', async () => {
    const email = 'Logged.Person@example.fi';
    const round = await callRoute(createRound, 'POST /rounds', {
      claims: coordinatorClaims('coordinator.person@example.fi'),
      body: {
        name: 'Loki',
        region: '01',
        places: 1,
        opensAt: new Date(Date.now() - 3600_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        languages: ['fi'],
      },
    });
    const applied = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId: round.body.roundId },
      headers: { 'x-correlation-id': 'trace-apply-1' },
      body: {
        municipality: { code: '091', name: 'Helsinki' },
        contact: { name: 'Loki Henkilö', email, phone: '+358 40 765 4321' },
        language: 'fi',
        themes: ['x'],
        consent: true,
      },
    });
    await settled();
    await callRoute(select, 'POST /rounds/{roundId}/selection', {
      claims: coordinatorClaims('coordinator.person@example.fi'),
      path: { roundId: round.body.roundId },
      body: { policy: 'first-come', force: true },
    });
    const token = new URL(applied.body.statusUrl).searchParams.get('token')!;
    await callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
      path: { applicationId: applied.body.applicationId },
      query: { token },
    });
    await settled();

    const ours = lines.filter((line) => line.startsWith('{') && line.includes('"service":"sparraus"'));
    expect(ours.length).toBeGreaterThanOrEqual(3);
    const parsed = ours.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.filter((l) => l.correlationId === 'trace-apply-1').map((l) => l.message)).toContain('application confirmation');
    for (const line of ours) {
      expect(line.toLowerCase()).not.toContain(email.toLowerCase());
      expect(line).not.toContain('coordinator.person@example.fi');
      expect(line).not.toContain('Loki Henkilö');
      expect(line).not.toContain('765 4321');
      expect(line).not.toContain(token);
    }
  });
});
