// POST /dev/faults on the whole local stack: rules are checked and listed, and they reach the calls
// of the handlers (DynamoDB, SES) and of the outbox relay (the stream, the bus) until cleared.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { operationOf, faultRules } from '../../local/faults.js';
import type { LocalStack } from '../../local/stack.js';
import { startTestStack } from '../support/harness.js';
import { readInbox, waitFor } from '../../local/testing.js';
import { event, eventParts } from '../../functions/shared/outbox.js';
import { transact } from '../../functions/shared/transactions.js';
import { detailOf } from '../support/invoke.js';
import type { BusEvent } from '../../local/event-bus.js';

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
const asCoordinator = () => ({ authorization: `Bearer ${token}` });

async function createRound() {
  const round = await call(
    'POST',
    '/rounds',
    {
      name: `Vikakierros ${unique()}`,
      region: '01',
      places: 5,
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      languages: ['fi'],
    },
    asCoordinator(),
  );
  expect(round.status).toBe(201);
  return round.body.roundId as string;
}

beforeAll(async () => {
  stack = await startTestStack('dev-faults');
  // The SDK's own retries would hide a fault of probability 1 behind seconds of backoff.
  process.env.AWS_MAX_ATTEMPTS = '1';
  token = (await call('POST', '/dev/token', { role: 'coordinator', email: 'kaisa@example.fi' })).body.token;
}, 120_000);

afterEach(async () => {
  await call('DELETE', '/dev/faults');
});

afterAll(async () => {
  delete process.env.AWS_MAX_ATTEMPTS;
  await stack?.stop();
});

describe('the fault rules', () => {
  it('name the operation of each protocol: X-Amz-Target for DynamoDB, its streams and the bus, method and path for SES', () => {
    const target = (value: string) => ({ headers: { 'x-amz-target': value } });
    expect(operationOf('dynamodb', target('DynamoDB_20120810.TransactWriteItems'))).toBe('TransactWriteItems');
    expect(operationOf('dynamodb', target('DynamoDBStreams_20120810.GetRecords'))).toBe('GetRecords');
    expect(operationOf('events', target('AWSEvents.PutEvents'))).toBe('PutEvents');
    expect(operationOf('sesv2', { method: 'POST', url: '/v2/email/outbound-emails', headers: {} })).toBe('SendEmail');
    expect(operationOf('sesv2', { method: 'GET', url: '/store', headers: {} })).toBeUndefined();
  });

  it('fail a share of the calls as the probability says, and count what they failed', () => {
    let draw = 0;
    const draws = [0.1, 0.5, 0.29, 0.9];
    const faults = faultRules(() => draws[draw++ % draws.length]!);
    faults.set([{ service: 'dynamodb', operation: 'PutItem', probability: 0.3, error: { statusCode: 503, code: 'ServiceUnavailable' } }]);
    const failed = [1, 2, 3, 4].map(() => faults.decide('dynamodb', 'PutItem') !== undefined);
    expect(failed).toEqual([true, false, true, false]);
    expect(faults.decide('dynamodb', 'GetItem')).toBeUndefined();
    expect(faults.decide('events', 'PutItem')).toBeUndefined();
    expect(faults.injected()).toEqual({ 'dynamodb:PutItem': 2 });
  });
});

describe('POST, GET and DELETE /dev/faults', () => {
  it('refuses a bad rule with 400 naming the field, and keeps the rules it had', async () => {
    await call('POST', '/dev/faults', [{ service: 'events', operation: 'PutEvents' }]);
    const bad = await call('POST', '/dev/faults', [{ service: 'sqs' }, { service: 'events', probability: 2 }]);
    expect(bad.status).toBe(400);
    const paths = bad.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['0.service', '1.probability']));
    expect((await call('GET', '/dev/faults')).body).toEqual([
      { service: 'events', operation: 'PutEvents', probability: 1, error: { statusCode: 503, code: 'ServiceUnavailable' } },
    ]);
  });

  it('replaces the rules on POST, lists them on GET, and clears them on DELETE', async () => {
    const rules = [
      { service: 'dynamodb', operation: 'GetItem', probability: 0.5, error: { statusCode: 500, code: 'InternalServerError' } },
      { service: 'sesv2' },
    ];
    const set = await call('POST', '/dev/faults', rules);
    expect(set.status).toBe(200);
    expect(set.body).toHaveLength(2);
    expect((await call('GET', '/dev/faults')).body[1]).toEqual({
      service: 'sesv2',
      probability: 1,
      error: { statusCode: 503, code: 'ServiceUnavailable' },
    });
    expect((await call('DELETE', '/dev/faults')).body).toEqual([]);
    expect((await call('GET', '/dev/faults')).body).toEqual([]);
  });
});

