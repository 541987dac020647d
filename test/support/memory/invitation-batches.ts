// The invitation-batch repository in memory, with the conditions of DynamoInvitationBatchStore: one
// live lease per batch (a claim only while the batch is open and its lease absent or run out), a
// release only by the holder, the first gathering wins, settling only a queued invitation of the
// batch (counted once), finishing only an unchanged, sending batch. The invitations are the webinar
// fake's, as the items are the webinar's in the table.
import type { PendingEvent } from '../../../functions/shared/outbox.js';
import type { InvitationBatchStore } from '../../../functions/stores/invitation-batches.js';
import type { InvitationSettlement } from '../../../functions/stores/webinars.js';
import type { InvitationBatch } from '../../../schemas/stored/invitation-batch.js';
import type { Invitation } from '../../../schemas/stored/webinar.js';
import type { MemoryWebinarStore } from './webinars.js';

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryInvitationBatchStore implements InvitationBatchStore {
  readonly batches = new Map<string, InvitationBatch>();

  constructor(private readonly webinars: MemoryWebinarStore) {}

  private openAndFree(batch: InvitationBatch | undefined, now: string): batch is InvitationBatch {
    return batch !== undefined && batch.status !== 'done' && (batch.leaseUntil === undefined || batch.leaseUntil <= now);
  }

  async putBatch(batch: InvitationBatch, events: readonly PendingEvent[]): Promise<void> {
    if (this.batches.has(batch.batchId)) throw new Error(`Batch ${batch.batchId} exists`);
    this.webinars.announce(events, () => this.batches.set(batch.batchId, copy(batch)));
  }

  async getBatch(webinarId: string, batchId: string): Promise<InvitationBatch | undefined> {
    const batch = this.batches.get(batchId);
    return batch?.webinarId === webinarId ? copy(batch) : undefined;
  }

  async listOpenBatches(): Promise<InvitationBatch[]> {
    return [...this.batches.values()]
      .filter((b) => b.status !== 'done')
      .sort((a, b) => `${a.createdAt}#${a.batchId}`.localeCompare(`${b.createdAt}#${b.batchId}`))
      .map(copy);
  }

  async claimBatch(webinarId: string, batchId: string, owner: string, now: string, until: string) {
    const batch = this.batches.get(batchId);
    if (batch?.webinarId !== webinarId || !this.openAndFree(batch, now)) return undefined;
    Object.assign(batch, { leaseUntil: until, leaseOwner: owner, invocations: (batch.invocations ?? 0) + 1 });
    return copy(batch);
  }

  async releaseBatch(webinarId: string, batchId: string, owner: string, events: readonly PendingEvent[]): Promise<boolean> {
    const batch = this.batches.get(batchId);
    if (batch?.webinarId !== webinarId || batch.leaseOwner !== owner) return false;
    this.webinars.announce(events, () => {
      delete batch.leaseUntil;
      delete batch.leaseOwner;
    });
    return true;
  }

  async resumeBatch(webinarId: string, batchId: string, now: string, events: readonly PendingEvent[]): Promise<boolean> {
    const batch = this.batches.get(batchId);
    if (batch?.webinarId !== webinarId || !this.openAndFree(batch, now)) return false;
    this.webinars.announce(events, () => {});
    return true;
  }

  async finishGathering(batch: InvitationBatch, recipients: number, skipped: number, at: string): Promise<void> {
    const stored = this.batches.get(batch.batchId);
    if (!stored || stored.expandedAt) return;
    delete stored.extraInvitees;
    Object.assign(stored, { recipients, skipped, expandedAt: at, status: 'sending' });
  }

  private queue(batchId: string, status: 'queued' | 'failed'): Invitation[] {
    return [...this.webinars.invitations.values()]
      .filter((i) => i.batchId === batchId && i.status === status)
      .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  }

  async queuedInvitations(batchId: string, limit: number, afterEmail?: string): Promise<Invitation[]> {
    return this.queue(batchId, 'queued')
      .filter((i) => afterEmail === undefined || i.email > afterEmail)
      .slice(0, limit)
      .map(copy);
  }

  async listFailedInvitations(batchId: string): Promise<Invitation[]> {
    return this.queue(batchId, 'failed').map(copy);
  }

  async settleInvitation(invitation: Invitation, outcome: InvitationSettlement, at: string): Promise<boolean> {
    const batch = this.batches.get(invitation.batchId);
    if (!batch) throw new Error(`No batch ${invitation.batchId}`);
    if (!this.webinars.settle(invitation, outcome, at)) return false;
    if (outcome.sent) batch.sent += 1;
    else batch.failed += 1;
    return true;
  }

  async countThrottled(_webinarId: string, batchId: string, times: number): Promise<void> {
    if (times <= 0) return;
    const batch = this.batches.get(batchId);
    if (!batch) throw new Error(`No batch ${batchId}`);
    batch.throttled += times;
  }

  async finishBatch(settled: InvitationBatch, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    const batch = this.batches.get(settled.batchId);
    if (!batch || batch.status !== 'sending' || batch.sent !== settled.sent || batch.failed !== settled.failed) return false;
    this.webinars.announce(events, () => {
      Object.assign(batch, { status: 'done', finishedAt: at });
      delete batch.leaseUntil;
      delete batch.leaseOwner;
    });
    return true;
  }
}
