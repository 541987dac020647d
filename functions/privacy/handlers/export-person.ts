// POST /privacy/export: everything held about one person, as JSON.
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { privacyPorts } from '../composition.js';
import { exportPerson } from '../use-cases.js';

export const handler = httpHandler('POST /privacy/export', async ({ body }) =>
  json(200, await exportPerson(privacyPorts(), body.email, now())),
);
