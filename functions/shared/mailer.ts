// Sends each email at most once per idempotency key, and keeps a record of every email (kind,
// recipient, SES message id, status; never the body once sent). The record is claimed with a
// conditional write before SES is called, so a redelivered or concurrent event cannot send a second
// copy. When SES is down or throttling, the email waits in the record (the outbox) and a schedule
// retries it with backoff until it is sent, once. Suppressed addresses (bounces, complaints) are
// never mailed again; the skip is recorded. Nothing is dropped: a record leaves `sending` only as
// `sent`, `pending` (waiting in the outbox) or `failed` (SES refused it for good: the reason and the
// body stay, and "email failed" is logged, which an alarm counts on AWS); a claim left by a sender
// that died is taken over once its lease has passed.
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, isServiceUnavailable, ses } from './aws.js';
import { now } from './clock.js';
import { config } from './config.js';
import { queryAll } from './dynamo-query.js';
import { emailOutboxKey, emailRecordKey } from './keys.js';
import { logger } from './logger.js';
import { isSuppressed } from './suppression.js';

export interface Attachment {
  filename: string;
  contentType: string;
  content: string | Uint8Array;
}

export interface OutgoingEmail {
  /** Stable for one logical message, e.g. `application-received/<applicationId>`. */
  key: string;
  /** What kind of message this is, for the record (e.g. `application-received`). */
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: Attachment[];
}

export type SendOutcome = 'sent' | 'already-sent' | 'queued' | 'suppressed';

/** The log message an alarm on AWS counts (infra/capability-stack.ts, a metric filter per mailing function). */
export const emailFailedLogMessage = 'email failed';

/** Another invocation is sending the same message right now; retry later to learn how it ended. */
export class EmailInProgressError extends Error {
  constructor(key: string) {
    super(`Email ${key} is being sent by another invocation`);
    this.name = 'EmailInProgressError';
  }
}

/** A claim older than this is taken to belong to an invocation that died mid-send. */
const claimLeaseMs = 60_000;
/** Outbox retry delays: 1, 2, 4 … minutes, at most an hour apart. */
const retryDelayMs = (attempt: number) => Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempt - 1));

/** Keys may contain addresses (one invitation per address): logs get a digest instead. */
const logId = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 12);

type StoredEmail = Omit<OutgoingEmail, 'attachments'> & {
  attachments?: { filename: string; contentType: string; base64: string }[];
};

/**
 * Sends `email` unless a message with the same key was already sent or is waiting in the outbox.
 * Throws EmailInProgressError while another sender holds the key; anything but an outage rethrows.
 */
export async function sendOnce(email: OutgoingEmail): Promise<SendOutcome> {
  const tableName = config.tableName();
  const claimedAt = now();
  if (await isSuppressed(email.to)) return recordSuppressed(email, claimedAt);
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...emailRecordKey(email.key),
          type: 'email',
          kind: email.kind,
          recipient: email.to.toLowerCase(),
          status: 'sending',
          attempts: 1,
          claimedAt: claimedAt.toISOString(),
        },
        // Free, failed before (a replay after the cause was fixed sends it), or claimed by a sender
        // that has been silent for longer than the lease.
        ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed OR (#status = :sending AND claimedAt < :staleBefore)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':failed': 'failed',
          ':sending': 'sending',
          ':staleBefore': new Date(claimedAt.getTime() - claimLeaseMs).toISOString(),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      const status = error.Item?.status?.S;
      if (status === 'sent' || status === 'suppressed') return 'already-sent';
      if (status === 'pending') return 'queued';
      throw new EmailInProgressError(email.key);
    }
    throw error;
  }
  return deliver(email, 1, claimedAt);
}

/**
 * Calls SES for a claimed record; an outage parks the email in the outbox instead of failing. A
 * refusal for good (a rejected address or message) is recorded as `failed`, with its reason and
 * the body, before it is rethrown: the caller decides what it means (an invitation counts it).
 */
