// The municipality register as plain functions: what an import changes, and the regions it makes.
// No AWS here.
import type { RegionView, RegisterImportResult, RegisterRow } from '../../schemas/api/organisation.js';
import type { Municipality } from '../../schemas/stored/municipality.js';

const rowFields = ['name_fi', 'name_sv', 'region_code', 'region_fi', 'region_sv', 'population'] as const;

/** The fields of `row` that differ from what the register holds. */
function changedFields(held: Municipality, row: RegisterRow): string[] {
  return rowFields.filter((field) => held[field] !== row[field]);
}

/**
 * What importing `rows` over the register `held` writes, and the answer that says so. A code missing
 * from the rows leaves the register (merged into another) but stays on record with `removedAt`; a
 * removed code that comes back is added again.
 */
export function planImport(
  held: readonly Municipality[],
  rows: readonly RegisterRow[],
  at: string,
): { writes: Municipality[]; result: RegisterImportResult } {
  const byCode = new Map(held.map((m) => [m.code, m]));
  const given = new Set(rows.map((r) => r.code));
  const writes: Municipality[] = [];
  const result: RegisterImportResult = { added: [], changed: [], removed: [], unchanged: 0, total: rows.length };
  for (const row of rows) {
    const current = byCode.get(row.code);
    const named = { code: row.code, name_fi: row.name_fi };
    if (!current || current.removedAt) {
      writes.push({ ...row, importedAt: at });
      result.added.push(named);
      continue;
    }
    const fields = changedFields(current, row);
    if (fields.length === 0) {
      result.unchanged += 1;
      continue;
    }
    writes.push({ ...row, importedAt: at });
    result.changed.push({ ...named, fields });
  }
  for (const current of held) {
    if (given.has(current.code) || current.removedAt) continue;
    writes.push({ ...current, removedAt: at });
    result.removed.push({ code: current.code, name_fi: current.name_fi });
  }
  return { writes, result };
}

/** The municipalities in the register now (removed ones left out), in code order. */
export function current(municipalities: readonly Municipality[]): Municipality[] {
  return municipalities.filter((m) => !m.removedAt).sort((a, b) => a.code.localeCompare(b.code));
}

/** The regions of the register, in code order, with how many municipalities and people each has. */
export function regionsOf(municipalities: readonly Municipality[]): RegionView[] {
  const regions = new Map<string, RegionView>();
  for (const m of current(municipalities)) {
    const region = regions.get(m.region_code) ?? {
      code: m.region_code,
      name_fi: m.region_fi,
      name_sv: m.region_sv,
      municipalities: 0,
      population: 0,
    };
    region.municipalities += 1;
    region.population += m.population ?? 0;
    regions.set(m.region_code, region);
  }
  return [...regions.values()].sort((a, b) => a.code.localeCompare(b.code));
}
