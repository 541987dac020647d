// Export and erasure of one person's data (GDPR articles 15 and 17), and the record of each erasure.
import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, ScanCommand, TransactWriteCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/aws.js';
import { config } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import { anonymise, dropEntirely, exported, keyMentions, mentions, placeholderFor, type Item } from './domain.js';

/**
 * Every item that mentions the address. A full scan: erasure and export are rare, and a scan is the
 * one way to be sure that nothing (a log note, an email record) is missed.
 */
async function itemsMentioning(email: string): Promise<Item[]> {
  const found: Item[] = [];
  let ExclusiveStartKey: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await dynamo().send(new ScanCommand({ TableName: config.tableName(), ExclusiveStartKey, ConsistentRead: true }));
    found.push(...(page.Items ?? []).filter((item) => mentions(item, email)));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return found;
}

export async function exportPerson(email: string, at: Date) {
  const items = await itemsMentioning(email);
  const byType: Record<string, Item[]> = {};
  for (const item of items) (byType[String(item.type ?? 'other')] ??= []).push(exported(item));
  return { email, exportedAt: at.toISOString(), count: items.length, data: byType };
}

/**
 * Erases the address everywhere: names, phones and addresses become placeholders; counts and
 * statuses stay, so the aggregates do not change. Recorded as who and when, never whom.
 */
export async function erasePerson(email: string, by: string, at: Date): Promise<{ erasureId: string; items: number }> {
  const tableName = config.tableName();
  const placeholder = placeholderFor(email);
  const items = await itemsMentioning(email);
  for (const item of items) {
    const key = { pk: item.pk, sk: item.sk };
    if (dropEntirely(item)) {
      await dynamo().send(new DeleteCommand({ TableName: tableName, Key: key }));
      continue;
    }
    const erased = anonymise(item, email, placeholder);
    if (keyMentions(item, email)) {
      // The key itself names the person (e.g. a one-registration-per-email guard): move the item.
      await dynamo().send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: tableName, Key: key, ConditionExpression: 'attribute_exists(pk)' } },
            { Put: { TableName: tableName, Item: erased } },
          ],
        }),
      );
    } else {
      await dynamo().send(new PutCommand({ TableName: tableName, Item: erased, ConditionExpression: 'attribute_exists(pk)' }));
    }
  }
  const erasureId = randomUUID();
  await dynamo().send(
    new PutCommand({
      TableName: tableName,
      Item: {
        pk: `ERASURE#${erasureId}`,
        sk: 'ERASURE',
        type: 'erasure',
        erasureId,
        by,
        at: at.toISOString(),
        items: items.length,
      },
    }),
  );
  logger.info('personal data erased', { erasureId, items: items.length });
  return { erasureId, items: items.length };
}
