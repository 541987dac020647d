// GET /applications/{applicationId}?token=: the applicant reads where the application stands.
import { timingSafeEqual } from 'node:crypto';
import { ForbiddenError, NotFoundError } from '../../shared/errors.js';
import { httpHandler, json } from '../../shared/http.js';
import { toApplicationView } from '../domain.js';
import { intakeStore } from '../store-instance.js';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const handler = httpHandler('GET /applications/{applicationId}', async ({ path, query }) => {
    const store = intakeStore();
    const application = await store.getApplication(path.applicationId);
    if (!application) throw new NotFoundError(`No application ${path.applicationId}`);
    if (!sameSecret(query.token, application.accessToken)) {
      throw new ForbiddenError('The link is not valid for this application; use the link from your email');
    }
    const round = await store.getRound(application.roundId);
    return json(200, toApplicationView(application, round ?? { name: application.roundId }));
  },
);
