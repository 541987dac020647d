// The default municipality register (data/municipalities.json), imported into a table that holds
// none, so that a new user's `npm start` knows the municipalities and regions at once.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { importRegister } from '../functions/organisation/use-cases.js';
import { systemClock } from '../functions/shared/clock.js';
import { DynamoMunicipalityStore } from '../functions/stores/municipalities.js';
import { MunicipalityRegisterBody } from '../schemas/api/organisation.js';
import { localDynamoClient } from './dynamodb.js';
import { projectRoot } from './handlers.js';

export const defaultRegisterFile = path.join(projectRoot, 'data', 'municipalities.json');

/**
 * Imports the register from `file` unless the table has one; answers how many municipalities it
 * added. Through a client of its own on `dynamoEndpoint`: the handlers' shared client belongs to them.
 */
export async function importRegisterIfEmpty(
  dynamoEndpoint: string,
  tableName: string,
  file = defaultRegisterFile,
): Promise<number> {
  const client = DynamoDBDocumentClient.from(localDynamoClient(dynamoEndpoint), {
    marshallOptions: { removeUndefinedValues: true },
  });
  try {
    const municipalities = new DynamoMunicipalityStore(tableName, () => client);
    if ((await municipalities.all()).length > 0) return 0;
    const rows = MunicipalityRegisterBody.parse(JSON.parse(await readFile(file, 'utf8')));
    const result = await importRegister({ municipalities, clock: systemClock }, rows);
    return result.added.length;
  } finally {
    client.destroy();
  }
}
