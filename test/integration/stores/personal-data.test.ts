// The personal-data store's contract, against the in-memory fake and DynamoDB Local alike.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../../functions/shared/aws.js';
import { DynamoPersonalDataStore, type PersonalDataStore } from '../../../functions/stores/personal-data.js';
import { createIsolatedTable } from '../../../local/testing.js';
import { MemoryPersonalDataStore } from '../../support/memory/personal-data.js';

type Item = Record<string, unknown>;
let tableName: string;
beforeAll(async () => {
  tableName = await createIsolatedTable('personal-data-store');
});

/** A store with `items` in it, and a way to read one back by key. */
interface Subject {
  store: PersonalDataStore;
  read(pk: string, sk: string): Promise<Item | undefined>;
}

const subjects: [string, (items: Item[]) => Promise<Subject>][] = [
  [
    'in memory',
    async (items) => {
      const store = new MemoryPersonalDataStore(items);
      return { store, read: async (pk, sk) => store.get(pk, sk) };
    },
  ],
  [
    'DynamoDB Local',
    async (items) => {
      for (const Item of items) await dynamo().send(new PutCommand({ TableName: tableName, Item }));
      return {
        store: new DynamoPersonalDataStore(tableName),
        read: async (pk, sk) => (await dynamo().send(new GetCommand({ TableName: tableName, Key: { pk, sk } }))).Item,
      };
    },
  ],
];

let n = 0;
describe.each(subjects)('personal-data store (%s)', (_name, make) => {
  it('scans with the filter, replaces in place, moves a re-keyed item, removes, and records erasures', async () => {
    const p = `T${n++}-${Date.now().toString(36)}`;
    const a = { pk: `${p}#A`, sk: 'X', note: 'mentions maija@example.fi' };
    const b = { pk: `${p}#B`, sk: 'EMAIL#maija@example.fi', type: 'guard' };
    const c = { pk: `${p}#C`, sk: 'X', type: 'suppression' };
    const { store, read } = await make([a, b, c]);
    const found = await store.scan((item) => String(item.pk).startsWith(p));
    expect(found.map((i) => i.pk).sort()).toEqual([a.pk, b.pk, c.pk]);
    await store.replace(a, { ...a, note: 'mentions erased' });
    await store.replace(b, { ...b, sk: 'EMAIL#erased' });
    await store.remove(c);
    expect(await read(a.pk, a.sk)).toMatchObject({ note: 'mentions erased' });
    expect(await read(b.pk, b.sk)).toBeUndefined();
    expect(await read(b.pk, 'EMAIL#erased')).toMatchObject({ type: 'guard' });
    expect(await read(c.pk, c.sk)).toBeUndefined();
    await expect(store.replace({ pk: `${p}#gone`, sk: 'X' }, { pk: `${p}#gone`, sk: 'X', a: 1 })).rejects.toThrow();
    expect(await read(`${p}#gone`, 'X')).toBeUndefined();
    const erasureId = await store.recordErasure({ by: 'kaisa@example.fi', at: '2028-01-01T00:00:00.000Z', items: 2 });
    expect(erasureId).toEqual(expect.any(String));
  });
});
