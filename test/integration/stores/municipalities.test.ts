// The register store's contract, against the in-memory fake and DynamoDB Local alike.
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoMunicipalityStore, type MunicipalityStore } from '../../../functions/stores/municipalities.js';
import { createIsolatedTable } from '../../../local/testing.js';
import type { Municipality } from '../../../schemas/stored/municipality.js';
import { MemoryMunicipalityStore } from '../../support/memory/municipalities.js';

const stores: [string, () => Promise<MunicipalityStore>][] = [
  ['in memory', async () => new MemoryMunicipalityStore()],
  ['DynamoDB Local', async () => new DynamoMunicipalityStore(await createIsolatedTable('register-store'))],
];

const municipality = (n: number, extra: Partial<Municipality> = {}): Municipality => ({
  code: String(n).padStart(3, '0'),
  name_fi: `Kunta ${n}`,
  name_sv: `Kommun ${n}`,
  region_code: '01',
  region_fi: 'Uusimaa',
  region_sv: 'Nyland',
  importedAt: '2027-01-01T00:00:00.000Z',
  ...extra,
});

describe.each(stores)('register store (%s)', (_name, make) => {
  let store: MunicipalityStore;
  beforeEach(async () => {
    store = await make();
  });

  it('holds what was saved, in batches larger than one request takes, each code once', async () => {
    const many = Array.from({ length: 60 }, (_, i) => municipality(i + 1));
    await store.save(many);
    await store.save([municipality(7, { name_fi: 'Uusi nimi', removedAt: '2027-02-01T00:00:00.000Z', population: 12 })]);
    const all = await store.all();
    expect(all).toHaveLength(60);
    expect(all.find((m) => m.code === '007')).toEqual(
      municipality(7, { name_fi: 'Uusi nimi', removedAt: '2027-02-01T00:00:00.000Z', population: 12 }),
    );
  });

  it('is empty before anything is saved', async () => {
    expect(await store.all()).toEqual([]);
  });
});
