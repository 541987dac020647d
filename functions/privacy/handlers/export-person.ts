// POST /privacy/export: everything held about one person, as JSON.
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { privacyExportPorts } from '../composition.js';
import { exportPerson } from '../use-cases.js';

export const handler = httpHandler('POST /privacy/export', async ({ body }) =>
  json(200, await exportPerson(privacyExportPorts(), body.email, now())),
);
