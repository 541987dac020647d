// The report store in memory, with the same update semantics as its one conditional write: `set`
// always, `fill` where missing, and the guard (`raises`, `absent`) deciding whether anything happens.
import { ReportItem } from '../../../schemas/stored/report.js';
import type { Change, ReportUpdate } from '../../../functions/reporting/updates.js';
import type { ReportStore } from '../../../functions/stores/reports.js';

type Item = Record<string, unknown>;

function admits(item: Item | undefined, change: Change): boolean {
  if (change.raises) {
    const current = item?.[change.raises.field] as string | number | undefined;
    return current === undefined || current < change.raises.value;
  }
  if (change.absent) return item?.[change.absent] === undefined;
  return true;
}

export class MemoryReportStore implements ReportStore {
  /** Items by `pk|sk`, as the table would hold them (keys included). */
  readonly items = new Map<string, Item>();

  async roundItems(roundId: string): Promise<ReportItem[]> {
    return [...this.items.values()].filter((i) => i.pk === `REPORT#${roundId}`).map((i) => ReportItem.parse(i));
  }

  async apply({ key, change }: ReportUpdate): Promise<boolean> {
    const id = `${key.pk}|${key.sk}`;
    const item = this.items.get(id);
    if (!admits(item, change)) return false;
    const next: Item = { ...key, ...item };
    for (const [field, value] of Object.entries(change.set)) if (value !== undefined) next[field] = value;
    for (const [field, value] of Object.entries(change.fill ?? {}))
      if (value !== undefined && next[field] === undefined) next[field] = value;
    this.items.set(id, next);
    return true;
  }
}
