// The send-once mailer against DynamoDB Local and an SES server of its own that the test stops,
// throttles and starts again: nothing is lost, nothing is sent twice, suppressed addresses are skipped.
import { createServer, request, type Server } from 'node:http';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as suppressBounced } from '../../functions/deliverability/handlers/suppress-bounced.js';
import { dynamo } from '../../functions/shared/aws.js';
import { advanceClock, now, resetClock } from '../../functions/shared/clock.js';
import { retryOutbox, sendOnce } from '../../functions/shared/mailer.js';
import { isSuppressed } from '../../functions/shared/suppression.js';
import { applyEnvironment } from '../../local/aws-env.js';
import { freePort } from '../../local/ports.js';
import { startSesLocal, type SesLocal } from '../../local/ses.js';
import { createIsolatedTable, readInbox } from '../../local/testing.js';
import { loadEvent } from '../support/fixtures.js';

let tableName: string;
let ses: SesLocal | undefined;
let sesPort: number;
let proxy: Server;
let restoreEnv: () => void;
/** While > 0, the proxy in front of SES answers that many requests with 429 throttling. */
let throttleNext = 0;
/** While > 0, the proxy answers that many requests as SES refusing the message for good. */
let rejectNext = 0;

const unique = () => Math.random().toString(36).slice(2, 10);
const email = (to: string, key = `test/${unique()}`) => ({ key, kind: 'test', to, subject: 'Hei', text: 'Testi' });
const storeUrl = () => `http://127.0.0.1:${sesPort}/store`;
const record = async (key: string) =>
  (await dynamo().send(new GetCommand({ TableName: tableName, Key: { pk: `EMAIL#${key}`, sk: 'EMAIL' } }))).Item;

