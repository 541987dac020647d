// GET /rounds/{roundId}/applications: the coordinator's view of a round's applications.
import { httpHandler, json } from '../../shared/http.js';
import { selectionPorts } from '../composition.js';
import { listRoundApplications } from '../use-cases.js';

export const handler = httpHandler('GET /rounds/{roundId}/applications', async ({ path }) =>
  json(200, await listRoundApplications(selectionPorts(), path.roundId)),
);
