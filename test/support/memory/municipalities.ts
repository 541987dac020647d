// The municipality register in memory: one entry per code, each write replacing the one of its code.
import type { Municipality } from '../../../schemas/stored/municipality.js';
import type { MunicipalityStore } from '../../../functions/stores/municipalities.js';

export class MemoryMunicipalityStore implements MunicipalityStore {
  readonly byCode = new Map<string, Municipality>();
  writes = 0;

  async all(): Promise<Municipality[]> {
    return [...this.byCode.values()].map((m) => structuredClone(m));
  }

  async save(municipalities: readonly Municipality[]): Promise<void> {
    for (const m of municipalities) this.byCode.set(m.code, structuredClone(m));
    this.writes += municipalities.length;
  }
}