beforeAll(async () => {
  tableName = await createIsolatedTable('mailer');
  sesPort = await freePort();
  ses = await startSesLocal({ port: sesPort });
  // A throttling proxy in front of SES, so that the SDK meets a real HTTP 429 from "SES".
  const proxyPort = await freePort();
  proxy = createServer((req, res) => {
    if (rejectNext > 0) {
      rejectNext -= 1;
      res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'MessageRejected' });
      res.end(JSON.stringify({ message: 'Email address is not verified.' }));
      return;
    }
    if (throttleNext > 0) {
      throttleNext -= 1;
      res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
      res.end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: sesPort, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.destroy(); // SES is down: the caller sees a broken connection, as it would
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(proxyPort, '127.0.0.1', resolve));
  restoreEnv = applyEnvironment({
    TABLE_NAME: tableName,
    EMAIL_FROM: 'no-reply@sparraus.local',
    AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${proxyPort}`,
    // The SDK's own retries would hide the outage in a test this short.
    AWS_MAX_ATTEMPTS: '1',
  });
});

afterAll(async () => {
  resetClock();
  await ses?.stop();
  await new Promise((resolve) => proxy?.close(resolve));
  restoreEnv?.();
});

const inbox = async (to: string) => readInbox({ to, storeUrl: storeUrl() });

describe('sendOnce', () => {
  it('sends once per key and records kind, recipient, status and message id, not the body', async () => {
    const to = `a-${unique()}@example.fi`;
    const message = email(to);
    expect(await sendOnce(message)).toBe('sent');
    expect(await sendOnce(message)).toBe('already-sent');
    expect(await inbox(to)).toHaveLength(1);
    const stored = await record(message.key);
    expect(stored).toMatchObject({ kind: 'test', recipient: to, status: 'sent', messageId: expect.any(String) });
    expect(JSON.stringify(stored)).not.toContain('Testi');
  });

  it('keeps an email while SES is down and sends it once when SES is back', async () => {
    const to = `down-${unique()}@example.fi`;
    const message = email(to);
    await ses!.stop();
    ses = undefined;
    expect(await sendOnce(message)).toBe('queued');
    expect(await sendOnce(message)).toBe('queued'); // a redelivered event does not queue it twice
    expect(await record(message.key)).toMatchObject({ status: 'pending', content: { subject: 'Hei' } });

    // Not due yet: nothing happens. Still down when due: it waits longer.
    expect(await retryOutbox()).toEqual({ sent: 0, waiting: 0, failed: 0 });
    advanceClock(61_000);
    expect((await retryOutbox()).waiting).toBeGreaterThanOrEqual(1);

    ses = await startSesLocal({ port: sesPort });
    advanceClock(3 * 60_000);
    const runs = await Promise.all([retryOutbox(), retryOutbox(), retryOutbox()]);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBeGreaterThanOrEqual(1);
    expect(await inbox(to)).toHaveLength(1);
    expect(await record(message.key)).toMatchObject({ status: 'sent', attempts: 3 });
    expect((await record(message.key))!.content).toBeUndefined();
    expect(await sendOnce(message)).toBe('already-sent');
    advanceClock(60 * 60_000);
    await retryOutbox();
    expect(await inbox(to)).toHaveLength(1);
  });

  it('keeps an email that SES throttles and sends it once later', async () => {
    const to = `throttled-${unique()}@example.fi`;
    const message = email(to);
    throttleNext = 1;
    expect(await sendOnce(message)).toBe('queued');
    expect(await record(message.key)).toMatchObject({ status: 'pending', lastError: 'TooManyRequestsException' });
    advanceClock(2 * 60 * 60_000);
    await retryOutbox();
    expect(await inbox(to)).toHaveLength(1);
  });
});

describe('never dropped', () => {
  const duePointers = async (key: string) =>
    (
      await dynamo().send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'DUE#email' },
        }),
      )
    ).Items!.filter((item) => item.key === key);

  it('a message SES refuses for good is recorded failed with its reason and body, and a later replay sends it once', async () => {
    const to = `rejected-${unique()}@example.fi`;
    const message = email(to);
    rejectNext = 1;
    await expect(sendOnce(message)).rejects.toMatchObject({ name: 'MessageRejected' });
    expect(await record(message.key)).toMatchObject({
      status: 'failed',
      lastError: expect.stringContaining('MessageRejected'),
      content: { subject: 'Hei', text: 'Testi' },
      failedAt: expect.any(String),
    });
    expect(await inbox(to)).toHaveLength(0);

    // The cause fixed, the event replayed: it goes out once, and the body is let go.
    expect(await sendOnce(message)).toBe('sent');
    expect(await sendOnce(message)).toBe('already-sent');
    expect(await inbox(to)).toHaveLength(1);
    expect(await record(message.key)).toMatchObject({ status: 'sent' });
    expect((await record(message.key))!.content).toBeUndefined();
  });

  it('refused when retried from the outbox: failed with reason and body, the run goes on, the pointer is spent', async () => {
    const to = `rejected-later-${unique()}@example.fi`;
    const message = email(to);
    throttleNext = 1;
    expect(await sendOnce(message)).toBe('queued');
    advanceClock(2 * 60 * 60_000);
    rejectNext = 1;
    const run = await retryOutbox();
    expect(run.failed).toBe(1);
    expect(await record(message.key)).toMatchObject({
      status: 'failed',
      lastError: expect.stringContaining('MessageRejected'),
      content: { subject: 'Hei' },
    });
    expect(await duePointers(message.key)).toEqual([]);
    expect(await inbox(to)).toHaveLength(0);
  });

  it('a retry run that died after claiming an email leaves it to the next run once the claim has lapsed, sent once', async () => {
    const to = `crashed-${unique()}@example.fi`;
    const message = email(to);
    throttleNext = 1;
    expect(await sendOnce(message)).toBe('queued');
    advanceClock(2 * 60 * 60_000);
    // What a run leaves when it dies between its claim and SES: the record sending, the pointer still there.
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `EMAIL#${message.key}`, sk: 'EMAIL' },
        UpdateExpression: 'SET #status = :sending, claimedAt = :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending', ':now': now().toISOString() },
      }),
    );
    expect(await retryOutbox()).toMatchObject({ sent: 0 }); // the claim may still be live
    expect(await duePointers(message.key)).toHaveLength(1);
    advanceClock(61_000);
    expect(await retryOutbox()).toMatchObject({ sent: 1 });
    expect(await inbox(to)).toHaveLength(1);
    expect(await retryOutbox()).toMatchObject({ sent: 0 });
    expect(await inbox(to)).toHaveLength(1);
    expect(await duePointers(message.key)).toEqual([]);
  });
});

describe('bounces', () => {
  it('a permanent bounce suppresses the address: the next send is skipped and recorded', async () => {
    const to = `bounced-${unique()}@example.fi`;
    const event = loadEvent<{ detail: { bounce: { bouncedRecipients: { emailAddress: string }[] } } }>('ses-email-bounced');
    event.detail.bounce.bouncedRecipients[0]!.emailAddress = to.toUpperCase();
    await suppressBounced(event as never);
    await suppressBounced(event as never); // delivered twice: the same
    expect(await isSuppressed(to)).toBe(true);

    const message = email(to);
    expect(await sendOnce(message)).toBe('suppressed');
    expect(await inbox(to)).toHaveLength(0);
    expect(await record(message.key)).toMatchObject({ status: 'suppressed', recipient: to });
  });

  it('a transient bounce suppresses nothing', async () => {
    const to = `soft-${unique()}@example.fi`;
    const event = loadEvent<{ detail: { bounce: { bounceType: string; bouncedRecipients: { emailAddress: string }[] } } }>(
      'ses-email-bounced',
    );
    event.detail.bounce.bounceType = 'Transient';
    event.detail.bounce.bouncedRecipients[0]!.emailAddress = to;
    await suppressBounced(event as never);
    expect(await isSuppressed(to)).toBe(false);
    expect(await sendOnce(email(to))).toBe('sent');
  });
});
