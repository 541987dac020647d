// GET /applications/{applicationId}?token=: the applicant reads where the application stands.
import { assertToken } from '../../shared/access.js';
import { config } from '../../shared/config.js';
import { NotFoundError } from '../../shared/errors.js';
import { httpHandler, json } from '../../shared/http.js';
import { toApplicationView, waitlistPositions } from '../domain.js';
import { intakeStore } from '../store-instance.js';

export const handler = httpHandler('GET /applications/{applicationId}', async ({ path, query }) => {
  const store = intakeStore();
  const application = await store.getApplication(path.applicationId);
  if (!application) throw new NotFoundError(`No application ${path.applicationId}`);
  assertToken(query.token, application.accessToken, 'application');
  const [round, position] = await Promise.all([
    store.getRound(application.roundId),
    application.status === 'waitlisted'
      ? store.listRoundApplications(application.roundId).then((all) => waitlistPositions(all).get(application.applicationId))
      : undefined,
  ]);
  const view = toApplicationView(application, round ?? { name: application.roundId }, {
    publicUrl: config.publicUrl(),
    ...(position !== undefined ? { position } : {}),
  });
  return json(200, view);
});
