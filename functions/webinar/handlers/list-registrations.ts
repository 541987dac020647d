// GET /webinars/{webinarId}/registrations: every registration, as JSON or (Accept: text/csv) CSV.
import { httpHandler, json } from '../../shared/http.js';
import { webinarPorts } from '../composition.js';
import { registrationsCsv } from '../domain.js';
import { registrationList } from '../queries.js';

export const handler = httpHandler('GET /webinars/{webinarId}/registrations', async ({ path, event }) => {
  const list = await registrationList(webinarPorts(), path.webinarId);
  if (/\btext\/csv\b/i.test(event.headers?.accept ?? '')) {
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="registrations-${path.webinarId}.csv"`,
      },
      body: registrationsCsv(list.registrations),
    };
  }
  return json(200, list);
});
