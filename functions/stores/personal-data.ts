// The whole table as privacy sees it: export and erasure must find a person's data in every item,
// whatever capability wrote it (a log note, an email record), so this store reads and rewrites items
// generically, by key, instead of through each aggregate's store.
import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, ScanCommand, TransactWriteCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Item } from '../privacy/domain.js';
import { dynamo } from '../shared/aws.js';
import { erasureKey } from '../shared/keys.js';

export interface ErasureRecord {
  by: string;
  at: string;
  items: number;
}

/** Reading only (the export): its handler gets no right to write. */
export interface PersonalDataReader {
  /** Every item that `keep` accepts; a consistent full scan, so nothing is missed. */
  scan(keep: (item: Item) => boolean): Promise<Item[]>;
}

export interface PersonalDataStore extends PersonalDataReader {
  /** Deletes the item (by its key). */
  remove(item: Item): Promise<void>;
  /** Writes `erased` in place of `item`; when its key changed, the old item goes in the same transaction. */
  replace(item: Item, erased: Item): Promise<void>;
  /** Records an erasure (who and when, never whom) and answers its id. */
  recordErasure(record: ErasureRecord): Promise<string>;
}

const keyOf = (item: Item) => ({ pk: item.pk, sk: item.sk });

export class DynamoPersonalDataReader implements PersonalDataReader {
  constructor(protected readonly tableName: string) {}

  async scan(keep: (item: Item) => boolean): Promise<Item[]> {
    const found: Item[] = [];
    let ExclusiveStartKey: ScanCommandInput['ExclusiveStartKey'];
    do {
      const page = await dynamo().send(new ScanCommand({ TableName: this.tableName, ExclusiveStartKey, ConsistentRead: true }));
      found.push(...(page.Items ?? []).filter(keep));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return found;
  }
}

export class DynamoPersonalDataStore extends DynamoPersonalDataReader implements PersonalDataStore {
  constructor(
    tableName: string,
    private readonly newId: () => string = randomUUID,
  ) {
    super(tableName);
  }

  async remove(item: Item): Promise<void> {
    await dynamo().send(new DeleteCommand({ TableName: this.tableName, Key: keyOf(item) }));
  }

  async replace(item: Item, erased: Item): Promise<void> {
    const TableName = this.tableName;
    if (erased.pk === item.pk && erased.sk === item.sk) {
      await dynamo().send(new PutCommand({ TableName, Item: erased, ConditionExpression: 'attribute_exists(pk)' }));
      return;
    }
    // The key itself named the person (e.g. a one-registration-per-email guard): move the item.
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName, Key: keyOf(item), ConditionExpression: 'attribute_exists(pk)' } },
          { Put: { TableName, Item: erased } },
        ],
      }),
    );
  }

  async recordErasure(record: ErasureRecord): Promise<string> {
    const erasureId = this.newId();
    await dynamo().send(
      new PutCommand({ TableName: this.tableName, Item: { ...erasureKey(erasureId), type: 'erasure', erasureId, ...record } }),
    );
    return erasureId;
  }
}
