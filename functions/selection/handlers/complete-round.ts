// POST /rounds/{roundId}/complete: the coordinator marks the round done.
import { httpHandler, json } from '../../shared/http.js';
import { toRoundView } from '../../intake/domain.js';
import { selectionPorts } from '../composition.js';
import { completeRound } from '../use-cases.js';

export const handler = httpHandler('POST /rounds/{roundId}/complete', async ({ path }) => {
  const ports = selectionPorts();
  const round = await completeRound(ports, path.roundId);
  return json(200, toRoundView(round, ports.clock.now()));
});
