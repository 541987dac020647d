// The organisation's use cases: importing the municipality register and reading it, by region.
import type { MunicipalityView, RegionView, RegisterImportResult, RegisterRow } from '../../schemas/api/organisation.js';
import type { Clock } from '../shared/clock.js';
import type { MunicipalityStore } from '../stores/municipalities.js';
import { current, planImport, regionsOf } from './domain.js';

export interface OrganisationPorts {
  municipalities: MunicipalityStore;
  clock: Clock;
}

/** Replaces the register with `rows` (already validated whole: a bad row stops the import before anything is written). */
export async function importRegister(ports: OrganisationPorts, rows: readonly RegisterRow[]): Promise<RegisterImportResult> {
  const held = await ports.municipalities.all();
  const { writes, result } = planImport(held, rows, ports.clock.now().toISOString());
  await ports.municipalities.save(writes);
  return result;
}

/** The register's municipalities now, of one region or all. */
export async function listMunicipalities(
  ports: Pick<OrganisationPorts, 'municipalities'>,
  region?: string,
): Promise<MunicipalityView[]> {
  return current(await ports.municipalities.all())
    .filter((m) => !region || m.region_code === region)
    .map(({ code, name_fi, name_sv, region_code, population }) => ({
      code,
      name_fi,
      name_sv,
      region_code,
      ...(population !== undefined ? { population } : {}),
    }));
}

export async function listRegions(ports: Pick<OrganisationPorts, 'municipalities'>): Promise<RegionView[]> {
  return regionsOf(await ports.municipalities.all());
}
