// The one CSV writer (functions/shared/csv.ts): what a spreadsheet reads back is what was stored,
// except that a would-be formula stays text.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../../functions/shared/csv.js';

describe('toCsv', () => {
  const columns = ['name', 'count', 'flag', 'missing'] as const;

  it('writes a header and CRLF rows that a CSV parser reads back to the same values', () => {
    const names = ['Kunta "Ö", testi', 'rivi\nkaksi', '<script>alert(1)</script>', 'Åsa 🙂', ''];
    const csv = toCsv(
      columns,
      names.map((name, i) => ({ name, count: i + 0.5, flag: i % 2 === 0 })),
    );
    expect(csv.startsWith('name,count,flag,missing\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.name)).toEqual(names);
    expect(rows.map((r) => r.count)).toEqual(['0.5', '1.5', '2.5', '3.5', '4.5']);
    expect(rows.map((r) => r.flag)).toEqual(['true', 'false', 'true', 'false', 'true']);
    expect(rows.every((r) => r.missing === '')).toBe(true);
  });

  it('keeps formulas as text: =, +, -, @ first get an apostrophe', () => {
    const values = ['=HYPERLINK("http://x","y")', '+SUM(1)', '-1', '@cmd', 'plain'];
    const rows = parse(
      toCsv(
        ['name'],
        values.map((name) => ({ name })),
      ),
      { columns: true },
    ) as { name: string }[];
    expect(rows.map((r) => r.name)).toEqual([`'=HYPERLINK("http://x","y")`, "'+SUM(1)", "'-1", "'@cmd", 'plain']);
  });
});
