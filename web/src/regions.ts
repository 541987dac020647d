// Region names for codes ("01" → "Uusimaa" / "Nyland") from GET /regions, where the API has it;
// until then, and for a code it does not know, the code itself.
import { call } from './api.js';
import { lang } from './i18n.js';

interface RegionRow {
  code?: string;
  region_code?: string;
  name_fi?: string;
  name_sv?: string;
  region_fi?: string;
  region_sv?: string;
}

let names: Promise<Map<string, { fi?: string; sv?: string }>> | undefined;

function loadNames(): Promise<Map<string, { fi?: string; sv?: string }>> {
  names ??= call<{ regions?: RegionRow[] } | RegionRow[]>('GET', '/regions')
    .then((answer) => {
      const rows = Array.isArray(answer) ? answer : (answer?.regions ?? []);
      return new Map(
        rows.flatMap((row) => {
          const code = row.code ?? row.region_code;
          return code ? [[code, { fi: row.name_fi ?? row.region_fi, sv: row.name_sv ?? row.region_sv }] as const] : [];
        }),
      );
    })
    .catch(() => new Map());
  return names;
}

/** A function naming region codes in the page's language (Swedish names on sv pages, else Finnish). */
export async function regionNamer(): Promise<(code: string) => string> {
  const known = await loadNames();
  return (code) => {
    const name = known.get(code);
    const inLanguage = lang() === 'sv' ? (name?.sv ?? name?.fi) : (name?.fi ?? name?.sv);
    return inLanguage ? `${inLanguage} (${code})` : code;
  };
}
