// The local EventBridge bus: PutEvents through the real SDK client, matching, asynchronous delivery,
// retries with backoff, dead letters (in memory and on disk), replay, and idle().
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { EventRule, HandlerId } from '../../infra/wiring.js';
import { advanceClock, now, resetClock } from '../../functions/shared/clock.js';
import { dummyCredentials } from '../../local/aws-env.js';
import { startEventBus, type BusEvent, type EventBusOptions, type LocalEventBus } from '../../local/event-bus.js';
import type { LambdaHandler } from '../../local/handlers.js';

const rules = {
  OnThingCreated: { handler: 'fixture/on-created', pattern: { source: ['fixture.things'], 'detail-type': ['ThingCreated'] } },
  OnThingDeleted: { handler: 'fixture/on-deleted', pattern: { source: ['fixture.things'], 'detail-type': ['ThingDeleted'] } },
} satisfies Record<string, EventRule>;

/** Handlers as closures: each records the events it got and can be told to fail. */
function recorders() {
  const calls: Record<string, BusEvent[]> = {};
  const behaviour: Record<string, (event: BusEvent, call: number) => Promise<void> | void> = {};
  const loadHandler = async (id: HandlerId): Promise<LambdaHandler> => {
    return async (event: BusEvent) => {
      const list = (calls[id] ??= []);
      list.push(event);
      await behaviour[id]?.(event, list.length);
    };
  };
  return { calls, behaviour, loadHandler };
}

const buses: LocalEventBus[] = [];
async function bus(options: EventBusOptions): Promise<LocalEventBus> {
  const started = await startEventBus({ port: 0, retry: { attempts: 3, baseDelayMs: 5 }, ...options });
  buses.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.stop()));
  resetClock();
});

function sdkClient(url: string) {
  return new EventBridgeClient({ endpoint: url, region: 'eu-north-1', credentials: dummyCredentials });
}

const entry = (detailType: string, detail: object = { thingId: 't-1' }) => ({
  EventBusName: 'sparraus',
  Source: 'fixture.things',
  DetailType: detailType,
  Detail: JSON.stringify(detail),
});

