// The background sender of invitation batches. One sender at a time holds a batch (a lease on the
// batch item); it gathers the recipients once, then mails the queued ones at the batch's rate,
// settling each in the table as it goes. A sender that dies leaves its lease to run out, and the
// next one continues from the table: nothing is restarted, and nobody is mailed twice.
import { newAccessToken } from '../shared/access.js';
import { config } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import { EmailInProgressError } from '../shared/mailer.js';
import { event } from '../shared/outbox.js';
import { batchLeft, invitationRecipients, invitationUrl, type Invitation, type InvitationBatch, type Webinar } from './domain.js';
import { webinarEmail } from './emails.js';
import { Pacer, forEachLimited, sendersFor } from './pacing.js';
import type { MailingWebinarPorts } from './ports.js';
import { classifySendFailure } from './sending.js';

export interface SenderOptions {
  /** Time one invocation sends before handing over to the next (Lambda's timeout is 30 s). */
  budgetMs?: number;
  /** How long the batch is held; longer than any invocation can run, so only a dead sender's lease runs out. */
  leaseMs?: number;
  /** Tries of one address through network or service failures before the invocation gives up. */
  transientTries?: number;
}

const defaults = { budgetMs: 20_000, leaseMs: 60_000, transientTries: 4 } satisfies Required<SenderOptions>;
const pageSize = 100;

export type SenderOutcome = 'busy' | 'done' | 'continued' | 'stalled';

/** The idempotency key of the one invitation an address gets for a webinar, whichever batch sends it. */
export const invitationKey = (webinarId: string, email: string) => `webinar-invitation/${webinarId}/${email}`;

/**
 * Works on a batch for one invocation. `continued`: time ran out with addresses left, and the next
 * invocation was asked for; `stalled`: nothing could move now (another sender's mail in flight),
 * the schedule looks again; `busy`: another sender holds the batch.
 */
export async function runInvitationBatch(
  ports: MailingWebinarPorts,
  webinarId: string,
  batchId: string,
  options: SenderOptions = {},
): Promise<SenderOutcome> {
  const { budgetMs, leaseMs, transientTries } = { ...defaults, ...options };
  const { batches, webinars } = ports;
  const started = Date.now();
  const outOfTime = () => Date.now() - started > budgetMs;
  const owner = ports.newId();
  const claimedAt = ports.clock.now();
  let batch = await batches.claimBatch(
    webinarId,
    batchId,
    owner,
    claimedAt.toISOString(),
    new Date(claimedAt.getTime() + leaseMs).toISOString(),
  );
  if (!batch) return 'busy';
  const webinar = await webinars.getWebinar(webinarId);
  if (!webinar) throw new Error(`Batch ${batchId} names webinar ${webinarId}, which does not exist`);

  if (!batch.expandedAt) {
    await gatherRecipients(ports, batch, webinar);
    batch = (await batches.getBatch(webinarId, batchId))!;
  }

  const pacer = new Pacer({ ratePerSecond: batch.ratePerSecond });
  let settled = 0;
  let throttled = 0;
  let startKeyEmail: string | undefined;
  // An error thrown from here on leaves the lease to run out, exactly as a crash would.
  try {
    for (;;) {
      const page = await batches.queuedInvitations(batchId, pageSize, startKeyEmail);
      if (page.length === 0) break;
      await forEachLimited(
        page,
        sendersFor(batch.ratePerSecond),
        async (invitation) => {
          const outcome = await sendInvitation(ports, invitation, webinar, pacer, {
            outOfTime,
            transientTries,
            onThrottled: () => (throttled += 1),
          });
          if (outcome === 'settled') settled += 1;
        },
        outOfTime,
      );
      // What could not move now (a mail in flight elsewhere) waits for the next invocation.
      startKeyEmail = page[page.length - 1]!.email;
      if (outOfTime()) break;
    }
  } finally {
    await batches.countThrottled(webinarId, batchId, throttled);
  }

  const current = (await batches.getBatch(webinarId, batchId))!;
  const left = batchLeft(current);
  const round = { roundId: webinar.roundId };
  if (left === 0) {
    // Marked done and announced in one transaction: a batch found done already announces nothing.
    const sent = event(
      'InvitationsSent',
      { webinarId, batchId, sent: current.sent, failed: current.failed, skipped: current.skipped },
      round,
    );
    await batches.finishBatch(current, ports.clock.now().toISOString(), [sent]);
    logger.info('invitation batch done', {
      webinarId,
      batchId,
      sent: current.sent,
      failed: current.failed,
      skipped: current.skipped,
    });
    return 'done';
  }
  // Something moved: the next invocation is asked for in the same transaction that lets go of the
  // batch. Nothing moved (mail in flight elsewhere): the batch is let go, and the schedule looks again.
  const next =
    settled === 0
      ? []
      : [event('InvitationBatchProgressed', { webinarId, batchId, sent: current.sent, failed: current.failed, left }, round)];
  const released = await batches.releaseBatch(webinarId, batchId, owner, next);
  logger.info('invitation batch paused', { webinarId, batchId, settled, left, throttled, released });
  if (settled === 0) return 'stalled';
  return 'continued';
}

