// PUT /municipalities (admin): import the municipality register; the answer says what changed.
import { httpHandler, json } from '../../shared/http.js';
import { organisationPorts } from '../composition.js';
import { importRegister } from '../use-cases.js';

export const handler = httpHandler('PUT /municipalities', async ({ body }) =>
  json(200, await importRegister(organisationPorts(), body)),
);
