// POST /rounds/{roundId}/applications: a municipality applies; one application per municipality per round.
import { randomUUID } from 'node:crypto';
import type { ApplyResponse } from '../../../schemas/api/applications.js';
import { now } from '../../shared/clock.js';
import { newAccessToken } from '../../shared/access.js';
import { config } from '../../shared/config.js';
import { NotFoundError } from '../../shared/errors.js';
import { httpHandler, json } from '../../shared/http.js';
import { event } from '../../shared/outbox.js';
import { assertCanApply, newApplication, statusUrl, type Application } from '../domain.js';
import { intakeStore } from '../store-instance.js';

const received = (application: Application) => ({
  applicationId: application.applicationId,
  roundId: application.roundId,
  municipalityCode: application.municipality.code,
  language: application.language,
  receivedAt: application.receivedAt,
});

export const handler = httpHandler('POST /rounds/{roundId}/applications', async ({ path, body }) => {
  const store = intakeStore();
  const at = now();
  const round = await store.getRound(path.roundId);
  if (!round) throw new NotFoundError(`No round ${path.roundId}`);
  assertCanApply(round, body.language, at);

  const candidate = newApplication(round, body, {
    applicationId: randomUUID(),
    accessToken: newAccessToken(),
    now: at,
  });
  // ApplicationReceived is written with the application, in one transaction. A repeat (the applicant's
  // retry, a race) is a duplicate and writes nothing: the first one's event is already on record.
  const { outcome, application } = await store.createApplication(candidate, at.toISOString(), [
    event('ApplicationReceived', received(candidate)),
  ]);

  // The status link is a secret: only the first answer carries it. A repeat answers the same for any
  // address (so it tells nobody which address applied); the contact asks for the link again with
  // POST /rounds/{roundId}/status-link, which mails it to the address on file.
  const response: ApplyResponse = {
    applicationId: application.applicationId,
    status: application.status,
    ...(outcome === 'created' ? { statusUrl: statusUrl(config.pagesUrl(), application) } : {}),
  };
  return json(outcome === 'created' ? 201 : 200, response);
});
