// The reminders and thank-yous that fall due by time, sent by a schedule. Every email has its own
// idempotency key, so a repeated tick sends nothing twice.
import { logger } from '../shared/logger.js';
import { EmailInProgressError } from '../shared/mailer.js';
import { dueNotices, type DueNotice, type Registration, type Webinar } from './domain.js';
import { Pacer, forEachLimited, sendersFor } from './pacing.js';
import type { MailingWebinarPorts } from './ports.js';
import { registrantMail } from './registrant-mail.js';
import { classifySendFailure } from './sending.js';

/** Rate of the reminder and thank-you sends; well inside SES's default quota. */
const noticeRatePerSecond = 10;
/** Time one tick spends sending; what is left goes out on the next tick. */
const noticeBudgetMs = 20_000;

/**
 * Sends the reminders and thank-yous that are due: the day before, to everyone confirmed; after
 * the end, to everyone confirmed and not marked absent. A webinar's notice is done once everyone
 * has theirs; until then each tick continues (sent ones are skipped by their keys).
 */
export async function sendDueNotices(ports: MailingWebinarPorts): Promise<void> {
  const store = ports.webinars;
  const now = ports.clock.now();
  const started = Date.now();
  const outOfTime = () => Date.now() - started > noticeBudgetMs;
  const from = new Date(now.getTime() - 30 * 24 * 3600_000).toISOString();
  const to = new Date(now.getTime() + 25 * 3600_000).toISOString();
  for (const webinar of await store.listWebinarsStarting(from, to)) {
    for (const kind of dueNotices(webinar, now)) {
      if (outOfTime()) return;
      const recipients = (await store.listRegistrations(webinar.webinarId)).filter(
        (r) => r.status === 'confirmed' && !(kind === 'thanks' && r.attended === false),
      );
      const complete = await sendNotices(ports, kind, webinar, recipients, outOfTime);
      if (complete) await store.markNoticesDone(webinar.webinarId, kind, ports.clock.now().toISOString());
      logger.info('due notices', { webinarId: webinar.webinarId, kind, recipients: recipients.length, complete });
    }
  }
}

async function sendNotices(
  ports: MailingWebinarPorts,
  kind: DueNotice,
  webinar: Webinar,
  recipients: Registration[],
  outOfTime: () => boolean,
): Promise<boolean> {
  const pacer = new Pacer({ ratePerSecond: noticeRatePerSecond });
  let complete = true;
  await forEachLimited(
    recipients,
    sendersFor(noticeRatePerSecond),
    async (registration) => {
      for (let attempt = 1; ; attempt++) {
        await pacer.slot();
        try {
          await ports.mailer.sendOnce({
            key: `webinar-${kind}/${registration.registrationId}`,
            kind: `webinar-${kind}`,
            to: registration.email,
            ...registrantMail(kind, webinar, registration),
          });
          pacer.succeeded();
          return;
        } catch (error) {
          if (error instanceof EmailInProgressError) {
            complete = false;
            return;
          }
          const failure = classifySendFailure(error);
          if (failure === 'rejected') {
            // This address cannot be mailed; the others still can, so the notice counts as done.
            logger.warn('notice rejected', { registrationId: registration.registrationId, kind, error: (error as Error).name });
            return;
          }
          if ((failure === 'throttled' || failure === 'transient') && attempt < 5 && !outOfTime()) {
            pacer.throttled();
            continue;
          }
          throw error;
        }
      }
    },
    () => {
      if (outOfTime()) complete = false;
      return outOfTime();
    },
  );
  return complete;
}
