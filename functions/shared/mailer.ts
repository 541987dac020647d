// Sends each email at most once per idempotency key, and keeps a record of what was sent (kind,
// recipient, SES message id, status; never the body). The record is claimed with a conditional
// write before SES is called, so a redelivered or concurrent event cannot send a second copy.
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamo, ses } from './aws.js';
import { now } from './clock.js';
import { config } from './config.js';

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

/** Another invocation is sending the same message right now; retry later to learn how it ended. */
export class EmailInProgressError extends Error {
  constructor(key: string) {
    super(`Email ${key} is being sent by another invocation`);
    this.name = 'EmailInProgressError';
  }
}

/** A claim older than this is taken to belong to an invocation that died mid-send. */
const claimLeaseMs = 60_000;

const recordKey = (key: string) => ({ pk: `EMAIL#${key}`, sk: 'EMAIL' });

/**
 * Sends `email` unless a message with the same key was already sent.
 * Returns `sent` or `already-sent`; throws EmailInProgressError while another sender holds the key.
 */
export async function sendOnce(email: OutgoingEmail): Promise<'sent' | 'already-sent'> {
  const tableName = config.tableName();
  const claimedAt = now();
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...recordKey(email.key),
          type: 'email',
          kind: email.kind,
          recipient: email.to,
          status: 'sending',
          claimedAt: claimedAt.toISOString(),
        },
        // Free, or claimed by a sender that has been silent for longer than the lease.
        ConditionExpression: 'attribute_not_exists(pk) OR (#status = :sending AND claimedAt < :staleBefore)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':staleBefore': new Date(claimedAt.getTime() - claimLeaseMs).toISOString(),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      if (error.Item?.status?.S === 'sent') return 'already-sent';
      throw new EmailInProgressError(email.key);
    }
    throw error;
  }

  let messageId: string | undefined;
  try {
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
            ...(email.attachments?.length
              ? {
                  Attachments: email.attachments.map((a) => ({
                    FileName: a.filename,
                    ContentType: a.contentType,
                    RawContent: typeof a.content === 'string' ? new TextEncoder().encode(a.content) : a.content,
                  })),
                }
              : {}),
          },
        },
      }),
    );
    messageId = result.MessageId;
  } catch (error) {
    // Nothing went out: release the claim so that a retry can send.
    await dynamo()
      .send(
        new DeleteCommand({
          TableName: tableName,
          Key: recordKey(email.key),
          ConditionExpression: '#status = :sending AND claimedAt = :claimedAt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':claimedAt': claimedAt.toISOString() },
        }),
      )
      .catch(() => undefined);
    throw error;
  }

  await dynamo().send(
    new UpdateCommand({
      TableName: tableName,
      Key: recordKey(email.key),
      UpdateExpression: 'SET #status = :sent, messageId = :messageId, sentAt = :sentAt',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sent': 'sent', ':messageId': messageId ?? 'unknown', ':sentAt': now().toISOString() },
    }),
  );
  return 'sent';
}
