// The municipality register through its handlers on DynamoDB Local: the admin's import (good, a bad
// row that imports nothing, a re-import where two municipalities merged), the public readings, and
// who may import.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as importRegister } from '../../functions/organisation/handlers/import-register.js';
import { handler as listMunicipalities } from '../../functions/organisation/handlers/list-municipalities.js';
import { handler as listRegions } from '../../functions/organisation/handlers/list-regions.js';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import type { RegisterRow } from '../../schemas/api/organisation.js';
import { countItems, startHarness, type Harness } from '../support/harness.js';
import { callRoute, coordinatorClaims } from '../support/invoke.js';

let harness: Harness;
let register: RegisterRow[];
const adminClaims = { ...coordinatorClaims('agency@example.fi'), 'cognito:groups': '[admins]' };

beforeAll(async () => {
  harness = await startHarness('organisation');
  register = JSON.parse(await readFile(new URL('../../data/municipalities.json', import.meta.url), 'utf8'));
});
afterAll(async () => {
  await harness?.stop();
});

const put = (body: unknown, claims: Record<string, unknown> = adminClaims) =>
  callRoute(importRegister, 'PUT /municipalities', { body, claims });

describe('the municipality register', () => {
  it('refuses a bad row naming its index and field, and imports nothing', async () => {
    const rows = register.map((r) => ({ ...r }));
    rows[42] = { ...rows[42]!, region_code: '1' };
    const before = await countItems(harness.tableName);
    const response = await put(rows);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('42');
    expect(JSON.stringify(response.body)).toContain('region_code');
    expect(await countItems(harness.tableName)).toBe(before);
  });

  it('is for admins only: a coordinator gets 403 and nothing is written', async () => {
    const before = await countItems(harness.tableName);
    expect((await put(register, coordinatorClaims())).status).toBe(403);
    expect((await callRoute(importRegister, 'PUT /municipalities', { body: register })).status).toBe(401);
    expect(await countItems(harness.tableName)).toBe(before);
  });

  it('imports the whole register, then answers the public readings from it', async () => {
    const response = await put(register);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 309, unchanged: 0, changed: [], removed: [] });
    expect((response.body as { added: unknown[] }).added).toHaveLength(309);

    const uusimaa = await callRoute(listMunicipalities, 'GET /municipalities', { query: { region: '01' } });
    expect(uusimaa.status).toBe(200);
    const { municipalities } = uusimaa.body as { municipalities: { code: string; name_sv: string; region_code: string }[] };
    expect(municipalities.find((m) => m.code === '091')).toMatchObject({ name_sv: 'Helsingfors', region_code: '01' });
    expect(municipalities.every((m) => m.region_code === '01')).toBe(true);

    const regions = await callRoute(listRegions, 'GET /regions');
    const list = (regions.body as { regions: { code: string; name_fi: string; municipalities: number }[] }).regions;
    expect(list.reduce((sum, r) => sum + r.municipalities, 0)).toBe(309);
    expect(list.find((r) => r.code === '01')).toMatchObject({ name_fi: 'Uusimaa', municipalities: municipalities.length });
  });

  it('takes a re-import where two municipalities merged into a new one: removed codes stay on record', async () => {
    const [first, second] = register.filter((r) => r.region_code === '02');
    const merged = {
      ...first!,
      code: '999',
      name_fi: 'Yhdistynyt',
      name_sv: 'Sammanslagen',
      population: (first!.population ?? 0) + (second!.population ?? 0),
    };
    const rows = [...register.filter((r) => r !== first && r !== second), merged];
    const response = await put(rows);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      added: [{ code: '999', name_fi: 'Yhdistynyt' }],
      removed: expect.arrayContaining([
        { code: first!.code, name_fi: first!.name_fi },
        { code: second!.code, name_fi: second!.name_fi },
      ]),
      changed: [],
      unchanged: 307,
    });
    const region = await callRoute(listMunicipalities, 'GET /municipalities', { query: { region: '02' } });
    const codes = (region.body as { municipalities: { code: string }[] }).municipalities.map((m) => m.code);
    expect(codes).toContain('999');
    expect(codes).not.toContain(first!.code);
    expect((await put(rows)).body).toMatchObject({ added: [], removed: [], changed: [], unchanged: 308 });
  });

  it('refuses an unknown region in the query, naming the field', async () => {
    const response = await callRoute(listMunicipalities, 'GET /municipalities', { query: { region: 'Uusimaa' } });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('region');
  });
});

describe('the admin role', () => {
  it('may do what a coordinator may: create a round', async () => {
    const opensAt = new Date(Date.now() + 86_400_000).toISOString();
    const closesAt = new Date(Date.now() + 15 * 86_400_000).toISOString();
    const response = await callRoute(createRound, 'POST /rounds', {
      body: { name: 'Kevät 2027', region: '01', places: 3, opensAt, closesAt, languages: ['fi'] },
      claims: adminClaims,
    });
    expect(response.status).toBe(201);
  });
});
