// Finding and marking the applications whose contact address stopped working.
import { ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { dynamo } from '../shared/aws.js';
import { decodeAll } from '../shared/items.js';
import { applicationKey } from '../shared/keys.js';
import { eventParts, type PendingEvent } from '../shared/outbox.js';
import { committedUnless, part, transact } from '../shared/transactions.js';
import type { ContactStore, UnreachableReason } from './use-cases.js';

/** What a bounce needs of an application: which one, and of which round. */
const ContactedApplication = z.object({ applicationId: z.string(), roundId: z.string() });

export class DynamoContactStore implements ContactStore {
  constructor(private readonly tableName: string) {}

  /**
   * A filtered scan: bounces are rare, and no index by address is kept (an index of addresses would
   * be one more copy of personal data to erase).
   */
  async applicationsOfContact(address: string): Promise<{ applicationId: string; roundId: string }[]> {
    const found: Record<string, unknown>[] = [];
    let ExclusiveStartKey: ScanCommandInput['ExclusiveStartKey'];
    do {
      const page = await dynamo().send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '#type = :application AND contact.email = :address',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':application': 'application', ':address': address.toLowerCase() },
          ExclusiveStartKey,
        }),
      );
      found.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return decodeAll(ContactedApplication, found);
  }

  markUnreachable(
    applicationId: string,
    reason: UnreachableReason,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<boolean> {
    const tableName = this.tableName;
    return committedUnless('application', () =>
      transact([
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
      ]),
    );
  }
}