describe('faults on the request path', () => {
  it("a DynamoDB operation refused makes the handler's answer 503, and only that operation; cleared, it answers again", async () => {
    const roundId = await createRound();
    await call('POST', '/dev/faults', [{ service: 'dynamodb', operation: 'GetItem' }]);
    const refused = await call('GET', `/rounds/${roundId}`);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('service_unavailable');
    // Other operations pass: the round listing queries.
    expect((await call('GET', '/rounds')).status).toBe(200);

    await call('DELETE', '/dev/faults');
    expect((await call('GET', `/rounds/${roundId}`)).status).toBe(200);
  });

  it('SES refusing every send parks the confirmation; once cleared it goes out exactly once', async () => {
    const roundId = await createRound();
    const email = `faults-ses-${unique()}@example.fi`;
    await call('POST', '/dev/faults', [{ service: 'sesv2', operation: 'SendEmail' }]);
    const applied = await call('POST', `/rounds/${roundId}/applications`, {
      municipality: { code: '091', name: 'Helsinki' },
      contact: { name: 'Kaisa', email },
      language: 'fi',
      themes: ['etäasiointi'],
      consent: true,
    });
    expect(applied.status).toBe(201);
    await stack.settled();
    expect(await readInbox({ to: email })).toEqual([]);

    await call('DELETE', '/dev/faults');
    // The parked email is due again after its backoff: move the clock past it.
    const clock = await call('POST', '/dev/clock', { advanceBy: 'PT10M' });
    expect(clock.status).toBe(200);
    const sent = await waitFor(async () => {
      const emails = await readInbox({ to: email });
      return emails.length > 0 ? emails : undefined;
    });
    await call('POST', '/dev/clock', { advanceBy: 'PT10M' });
    expect(await readInbox({ to: email })).toHaveLength(sent.length);
    expect(sent).toHaveLength(1);
  });

  it('the bus refusing PutEvents holds event items in the stream; /dev/clock says so; cleared, each arrives once', async () => {
    const roundId = `round-${unique()}`;
    const seen: BusEvent[] = [];
    const off = stack.bus.onEvent((e) => seen.push(e));
    try {
      await call('POST', '/dev/faults', [{ service: 'events', operation: 'PutEvents' }]);
      // An event item as a command writes it (ask-carry-over takes RoundCompleted; for an unknown round it does nothing).
      await transact(
        eventParts([event('RoundCompleted', { roundId })], { tableName: stack.tableName }),
      );
      const held = await call('POST', '/dev/clock', { advanceBy: 'PT1S' });
      expect(held.status).toBe(200);
      expect(held.body.undelivered).toMatchObject({ entries: 1, error: expect.stringContaining('ServiceUnavailable') });
      expect(seen.filter((e) => detailOf<{ roundId: string }>(e).roundId === roundId)).toEqual([]);

      await call('DELETE', '/dev/faults');
      const clock = await call('POST', '/dev/clock', { advanceBy: 'PT1S' });
      expect(clock.body.undelivered).toBeUndefined();
      const arrived = seen.filter((e) => detailOf<{ roundId: string }>(e).roundId === roundId);
      expect(arrived.map((e) => e['detail-type'])).toEqual(['RoundCompleted']);
    } finally {
      off();
    }
  });

  it('the stream unreadable (GetRecords) delays the relay the same way, and nothing is lost', async () => {
    const roundId = `round-${unique()}`;
    const seen: BusEvent[] = [];
    const off = stack.bus.onEvent((e) => seen.push(e));
    try {
      await call('POST', '/dev/faults', [{ service: 'dynamodb', operation: 'GetRecords' }]);
      await transact(eventParts([event('RoundCompleted', { roundId })], { tableName: stack.tableName }));
      const held = await call('POST', '/dev/clock', { advanceBy: 'PT1S' });
      expect(held.body.undelivered?.error).toMatch(/ServiceUnavailable/);
      await call('DELETE', '/dev/faults');
      await call('POST', '/dev/clock', { advanceBy: 'PT1S' });
      expect(seen.filter((e) => detailOf<{ roundId: string }>(e).roundId === roundId)).toHaveLength(1);
    } finally {
      off();
    }
  });
});
