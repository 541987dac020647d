// Finding and marking the applications whose contact address stopped working.
import { ScanCommand, UpdateCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Application } from '../intake/domain.js';
import { applicationKey } from '../intake/store.js';
import { dynamo } from '../shared/aws.js';
import { config } from '../shared/config.js';

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

/** Marks the contact as unreachable; false when it was marked already (a repeated event). */
export async function markUnreachable(applicationId: string, reason: 'bounce' | 'complaint', at: string): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: config.tableName(),
        Key: applicationKey(applicationId),
        UpdateExpression: 'SET contact.unreachable = :mark',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(contact.unreachable)',
        ExpressionAttributeValues: { ':mark': { reason, at } },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
