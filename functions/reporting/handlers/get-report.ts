// GET /rounds/{roundId}/report: the round's situational picture from its projection, as JSON or (Accept: text/csv) CSV.
import { httpHandler, json } from '../../shared/http.js';
import { reportingPorts } from '../composition.js';
import { reportCsv } from '../domain.js';
import { roundReport } from '../use-cases.js';

export const handler = httpHandler('GET /rounds/{roundId}/report', async ({ path, event }) => {
  const report = await roundReport(reportingPorts(), path.roundId);
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
