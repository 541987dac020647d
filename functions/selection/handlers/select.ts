// POST /rounds/{roundId}/selection: a coordinator selects now (first-come or manual).
import { httpHandler, json } from '../../shared/http.js';
import { selectionPorts } from '../composition.js';
import { requestSelection } from '../use-cases.js';

export const handler = httpHandler('POST /rounds/{roundId}/selection', async ({ path, body, caller }) => {
  const by = caller.role === 'public' ? 'unknown' : caller.email;
  return json(200, await requestSelection(selectionPorts(), path.roundId, body, by));
});
