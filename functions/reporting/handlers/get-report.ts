// GET /rounds/{roundId}/report: the round's situational picture from its projection, as JSON or (Accept: text/csv) CSV.
import { intakeStore } from '../../intake/store-instance.js';
import { now } from '../../shared/clock.js';
import { NotFoundError } from '../../shared/errors.js';
import { httpHandler, json } from '../../shared/http.js';
import { buildReport, reportCsv } from '../domain.js';
import { tutorNames } from '../sources.js';
import { reportStore } from '../store-instance.js';

export const handler = httpHandler('GET /rounds/{roundId}/report', async ({ path, event }) => {
  const [round, items] = await Promise.all([intakeStore().getRound(path.roundId), reportStore().roundItems(path.roundId)]);
  if (!round) throw new NotFoundError(`No round ${path.roundId}`);
  const tutorIds = items.flatMap((i) => (i.type === 'report-municipality' && i.tutorId ? [i.tutorId] : []));
  const report = buildReport(round, items, await tutorNames(tutorIds), now());
  if (/\btext\/csv\b/i.test(event.headers?.accept ?? '')) {
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="report-${path.roundId}.csv"`,
      },
      body: reportCsv(report),
    };
  }
  return json(200, report);
});
