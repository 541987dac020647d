// GET /rounds/{roundId}/applications: the coordinator's view of a round's applications.
import { NotFoundError } from '../../shared/errors.js';
import { httpHandler, json } from '../../shared/http.js';
import { waitlistPositions } from '../../intake/domain.js';
import { intakeStore } from '../../intake/store-instance.js';
import { toRoundApplicationView } from '../views.js';

export const handler = httpHandler('GET /rounds/{roundId}/applications', async ({ path }) => {
  const store = intakeStore();
  const [round, applications] = await Promise.all([store.getRound(path.roundId), store.listRoundApplications(path.roundId)]);
  if (!round) throw new NotFoundError(`No round ${path.roundId}`);
  const positions = waitlistPositions(applications);
  return json(200, {
    roundId: round.roundId,
    applications: applications.map((a) => toRoundApplicationView(a, positions.get(a.applicationId))),
  });
});
