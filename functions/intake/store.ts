// Shim until every capability reads through its own codecs and stores; the lead removes it.
// The application item now comes from functions/stores/applications.ts.
export { applicationItem } from '../stores/applications.js';

/** @deprecated read items through their codec (functions/shared/items.ts `decode`). */
export const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _t, ...rest } = item;
  return rest as T;
};
