// Finding and marking the applications whose contact address stopped working.
import { ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Application } from '../intake/domain.js';
import { applicationKey } from '../shared/keys.js';
import { dynamo } from '../shared/aws.js';
import { config } from '../shared/config.js';
import { eventParts, type PendingEvent } from '../shared/outbox.js';
import { part, transact, TransactionRefused } from '../shared/transactions.js';

/**
 * Applications whose contact is `address`. A filtered scan: bounces are rare, and no index by
 * address is kept (an index of addresses would be one more copy of personal data to erase).
 */
export async function applicationsOfContact(address: string): Promise<Application[]> {
  const found: Application[] = [];
  let ExclusiveStartKey: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await dynamo().send(
      new ScanCommand({
        TableName: config.tableName(),
        FilterExpression: '#type = :application AND contact.email = :address',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':application': 'application', ':address': address.toLowerCase() },
        ExclusiveStartKey,
      }),
    );
    found.push(...((page.Items ?? []) as Application[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return found;
}

/**
 * Marks the contact as unreachable, with its events (ContactUnreachable) in the same transaction.
 * False when it was marked already (a repeated bounce) or the application is gone: nothing is written.
 */
export async function markUnreachable(
  applicationId: string,
  reason: 'bounce' | 'complaint',
  at: string,
  events: readonly PendingEvent[],
): Promise<boolean> {
  const tableName = config.tableName();
  try {
    await transact([
      part('application', {
        Update: {
          TableName: tableName,
          Key: applicationKey(applicationId),
          UpdateExpression: 'SET contact.unreachable = :mark',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(contact.unreachable)',
          ExpressionAttributeValues: { ':mark': { reason, at } },
        },
      }),
      ...eventParts(events, { tableName, at }),
    ]);
    return true;
  } catch (error) {
    if (error instanceof TransactionRefused && error.refused('application')) return false;
    throw error;
  }
}
