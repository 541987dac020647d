// GET /municipalities?region=: the register, for pickers (public).
import { httpHandler, json } from '../../shared/http.js';
import { organisationPorts } from '../composition.js';
import { listMunicipalities } from '../use-cases.js';

export const handler = httpHandler('GET /municipalities', async ({ query }) =>
  json(200, { municipalities: await listMunicipalities(organisationPorts(), query.region) }),
);
