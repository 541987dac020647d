// POST /dev/clock moves the shared clock, runs every schedule, and answers only after the events
// those schedules published have been handled (retries included). The schedule fixture publishes
// through the real EventBridge SDK client, so this also covers scheduler → SDK → bus → rule.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HandlerId } from '../../infra/wiring.js';
import { now, resetClock } from '../../functions/shared/clock.js';
import { applyEnvironment } from '../../local/aws-env.js';
import { startEventBus, type BusEvent, type LocalEventBus } from '../../local/event-bus.js';
import { moduleLoader, type LambdaHandler } from '../../local/handlers.js';
import { startHttpApi, type LocalHttpApi } from '../../local/http-api.js';
import { startScheduler, type Scheduler } from '../../local/scheduler.js';
import { waitFor } from '../../local/testing.js';

const fixturesRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fromFiles = moduleLoader(fixturesRoot);

let bus: LocalEventBus;
let scheduler: Scheduler;
let api: LocalHttpApi;
let restoreEnv: () => void;
const ticks: BusEvent[] = [];
let tickFailures = 0;

beforeAll(async () => {
  const loadHandler = async (id: HandlerId): Promise<LambdaHandler> => {
    if (id === 'fixture/record-tick') {
      // Fails the first delivery of each event, so /dev/clock has a retry to wait for.
      const seen = new Set<string>();
      return async (event: BusEvent) => {
        if (!seen.has(event.id) && tickFailures-- > 0) {
          seen.add(event.id);
          throw new Error('first delivery fails');
        }
        ticks.push(event);
      };
    }
    return fromFiles(id);
  };
  bus = await startEventBus({
    port: 0,
    loadHandler,
    retry: { attempts: 3, baseDelayMs: 30 },
    rules: {
      RecordTick: { handler: 'fixture/record-tick', pattern: { source: ['fixture.clock'], 'detail-type': ['ClockTicked'] } },
    },
  });
  restoreEnv = applyEnvironment({ AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url, EVENT_BUS_NAME: bus.busName });
  scheduler = startScheduler({
    loadHandler,
    timers: false,
    rules: { Tick: { handler: 'fixture/tick', expression: 'rate(1 minute)' } },
  });
  api = await startHttpApi({ port: 0, routes: {}, loadHandler, bus, scheduler });
});

afterAll(async () => {
  await api?.stop();
  await scheduler?.stop();
  await bus?.stop();
  restoreEnv?.();
});

beforeEach(() => {
  resetClock();
  ticks.length = 0;
  tickFailures = 0;
});

