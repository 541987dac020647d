// The local outbox relay against DynamoDB Local's real stream: event items reach the bus once each,
// in order, with the pipe's mapping; other items never do; positions survive a restart; a bus that
// refuses delays events and loses none.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrapEvent } from '../../functions/shared/events.js';
import { event, eventItem, eventParts, storedEvents } from '../../functions/shared/outbox.js';
import { part, transact } from '../../functions/shared/transactions.js';
import type { BusEvent } from '../../local/event-bus.js';
import { startEventFlow, type EventFlow } from '../../local/event-flow.js';
import { passesRelayFilter, relayedEntry } from '../../local/relay-mapping.js';
import { startStreamRelay } from '../../local/stream-relay.js';
import { createIsolatedTable, waitFor } from '../../local/testing.js';
import { eventCatalogue } from '../../schemas/events/catalogue.js';

const dynamoEndpoint = () => process.env.AWS_ENDPOINT_URL_DYNAMODB!;
const received = (n: number) =>
  event('ApplicationReceived', {
    applicationId: `app-${n}`,
    roundId: 'round-1',
    municipalityCode: String(100 + n),
    language: 'fi',
    receivedAt: '2027-03-01T07:00:00.000Z',
  });

/** A flow whose bus has no rules: the test reads what arrives on it. */
async function flowOn(tableName: string, dataDir?: string) {
  const flow = await startEventFlow({ port: 0, dynamoEndpoint: dynamoEndpoint(), tableName, rules: {}, ...(dataDir ? { dataDir } : {}) });
  const seen: BusEvent[] = [];
  flow.bus.onEvent((e) => seen.push(e));
  return { flow, seen };
}

async function writeEvents(tableName: string, from: number, count: number) {
  const events = Array.from({ length: count }, (_, i) => received(from + i));
  await transact(eventParts(events, { tableName }));
}

const applicationIds = (seen: BusEvent[]) => seen.map((e) => (unwrapEvent(e).detail as { applicationId: string }).applicationId);

describe('the relay mapping (infra/outbox-relay.ts, applied as the pipe applies it)', () => {
  const stored = storedEvents([received(1)], '2027-03-01T07:00:00.000Z')[0]!;
  const record = (eventName: string, item: Record<string, unknown>) => ({
    eventName,
    dynamodb: { NewImage: marshall(item, { removeUndefinedValues: true }), SequenceNumber: '1' },
  });

  it('lets through newly written event items only', () => {
    expect(passesRelayFilter(record('INSERT', eventItem(stored, 0)))).toBe(true);
    expect(passesRelayFilter(record('MODIFY', eventItem(stored, 0)))).toBe(false);
    expect(passesRelayFilter(record('INSERT', { pk: 'ROUND#1', sk: 'ROUND', type: 'round' }))).toBe(false);
    expect(passesRelayFilter({ eventName: 'REMOVE', dynamodb: {} })).toBe(false);
  });

  it("gives the item's detail type and source, and a detail the handlers read back to the event as written", () => {
    const entry = relayedEntry(record('INSERT', eventItem(stored, 0)), 'sparraus');
    expect(entry).toMatchObject({ DetailType: 'ApplicationReceived', Source: eventCatalogue.ApplicationReceived.source, EventBusName: 'sparraus' });
    const busEvent = { id: 'x', time: 'y', 'detail-type': entry.DetailType, source: entry.Source, detail: JSON.parse(entry.Detail) };
    expect(unwrapEvent(busEvent as BusEvent)).toEqual({
      eventId: stored.eventId,
      at: stored.at,
      correlationId: stored.correlationId,
      detail: stored.detail,
    });
    expect(JSON.parse(entry.Detail).by).toEqual(marshall(stored.by));
  });
});

describe('the local stream relay', () => {
  let tableName: string;
  let flow: EventFlow;
  let seen: BusEvent[];

  beforeAll(async () => {
    tableName = await createIsolatedTable('relay');
    ({ flow, seen } = await flowOn(tableName));
  });
  afterAll(() => flow?.stop());

  it('puts every event item on the bus once, in the order written, and no other item', async () => {
    await writeEvents(tableName, 1, 3);
    await transact([part('round', { Put: { TableName: tableName, Item: { pk: 'ROUND#r', sk: 'ROUND', type: 'round' } } })]);
    await writeEvents(tableName, 4, 12);
    await flow.settled();
    expect(applicationIds(seen)).toEqual(Array.from({ length: 15 }, (_, i) => `app-${i + 1}`));
    expect(seen.every((e) => e['detail-type'] === 'ApplicationReceived')).toBe(true);
    expect(new Set(seen.map((e) => unwrapEvent(e).eventId)).size).toBe(15);
    expect(flow.relay.relayed()).toBe(15);
  });
});

describe('the relay across a restart and a refusing bus', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sparraus-relay-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts where it stopped: a restart relays only what was written since', async () => {
    const tableName = await createIsolatedTable('relay-restart');
    const first = await flowOn(tableName, dataDir);
    await writeEvents(tableName, 1, 2);
    await first.flow.settled();
    await first.flow.stop();
    expect(applicationIds(first.seen)).toEqual(['app-1', 'app-2']);

    await writeEvents(tableName, 3, 2);
    const second = await flowOn(tableName, dataDir);
    try {
      await second.flow.settled();
      expect(applicationIds(second.seen)).toEqual(['app-3', 'app-4']);
    } finally {
      await second.flow.stop();
    }
  });

  it('keeps refused events in the stream and relays them, in order, once the bus takes them again', async () => {
    const tableName = await createIsolatedTable('relay-refused');
    const target = await flowOn(tableName);
    await target.flow.relay.stop(); // this test drives its own relay, through a gate
    let refusing = true;
    let refusals = 0;
    const gate = http.createServer((request, response) => {
      if (refusing) {
        refusals += 1;
        response.writeHead(500, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'InternalException' });
        response.end(JSON.stringify({ __type: 'InternalException', message: 'refused by the test' }));
        return;
      }
      const forward = http.request(target.flow.bus.url, { method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      request.pipe(forward);
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    const relay = await startStreamRelay({
      dynamoEndpoint: dynamoEndpoint(),
      tableName,
      eventsEndpoint: `http://127.0.0.1:${(gate.address() as AddressInfo).port}`,
      eventBusName: 'sparraus',
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    try {
      await writeEvents(tableName, 1, 4);
      await relay.drained();
      expect(relay.lastProblem()).toMatchObject({ entries: 4, error: expect.stringContaining('refused by the test') });
      expect(refusals).toBeGreaterThan(10);
      expect(target.seen).toEqual([]);

      refusing = false;
      await writeEvents(tableName, 5, 1);
      await waitFor(() => target.seen.length >= 5, { message: 'the refused events relayed' });
      await relay.drained();
      expect(applicationIds(target.seen)).toEqual(['app-1', 'app-2', 'app-3', 'app-4', 'app-5']);
      expect(relay.lastProblem()).toBeUndefined();
    } finally {
      await relay.stop();
      await target.flow.stop();
      await new Promise((resolve) => gate.close(resolve));
    }
  });
});