async function deliver(email: OutgoingEmail | StoredEmail, attempt: number, claimedAt: Date): Promise<SendOutcome> {
  const tableName = config.tableName();
  let messageId: string | undefined;
  try {
    messageId = await callSes(email);
  } catch (error) {
    if (!isServiceUnavailable(error)) {
      await recordFailure(email, claimedAt, error);
      throw error;
    }
    const dueAt = new Date(now().getTime() + retryDelayMs(attempt)).toISOString();
    logger.warn('email parked in the outbox', {
      email: logId(email.key),
      kind: email.kind,
      attempt,
      dueAt,
      error: (error as Error).name,
    });
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: emailRecordKey(email.key),
              UpdateExpression: 'SET #status = :pending, content = :content, dueAt = :dueAt, lastError = :error',
              ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':pending': 'pending',
                ':sending': 'sending',
                ':claimedAt': claimedAt.toISOString(),
                ':content': stored(email),
                ':dueAt': dueAt,
                ':error': String((error as Error).name ?? error),
              },
            },
          },
          { Put: { TableName: tableName, Item: { ...emailOutboxKey(dueAt, email.key), type: 'outbox', key: email.key, dueAt } } },
        ],
      }),
    );
    return 'queued';
  }

  // The email is out. If this record is not written, a later retry would take the claim for a dead
  // sender's and send a second copy, so keep trying through a short outage before giving up.
  const markSent = new UpdateCommand({
    TableName: tableName,
    Key: emailRecordKey(email.key),
    UpdateExpression: 'SET #status = :sent, messageId = :messageId, sentAt = :sentAt REMOVE content, dueAt, lastError',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':sent': 'sent', ':messageId': messageId ?? 'unknown', ':sentAt': now().toISOString() },
  });
  for (let attempt = 1; ; attempt++) {
    try {
      await dynamo().send(markSent);
      return 'sent';
    } catch (error) {
      if (!isServiceUnavailable(error) || attempt >= markSentAttempts) throw error;
      logger.warn('email sent but not yet recorded; retrying', { email: logId(email.key), attempt });
      await new Promise((resolve) => setTimeout(resolve, Math.min(4_000, 250 * 2 ** (attempt - 1))));
    }
  }
}

/** Marks a claimed record `failed` with the reason, keeping the body; nothing went out. */
async function recordFailure(email: OutgoingEmail | StoredEmail, claimedAt: Date, error: unknown): Promise<void> {
  const reason = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : String(error).slice(0, 500);
  await dynamo().send(
    new UpdateCommand({
      TableName: config.tableName(),
      Key: emailRecordKey(email.key),
      UpdateExpression: 'SET #status = :failed, content = :content, failedAt = :at, lastError = :reason REMOVE dueAt',
      ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':failed': 'failed',
        ':sending': 'sending',
        ':claimedAt': claimedAt.toISOString(),
        ':content': stored(email),
        ':at': now().toISOString(),
        ':reason': reason,
      },
    }),
  );
  logger.error(emailFailedLogMessage, { email: logId(email.key), kind: email.kind, reason: (error as Error)?.name ?? 'unknown' });
}

/** About 20 s of retries: long enough for a restart of the table's endpoint, within a handler's timeout. */
const markSentAttempts = 8;

/**
 * Sends what waits in the outbox and is due. Each email is claimed first (pending → sending), so
 * overlapping runs send it once; one that fails again waits longer. The due pointer goes only once
 * the outcome is on record, so a run that dies after its claim leaves the email to the next run
 * (after the claim's lease), never stranded.
 */
