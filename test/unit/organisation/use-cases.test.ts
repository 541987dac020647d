// The register's import and its readings on an in-memory store: what is added, changed, removed
// (and kept on record), what is left alone, and the regions it makes.
import { describe, expect, it } from 'vitest';
import { importRegister, listMunicipalities, listRegions } from '../../../functions/organisation/use-cases.js';
import { MunicipalityRegisterBody, type RegisterRow } from '../../../schemas/api/organisation.js';
import { MemoryMunicipalityStore } from '../../support/memory/municipalities.js';

const row = (code: string, name_fi: string, region_code = '01', extra: Partial<RegisterRow> = {}): RegisterRow => ({
  code,
  name_fi,
  name_sv: `${name_fi} (sv)`,
  region_code,
  region_fi: region_code === '01' ? 'Uusimaa' : 'Varsinais-Suomi',
  region_sv: region_code === '01' ? 'Nyland' : 'Egentliga Finland',
  population: 1000,
  ...extra,
});

function setUp() {
  let t = Date.parse('2027-01-01T00:00:00.000Z');
  const municipalities = new MemoryMunicipalityStore();
  return { municipalities, ports: { municipalities, clock: { now: () => new Date((t += 1000)) } } };
}

describe('importRegister', () => {
  it('adds every municipality of a first import', async () => {
    const { ports } = setUp();
    const result = await importRegister(ports, [row('091', 'Helsinki'), row('853', 'Turku', '02')]);
    expect(result).toEqual({
      added: [
        { code: '091', name_fi: 'Helsinki' },
        { code: '853', name_fi: 'Turku' },
      ],
      changed: [],
      removed: [],
      unchanged: 0,
      total: 2,
    });
  });

  it('says which fields changed, writes nothing for unchanged rows, and keeps a removed (merged) code on record', async () => {
    const { ports, municipalities } = setUp();
    await importRegister(ports, [row('091', 'Helsinki'), row('049', 'Espoo'), row('092', 'Vantaa')]);
    const writesBefore = municipalities.writes;
    const result = await importRegister(ports, [row('091', 'Helsinki'), row('049', 'Espoo', '01', { population: 300_000 })]);
    expect(result.changed).toEqual([{ code: '049', name_fi: 'Espoo', fields: ['population'] }]);
    expect(result.removed).toEqual([{ code: '092', name_fi: 'Vantaa' }]);
    expect(result.unchanged).toBe(1);
    expect(municipalities.writes - writesBefore).toBe(2);
    expect(municipalities.byCode.get('092')).toMatchObject({ name_fi: 'Vantaa', removedAt: expect.any(String) });
    expect((await listMunicipalities(ports)).map((m) => m.code)).toEqual(['049', '091']);
  });

  it('adds a removed code again when it comes back', async () => {
    const { ports, municipalities } = setUp();
    await importRegister(ports, [row('091', 'Helsinki'), row('092', 'Vantaa')]);
    await importRegister(ports, [row('091', 'Helsinki')]);
    const result = await importRegister(ports, [row('091', 'Helsinki'), row('092', 'Vantaa')]);
    expect(result.added).toEqual([{ code: '092', name_fi: 'Vantaa' }]);
    expect(municipalities.byCode.get('092')?.removedAt).toBeUndefined();
  });
});

describe('reading the register', () => {
  it('lists one region’s municipalities in code order, and the regions with their counts', async () => {
    const { ports } = setUp();
    await importRegister(ports, [
      row('853', 'Turku', '02'),
      row('091', 'Helsinki'),
      row('049', 'Espoo', '01', { population: 2000 }),
    ]);
    expect(await listMunicipalities(ports, '01')).toEqual([
      { code: '049', name_fi: 'Espoo', name_sv: 'Espoo (sv)', region_code: '01', population: 2000 },
      { code: '091', name_fi: 'Helsinki', name_sv: 'Helsinki (sv)', region_code: '01', population: 1000 },
    ]);
    expect(await listRegions(ports)).toEqual([
      { code: '01', name_fi: 'Uusimaa', name_sv: 'Nyland', municipalities: 2, population: 3000 },
      { code: '02', name_fi: 'Varsinais-Suomi', name_sv: 'Egentliga Finland', municipalities: 1, population: 1000 },
    ]);
  });
});

describe('the register body', () => {
  const issues = (rows: unknown) => {
    const parsed = MunicipalityRegisterBody.safeParse(rows);
    return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path, message: i.message }));
  };

  it('names the row and field of a bad code, a repeated code and a region named two ways', () => {
    expect(issues([row('091', 'Helsinki'), { ...row('49', 'Espoo') }])).toEqual([
      { path: [1, 'code'], message: expect.stringContaining('three-digit') },
    ]);
    expect(issues([row('091', 'Helsinki'), row('091', 'Helsingfors')])).toEqual([
      { path: [1, 'code'], message: "is already row 0's code" },
    ]);
    expect(issues([row('091', 'Helsinki'), row('049', 'Espoo', '01', { region_fi: 'Uusimaan maakunta' })])).toEqual([
      { path: [1, 'region_fi'], message: expect.stringContaining('row 0') },
    ]);
  });

  it('takes the shipped register whole', async () => {
    const { readFile } = await import('node:fs/promises');
    const rows = JSON.parse(await readFile(new URL('../../../data/municipalities.json', import.meta.url), 'utf8'));
    expect(issues(rows)).toEqual([]);
    expect(rows).toHaveLength(309);
  });
});