/**
 * Claims an invitation for every recipient the batch names: the round's participating contacts
 * and the extra invitees. An address another batch already has is skipped. Running it again after
 * a crash claims nothing twice.
 */
async function gatherRecipients(ports: MailingWebinarPorts, batch: InvitationBatch, webinar: Webinar): Promise<void> {
  const applications = await ports.rounds.roundApplications(webinar.roundId);
  const recipients = invitationRecipients(applications, batch.extraInvitees ?? []);
  const at = ports.clock.now().toISOString();
  let skipped = 0;
  await forEachLimited(recipients, 16, async (recipient) => {
    const invitation: Invitation = {
      webinarId: webinar.webinarId,
      email: recipient.email,
      name: recipient.name,
      language: recipient.language,
      ...(recipient.municipality ? { municipality: recipient.municipality } : {}),
      batchId: batch.batchId,
      status: 'queued',
      token: newAccessToken(),
      queuedAt: at,
    };
    if ((await ports.webinars.claimInvitation(invitation)) === 'skipped') skipped += 1;
  });
  await ports.batches.finishGathering(batch, recipients.length, skipped, at);
  logger.info('invitation recipients gathered', {
    webinarId: webinar.webinarId,
    batchId: batch.batchId,
    recipients: recipients.length,
    skipped,
  });
}

/**
 * Mails one invitation at the pacer's next slot and settles it. Throttling pauses every sender: an
 * email the mailer parked in its outbox is left for a later pass, a throttling error is tried again.
 * A refused address is settled as failed; other failures are retried a few times and then stop the
 * invocation (the lease runs out and the batch resumes later).
 */
async function sendInvitation(
  ports: MailingWebinarPorts,
  invitation: Invitation,
  webinar: Webinar,
  pacer: Pacer,
  context: { outOfTime: () => boolean; transientTries: number; onThrottled: () => void },
): Promise<'settled' | 'deferred'> {
  const store = ports.batches;
  let transient = 0;
  for (;;) {
    if (context.outOfTime()) return 'deferred';
    await pacer.slot();
    try {
      const outcome = await ports.mailer.sendOnce({
        key: invitationKey(webinar.webinarId, invitation.email),
        kind: 'webinar-invitation',
        to: invitation.email,
        ...webinarEmail({
          kind: 'invitation',
          language: invitation.language,
          name: invitation.name,
          title: webinar.title,
          startsAt: webinar.startsAt,
          endsAt: webinar.endsAt,
          ...(invitation.municipality ? { municipality: invitation.municipality } : {}),
          registrationUrl: invitationUrl(config.pagesUrl(), invitation),
        }),
      });
      if (outcome === 'queued') {
        // SES throttled (or was down) beyond the SDK's own retries: the mailer's outbox holds this
        // email and sends it once, with its own backoff. The batch slows down, and counts the
        // address as sent when a later pass finds it delivered.
        context.onThrottled();
        pacer.throttled();
        return 'deferred';
      }
      pacer.succeeded();
      const at = ports.clock.now().toISOString();
      if (outcome === 'suppressed') {
        await store.settleInvitation(invitation, { sent: false, reason: 'address suppressed after a bounce or complaint' }, at);
      } else {
        await store.settleInvitation(invitation, { sent: true }, at);
      }
      return 'settled';
    } catch (error) {
      if (error instanceof EmailInProgressError) return 'deferred';
      const failure = classifySendFailure(error);
      if (failure === 'throttled') {
        context.onThrottled();
        pacer.throttled();
        continue;
      }
      if (failure === 'rejected') {
        const reason = `${(error as Error).name}: ${(error as Error).message}`;
        await store.settleInvitation(invitation, { sent: false, reason }, ports.clock.now().toISOString());
        return 'settled';
      }
      transient += 1;
      if (failure === 'paused' || transient >= context.transientTries) throw error;
      pacer.throttled();
    }
  }
}
