// Statistics and the printed table of the bench: plain functions, tested in test/bench.

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const kb = (bytes: number): number => bytes / 1024;

export const ratio = (value: number, floor: number): number => value / floor;

export interface Column<Row> {
  readonly header: string;
  /** Numbers are right-aligned, text left-aligned. */
  readonly align?: 'left' | 'right';
  readonly value: (row: Row) => string;
}

/** Rows under a header and a rule, each column as wide as its widest cell, two spaces apart. */
export function formatTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cells = [columns.map((c) => c.header), ...rows.map((row) => columns.map((c) => c.value(row)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  const pad = (text: string, i: number) =>
    columns[i]!.align === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  const lines = cells.map((line) => line.map(pad).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}

/** `12.3` with a fixed number of decimals. */
export const fixed = (value: number, decimals = 1): string => value.toFixed(decimals);

/** `×1.42` */
export const times = (value: number): string => `×${value.toFixed(2)}`;

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** p50/p95/p99/max of a non-empty list, by nearest rank. */
export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) throw new Error('percentiles of no values');
  const s = [...values].sort((a, b) => a - b);
  const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { p50: rank(0.5), p95: rank(0.95), p99: rank(0.99), max: s[s.length - 1]! };
}