async function postClock(body: unknown) {
  const response = await fetch(`${api.url}/dev/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('/dev/clock', () => {
  it('advances the shared clock, runs the schedules, and answers after their events were handled', async () => {
    tickFailures = 1;
    const before = Date.now();
    const { status, body } = await postClock({ advanceBy: 'PT48H' });

    expect(status).toBe(200);
    const answered = Date.parse(body.now as string);
    expect(answered - before).toBeGreaterThanOrEqual(48 * 3_600_000);
    expect(answered - before).toBeLessThan(48 * 3_600_000 + 10_000);
    expect(body.schedules).toEqual([{ rule: 'Tick', handler: 'fixture/tick', ok: true, durationMs: expect.any(Number) }]);
    expect(body.deadLettered).toEqual([]);

    // Handled before the answer, after one failed delivery and a retry.
    expect(ticks).toHaveLength(1);
    const detail = ticks[0]?.detail as { now: string; eventTime: string; source: string; rule: string };
    // The handler module (loaded from a file) read the same clock this process moved.
    expect(Date.parse(detail.now) - before).toBeGreaterThanOrEqual(48 * 3_600_000);
    expect(Math.abs(Date.parse(detail.eventTime) - Date.parse(detail.now))).toBeLessThan(2_000);
    expect(detail.source).toBe('aws.events');
    expect(detail.rule).toBe('arn:aws:events:eu-north-1:000000000000:rule/Tick');
    expect(Math.abs(Date.parse(ticks[0]?.time ?? '') - now().getTime())).toBeLessThan(5_000);
  });

  it('sets the clock to a given time and tells it on GET', async () => {
    const { status, body } = await postClock({ set: '2031-03-01T09:00:00+02:00' });
    expect(status).toBe(200);
    expect(Date.parse(body.now as string) - Date.parse('2031-03-01T07:00:00Z')).toBeLessThan(5_000);
    const current = (await (await fetch(`${api.url}/dev/clock`)).json()) as { now: string };
    expect(Date.parse(current.now) - Date.parse('2031-03-01T07:00:00Z')).toBeLessThan(5_000);
    expect(ticks).toHaveLength(1);
  });

  it('refuses to go backwards unless asked, and refuses bad input with issues', async () => {
    const back = await postClock({ set: '2000-01-01T00:00:00Z' });
    expect(back.status).toBe(409);
    expect(back.body).toMatchObject({ error: { code: 'clock_backwards' } });
    expect((await postClock({ set: '2000-01-01T00:00:00Z', allowBackwards: true })).status).toBe(200);

    for (const bad of [
      { advanceBy: 'P1M' },
      { advanceBy: '48 hours' },
      { set: '2030-01-01T00:00:00' },
      {},
      { advanceBy: 'PT1H', set: '2030-01-01T00:00:00Z' },
    ]) {
      const { status, body } = await postClock(bad);
      expect(status, JSON.stringify(bad)).toBe(400);
      expect(body).toMatchObject({ error: { code: 'invalid_request', issues: expect.any(Array) } });
    }
  });

  it('reports dead letters caused while settling, and exposes and replays them', async () => {
    tickFailures = 10; // more than the 3 attempts
    const { status, body } = await postClock({ advanceBy: 'PT1M' });
    expect(status).toBe(200);
    expect(body.deadLettered).toHaveLength(1);

    const listed = (await (await fetch(`${api.url}/dev/dead-letters`)).json()) as { deadLetters: { id: string; rule: string }[] };
    expect(listed.deadLetters.map((d) => d.rule)).toEqual(['RecordTick']);

    tickFailures = 0;
    const replay = await fetch(`${api.url}/dev/dead-letters/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [listed.deadLetters[0]?.id] }),
    });
    expect(await replay.json()).toEqual({ delivered: [listed.deadLetters[0]?.id], deadLettered: [], notFound: [] });
    expect(ticks).toHaveLength(1);
  });

  it('answers 500 with the failure when a schedule throws (the clock has still moved)', async () => {
    const failing = startScheduler({
      loadHandler: async (id) =>
        id === 'fixture/failing-schedule' ? async () => Promise.reject(new Error('schedule broke')) : fromFiles(id),
      timers: false,
      rules: { Broken: { handler: 'fixture/failing-schedule', expression: 'rate(5 minutes)' } },
    });
    const other = await startHttpApi({ port: 0, routes: {}, bus, scheduler: failing });
    try {
      const response = await fetch(`${other.url}/dev/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceBy: 'PT5M' }),
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({
        error: {
          code: 'schedule_failed',
          message: expect.stringContaining('Broken (fixture/failing-schedule): Error: schedule broke'),
        },
        now: expect.any(String),
      });
    } finally {
      await other.stop();
      await failing.stop();
    }
  });
});

describe('scheduler', () => {
  it('never runs one rule twice at once, and fires on its timer period', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const slow = startScheduler({
      loadHandler: async () => async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running -= 1;
        runs += 1;
      },
      periodMs: () => 10,
      rules: { Slow: { handler: 'fixture/slow', expression: 'rate(1 minute)' } },
    });
    try {
      await Promise.all([slow.runDueNow(), slow.runDueNow()]);
      await waitFor(() => runs >= 4, { timeoutMs: 2_000 });
    } finally {
      await slow.stop();
    }
    expect(maxRunning).toBe(1);
  });
});