describe('local event bus', () => {
  it('accepts PutEvents from the real SDK client and delivers to the matching rule only', async () => {
    const { calls, loadHandler } = recorders();
    const b = await bus({ rules, loadHandler });
    advanceClock(3 * 86_400_000);

    const result = await sdkClient(b.url).send(new PutEventsCommand({ Entries: [entry('ThingCreated', { thingId: 't-9' })] }));
    await b.idle();

    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(calls)).toEqual(['fixture/on-created']);
    const delivered = calls['fixture/on-created']?.[0];
    expect(delivered).toMatchObject({
      version: '0',
      id: result.Entries?.[0]?.EventId,
      'detail-type': 'ThingCreated',
      source: 'fixture.things',
      account: '000000000000',
      region: 'eu-north-1',
      resources: [],
      detail: { thingId: 't-9' },
    });
    // Time comes from the shared local clock (moved three days ahead), in whole seconds.
    expect(delivered?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.abs(Date.parse(delivered?.time ?? '') - now().getTime())).toBeLessThan(5_000);
    expect(b.publishedEvents().map((e) => e['detail-type'])).toEqual(['ThingCreated']);
  });

  it('answers PutEvents before handlers finish, and a failing handler does not fail the publisher', async () => {
    const { calls, behaviour, loadHandler } = recorders();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    behaviour['fixture/on-created'] = () => gate;
    behaviour['fixture/on-deleted'] = () => {
      throw new Error('nope');
    };
    const b = await bus({ rules, loadHandler, retry: { attempts: 1 } });

    const result = await sdkClient(b.url).send(new PutEventsCommand({ Entries: [entry('ThingCreated'), entry('ThingDeleted')] }));
    expect(result.FailedEntryCount).toBe(0);

    let idle = false;
    const idlePromise = b.idle().then(() => (idle = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(false); // the gated handler is still running
    release();
    await idlePromise;
    expect(calls['fixture/on-created']).toHaveLength(1);
    expect(b.listDeadLetters().map((d) => d.rule)).toEqual(['OnThingDeleted']);
  });

  it('refuses entries for another bus or with malformed detail, per entry', async () => {
    const { loadHandler } = recorders();
    const b = await bus({ rules, loadHandler });
    const result = await sdkClient(b.url).send(
      new PutEventsCommand({
        Entries: [
          { ...entry('ThingCreated'), EventBusName: 'default' },
          { ...entry('ThingCreated'), Detail: '{not json' },
          { ...entry('ThingCreated'), EventBusName: 'arn:aws:events:eu-north-1:000000000000:event-bus/sparraus' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.map((e) => e.ErrorCode)).toEqual(['NotFoundException', 'MalformedDetail', undefined]);
  });

  it('retries a failing handler with backoff, and idle() waits for the retries', async () => {
    const { calls, behaviour, loadHandler } = recorders();
    behaviour['fixture/on-created'] = (_event, call) => {
      if (call < 3) throw new Error(`failure ${call}`);
    };
    const b = await bus({ rules, loadHandler, retry: { attempts: 4, baseDelayMs: 20 } });
    const outcomes: string[] = [];
    b.onDelivery((record) => outcomes.push(`${record.attempt}:${record.outcome}`));

    const started = Date.now();
    b.putEvents([entry('ThingCreated')]);
    await b.idle();

    expect(calls['fixture/on-created']).toHaveLength(3);
    expect(outcomes).toEqual(['1:retrying', '2:retrying', '3:delivered']);
    // Backoff 20 ms then 40 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(b.listDeadLetters()).toEqual([]);
  });

  it('dead-letters after the last attempt, persists the queue, and replay re-delivers', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sparraus-bus-'));
    try {
      const { calls, behaviour, loadHandler } = recorders();
      let broken = true;
      behaviour['fixture/on-created'] = () => {
        if (broken) throw new TypeError('handler is broken');
      };
      const first = await bus({ rules, loadHandler, dataDir });
      first.putEvents([entry('ThingCreated', { thingId: 't-dead' })]);
      await first.idle();

      expect(calls['fixture/on-created']).toHaveLength(3);
      const [dead] = first.listDeadLetters();
      expect(dead).toMatchObject({
        rule: 'OnThingCreated',
        handler: 'fixture/on-created',
        attempts: 3,
        replays: 0,
        error: { name: 'TypeError', message: 'handler is broken' },
        event: { detail: { thingId: 't-dead' } },
      });
      const file = JSON.parse(readFileSync(path.join(dataDir, 'dead-letters.json'), 'utf8')) as { deadLetters: { id: string }[] };
      expect(file.deadLetters.map((d) => d.id)).toEqual([dead?.id]);

      // A replay that fails again keeps the id and counts the replay.
      const again = await first.replayDeadLetters();
      expect(again).toEqual({ delivered: [], deadLettered: [dead?.id], notFound: [] });
      expect(first.listDeadLetters()[0]).toMatchObject({ id: dead?.id, replays: 1 });
      await first.stop();

      // A new bus on the same data dir sees the queue; once the handler is fixed, replay delivers it.
      broken = false;
      const second = await bus({ rules, loadHandler, dataDir });
      expect(second.listDeadLetters().map((d) => d.id)).toEqual([dead?.id]);
      const replayed = await second.replayDeadLetters([dead?.id ?? '', 'no-such-id']);
      expect(replayed).toEqual({ delivered: [dead?.id], deadLettered: [], notFound: ['no-such-id'] });
      expect(second.listDeadLetters()).toEqual([]);
      expect(calls['fixture/on-created']?.at(-1)?.id).toBe(dead?.event.id);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps validation issues of a dead-lettered error, for `npm run dlq -- list`', async () => {
    const { behaviour, loadHandler } = recorders();
    behaviour['fixture/on-created'] = (event) => {
      z.object({ applicationId: z.string() }).parse(event.detail);
    };
    const b = await bus({ rules, loadHandler, retry: { attempts: 1 } });
    b.putEvents([entry('ThingCreated', { thingId: 't-1' })]);
    await b.idle();
    expect(b.listDeadLetters()[0]?.error).toMatchObject({
      name: 'ZodError',
      issues: [{ path: 'applicationId', message: 'Invalid input: expected string, received undefined' }],
    });
  });

  it('dead-letters deliveries still waiting for a retry when the bus stops, so nothing is lost', async () => {
    const { behaviour, loadHandler } = recorders();
    behaviour['fixture/on-created'] = () => {
      throw new Error('down');
    };
    const b = await bus({ rules, loadHandler, retry: { attempts: 5, baseDelayMs: 60_000 } });
    b.putEvents([entry('ThingCreated')]);
    // The first attempt has failed once the delivery is sleeping before its retry.
    const failedOnce = new Promise<void>((resolve) => b.onDelivery((r) => r.outcome === 'retrying' && resolve()));
    await failedOnce;
    await b.stop();
    expect(b.listDeadLetters()).toMatchObject([{ attempts: 1, error: { message: 'down' } }]);
  });

  it('idle() also waits for events that handlers publish while being delivered', async () => {
    const { calls, behaviour, loadHandler } = recorders();
    const b = await bus({ rules, loadHandler });
    behaviour['fixture/on-created'] = async () => {
      // Publishes through HTTP like a real handler would.
      await sdkClient(b.url).send(new PutEventsCommand({ Entries: [entry('ThingDeleted')] }));
    };
    behaviour['fixture/on-deleted'] = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
    };
    b.putEvents([entry('ThingCreated')]);
    await b.idle();
    expect(calls['fixture/on-deleted']).toHaveLength(1);
  });

  it('shows every accepted event to onEvent probes, matched or not', async () => {
    const { loadHandler } = recorders();
    const b = await bus({ rules, loadHandler });
    const seen: string[] = [];
    const unsubscribe = b.onEvent((event) => seen.push(event['detail-type']));
    b.putEvents([entry('ThingCreated'), entry('NobodyListens')]);
    unsubscribe();
    b.putEvents([entry('ThingCreated')]);
    await b.idle();
    expect(seen).toEqual(['ThingCreated', 'NobodyListens']);
  });

  it('refuses a rule whose pattern uses a content filter it cannot evaluate', async () => {
    await expect(
      startEventBus({
        port: 0,
        rules: {
          Prefixed: {
            handler: 'fixture/x',
            pattern: { source: [{ prefix: 'fix' }] as unknown as string[], 'detail-type': ['X'] },
          },
        },
      }),
    ).rejects.toThrow(/Prefixed: .*content filter/);
  });

  it('answers a whole-request error for more than 10 entries and unknown operations', async () => {
    const { loadHandler } = recorders();
    const b = await bus({ rules, loadHandler });
    await expect(
      sdkClient(b.url).send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry('ThingCreated')) })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const response = await fetch(b.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.ListRules', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