export async function retryOutbox(at: Date = now()): Promise<{ sent: number; waiting: number; failed: number }> {
  const tableName = config.tableName();
  const due = await queryAll<{ key: string; dueAt: string }>({
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND sk <= :at',
    ExpressionAttributeValues: { ':pk': 'DUE#email', ':at': `${at.toISOString()}~` },
  });
  let sent = 0;
  let waiting = 0;
  let failed = 0;
  for (const entry of due) {
    const claimedAt = now();
    let record: Record<string, unknown> | undefined;
    let settled = false;
    try {
      const result = await dynamo().send(
        new UpdateCommand({
          TableName: tableName,
          Key: emailRecordKey(entry.key),
          UpdateExpression: 'SET #status = :sending, claimedAt = :claimedAt ADD attempts :one',
          // Waiting for this pointer, or claimed from it by a run that died (lease passed).
          ConditionExpression: 'dueAt = :dueAt AND (#status = :pending OR (#status = :sending AND claimedAt < :staleBefore))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':pending': 'pending',
            ':dueAt': entry.dueAt,
            ':claimedAt': claimedAt.toISOString(),
            ':staleBefore': new Date(claimedAt.getTime() - claimLeaseMs).toISOString(),
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      record = result.Attributes;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = error.Item ? { status: error.Item.status?.S, dueAt: error.Item.dueAt?.S } : undefined;
      // Another run holds a live claim from this pointer: leave the pointer to it.
      if (current?.status === 'sending' && current.dueAt === entry.dueAt) {
        waiting += 1;
        continue;
      }
      settled = true; // sent, failed or re-queued under another pointer: this one is spent
    }
    if (record) {
      try {
        const outcome = await deliver(record.content as StoredEmail, Number(record.attempts), claimedAt);
        if (outcome === 'sent') sent += 1;
        else waiting += 1;
      } catch (error) {
        // deliver recorded the failure (status failed, reason, body kept); the run goes on.
        if (isServiceUnavailable(error)) throw error;
        failed += 1;
      }
      settled = true;
    }
    if (settled) await dynamo().send(new DeleteCommand({ TableName: tableName, Key: emailOutboxKey(entry.dueAt, entry.key) }));
  }
  return { sent, waiting, failed };
}

async function recordSuppressed(email: OutgoingEmail, at: Date): Promise<SendOutcome> {
  await dynamo()
    .send(
      new PutCommand({
        TableName: config.tableName(),
        Item: {
          ...emailRecordKey(email.key),
          type: 'email',
          kind: email.kind,
          recipient: email.to.toLowerCase(),
          status: 'suppressed',
          skippedAt: at.toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
    .catch((error) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  logger.info('email skipped: address suppressed', { email: logId(email.key), kind: email.kind });
  return 'suppressed';
}

function stored(email: OutgoingEmail | StoredEmail): StoredEmail {
  const { attachments, ...rest } = email;
  if (!attachments?.length) return rest;
  return {
    ...rest,
    attachments: attachments.map((a) =>
      'base64' in a
        ? a
        : {
            filename: a.filename,
            contentType: a.contentType,
            base64: Buffer.from(typeof a.content === 'string' ? a.content : a.content).toString('base64'),
          },
    ),
  };
}

async function callSes(email: OutgoingEmail | StoredEmail): Promise<string | undefined> {
  const attachments = (email.attachments ?? []).map((a) => ({
    FileName: a.filename,
    ContentType: a.contentType,
    RawContent:
      'base64' in a
        ? Buffer.from(a.base64, 'base64')
        : typeof a.content === 'string'
          ? new TextEncoder().encode(a.content)
          : a.content,
  }));
  const result = await ses().send(
    new SendEmailCommand({
      FromEmailAddress: config.emailFrom(),
      Destination: { ToAddresses: [email.to] },
      ConfigurationSetName: config.sesConfigurationSet(),
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: email.text, Charset: 'UTF-8' },
            ...(email.html ? { Html: { Data: email.html, Charset: 'UTF-8' } } : {}),
          },
          ...(attachments.length ? { Attachments: attachments } : {}),
        },
      },
    }),
  );
  return result.MessageId;
}

/** The mailer as a port: a use case that tells someone hands the email over, once per key. */
export interface Mailer {
  sendOnce(email: OutgoingEmail): Promise<SendOutcome>;
}

/** The mailer every handler's composition root passes in: SES through the email records and their outbox. */
export const sesMailer: Mailer = { sendOnce };
