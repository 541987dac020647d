// GET /regions: the regions of the register, with their names (public).
import { httpHandler, json } from '../../shared/http.js';
import { organisationPorts } from '../composition.js';
import { listRegions } from '../use-cases.js';

export const handler = httpHandler('GET /regions', async () => json(200, { regions: await listRegions(organisationPorts()) }));
