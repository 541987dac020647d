// CSV for spreadsheets (RFC 4180, CRLF, a header row) by csv-stringify: a cell a spreadsheet would
// run as a formula (=, +, -, @, tab, CR first) is prefixed with an apostrophe, so a name typed as
// =HYPERLINK(…) stays text; booleans read true/false, missing values are empty.
import { stringify } from 'csv-stringify/sync';

export function toCsv<C extends string>(columns: readonly C[], rows: readonly Partial<Record<C, unknown>>[]): string {
  return stringify([...rows] as Record<string, unknown>[], {
    header: true,
    columns: [...columns],
    record_delimiter: 'windows',
    escape_formulas: true,
    // With CRLF as the record delimiter a lone LF would go unquoted; readers take it as a new row.
    quoted_match: /[\r\n]/,
    cast: { boolean: (value) => String(value) },
  });
}
