// The table as privacy sees it, in memory: items by key, scanned, removed and replaced as DynamoDB would.
import type { Item } from '../../../functions/privacy/domain.js';
import type { ErasureRecord, PersonalDataStore } from '../../../functions/stores/personal-data.js';

const id = (item: Item) => `${String(item.pk)}|${String(item.sk)}`;

export class MemoryPersonalDataStore implements PersonalDataStore {
  readonly items = new Map<string, Item>();
  readonly erasures: (ErasureRecord & { erasureId: string })[] = [];

  constructor(items: Item[] = []) {
    for (const item of items) this.items.set(id(item), structuredClone(item));
  }

  async scan(keep: (item: Item) => boolean): Promise<Item[]> {
    return [...this.items.values()].filter(keep).map((item) => structuredClone(item));
  }

  async remove(item: Item): Promise<void> {
    this.items.delete(id(item));
  }

  async replace(item: Item, erased: Item): Promise<void> {
    if (!this.items.has(id(item))) throw new Error(`conditional check failed: no item ${id(item)}`);
    this.items.delete(id(item));
    this.items.set(id(erased), structuredClone(erased));
  }

  async recordErasure(record: ErasureRecord): Promise<string> {
    const erasureId = `erasure-${this.erasures.length + 1}`;
    this.erasures.push({ erasureId, ...record });
    return erasureId;
  }

  get(pk: string, sk: string): Item | undefined {
    return this.items.get(`${pk}|${sk}`);
  }
}
