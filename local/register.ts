// The default municipality register (data/municipalities.json), imported into a table that holds
// none, so that a new user's `npm start` knows the municipalities and regions at once.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { importRegister } from '../functions/organisation/use-cases.js';
import { systemClock } from '../functions/shared/clock.js';
import { DynamoMunicipalityStore } from '../functions/stores/municipalities.js';
import { MunicipalityRegisterBody } from '../schemas/api/organisation.js';
import { projectRoot } from './handlers.js';

export const defaultRegisterFile = path.join(projectRoot, 'data', 'municipalities.json');

/** Imports the register from `file` unless the table has one; answers how many municipalities it added. */
export async function importRegisterIfEmpty(tableName: string, file = defaultRegisterFile): Promise<number> {
  const municipalities = new DynamoMunicipalityStore(tableName);
  if ((await municipalities.all()).length > 0) return 0;
  const rows = MunicipalityRegisterBody.parse(JSON.parse(await readFile(file, 'utf8')));
  const result = await importRegister({ municipalities, clock: systemClock }, rows);
  return result.added.length;
}
