// The applications' contacts in memory, as deliverability sees them: marked unreachable once, with the events of the mark.
import type { ContactStore, UnreachableReason } from '../../../functions/deliverability/use-cases.js';
import type { PendingEvent } from '../../../functions/shared/outbox.js';

export interface MemoryContact {
  applicationId: string;
  roundId: string;
  email: string;
  unreachable?: { reason: UnreachableReason; at: string };
}

export class MemoryContactStore implements ContactStore {
  readonly events: PendingEvent[] = [];

  constructor(readonly contacts: MemoryContact[] = []) {}

  async applicationsOfContact(address: string) {
    return this.contacts
      .filter((c) => c.email === address.toLowerCase())
      .map(({ applicationId, roundId }) => ({ applicationId, roundId }));
  }

  async markUnreachable(applicationId: string, reason: UnreachableReason, at: string, events: readonly PendingEvent[]) {
    const contact = this.contacts.find((c) => c.applicationId === applicationId);
    if (!contact || contact.unreachable) return false;
    contact.unreachable = { reason, at };
    this.events.push(...events);
    return true;
  }
}
