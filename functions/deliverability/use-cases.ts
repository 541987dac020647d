// Deliverability's use cases: an address that bounced for good (or complained) is never mailed
// again, the contacts that use it are marked unreachable (with ContactUnreachable, once), and the
// round's coordinators and the municipality's tutor are told, once each.
import type { SesEmailEvent } from '../../schemas/events/ses.js';
import type { EventDetail } from '../../schemas/events/catalogue.js';
import type { Clock } from '../shared/clock.js';
import type { Mailer } from '../shared/mailer.js';
import { event, type PendingEvent } from '../shared/outbox.js';
import { unreachableContactEmail } from './emails.js';

export type UnreachableReason = 'bounce' | 'complaint';

/** The applications' contacts as deliverability needs them. */
export interface ContactStore {
  /** Applications whose contact is `address` (any letter case). */
  applicationsOfContact(address: string): Promise<{ applicationId: string; roundId: string }[]>;
  /** Marks the contact unreachable with its events; false (nothing written) when marked already or gone. */
  markUnreachable(
    applicationId: string,
    reason: UnreachableReason,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<boolean>;
}

export interface Suppressions {
  suppress(address: string, reason: { kind: UnreachableReason; at: string; messageId?: string }): Promise<void>;
}

export interface BouncePorts {
  contacts: ContactStore;
  suppressions: Suppressions;
  clock: Clock;
}

/** On an SES bounce or complaint. Transient bounces are let be. Answers how many addresses were suppressed. */
export async function recordUndeliverable(ports: BouncePorts, detail: SesEmailEvent): Promise<number> {
  if (detail.eventType === 'Bounce' && detail.bounce.bounceType !== 'Permanent') return 0;
  const { reason, addresses, at } =
    detail.eventType === 'Bounce'
      ? { reason: 'bounce' as const, addresses: detail.bounce.bouncedRecipients, at: detail.bounce.timestamp }
      : { reason: 'complaint' as const, addresses: detail.complaint.complainedRecipients, at: detail.complaint.timestamp };
  for (const { emailAddress } of addresses) {
    await ports.suppressions.suppress(emailAddress, { kind: reason, at, messageId: detail.mail.messageId });
    for (const { applicationId, roundId } of await ports.contacts.applicationsOfContact(emailAddress)) {
      // ContactUnreachable is written with the mark, once: a repeated bounce finds it marked and writes nothing.
      await ports.contacts.markUnreachable(applicationId, reason, ports.clock.now().toISOString(), [
        event('ContactUnreachable', { applicationId, roundId, reason }),
      ]);
    }
  }
  return addresses.length;
}

/** What telling the staff needs to know of the application, its round and its coaching. */
export interface UnreachableContactFacts {
  application(applicationId: string): Promise<{ municipality: { name: string }; contact: { name: string } } | undefined>;
  roundName(roundId: string): Promise<string | undefined>;
  /** The round's coordinators and, when one is assigned, the municipality's tutor: lower case, each once. */
  staffAddresses(applicationId: string, roundId: string): Promise<string[]>;
}

export interface StaffNoticePorts {
  facts: UnreachableContactFacts;
  mailer: Mailer;
}

/** On ContactUnreachable: tell the round's coordinators and the municipality's tutor, once each. Answers how many. */
export async function tellStaffOfUnreachableContact(
  ports: StaffNoticePorts,
  { applicationId, roundId, reason }: EventDetail<'ContactUnreachable'>,
): Promise<number> {
  const application = await ports.facts.application(applicationId);
  if (!application) return 0;
  const [roundName, recipients] = await Promise.all([
    ports.facts.roundName(roundId),
    ports.facts.staffAddresses(applicationId, roundId),
  ]);
  const mail = unreachableContactEmail({
    municipalityName: application.municipality.name,
    roundName: roundName ?? roundId,
    reason,
    contactName: application.contact.name,
  });
  for (const to of recipients) {
    await ports.mailer.sendOnce({ key: `contact-unreachable/${applicationId}/${to}`, kind: 'contact-unreachable', to, ...mail });
  }
  return recipients.length;
}
