// The invitation-batch repository's contract, run against the in-memory fake and the Dynamo store
// alike: the batch's lease, gathering, its queue of invitations, settling and finishing, each once.
import { beforeAll, describe, expect, it } from 'vitest';
import { event } from '../../../functions/shared/outbox.js';
import type { InvitationBatch } from '../../../schemas/stored/invitation-batch.js';
import type { Invitation } from '../../../schemas/stored/webinar.js';
import { implementations, type WebinarStores } from './webinar-stores.js';

const t0 = '2027-04-01T09:00:00.000Z';
const t1 = '2027-04-01T09:01:00.000Z';
const t2 = '2027-04-01T09:02:00.000Z';
let n = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}`;

const batch = (overrides: Partial<InvitationBatch> = {}): InvitationBatch => ({
  batchId: unique('b'),
  webinarId: unique('w'),
  status: 'preparing',
  ratePerSecond: 10,
  extraInvitees: [{ name: 'Extra', email: 'extra@example.fi', language: 'en' }],
  recipients: 0,
  skipped: 0,
  sent: 0,
  failed: 0,
  throttled: 0,
  createdAt: t0,
  createdBy: 'kaisa@example.fi',
  ...overrides,
});

const invitation = (b: InvitationBatch, email: string): Invitation => ({
  webinarId: b.webinarId,
  email,
  name: email,
  language: 'fi',
  batchId: b.batchId,
  status: 'queued',
  token: `token-${email}`,
  queuedAt: t0,
});

describe.each(implementations)('InvitationBatchStore (%s)', (_name, make) => {
  let s: WebinarStores;
  beforeAll(async () => {
    s = await make();
  });

  const stored = async (overrides: Partial<InvitationBatch> = {}) => {
    const b = batch(overrides);
    await s.batches.putBatch(b, [
      event('InvitationsRequested', { webinarId: b.webinarId, batchId: b.batchId }, { roundId: 'round-1' }),
    ]);
    return b;
  };
  const progressed = (b: InvitationBatch) =>
    event(
      'InvitationBatchProgressed',
      { webinarId: b.webinarId, batchId: b.batchId, sent: 0, failed: 0, left: 1 },
      { roundId: 'round-1' },
    );

  it('stores a batch with its announcement; it is listed open', async () => {
    const b = await stored();
    expect(await s.batches.getBatch(b.webinarId, b.batchId)).toEqual(b);
    expect(await s.batches.getBatch('other', b.batchId)).toBeUndefined();
    expect((await s.batches.listOpenBatches()).map((x) => x.batchId)).toContain(b.batchId);
    expect(await s.announced(b.webinarId)).toEqual(['InvitationsRequested'].sort());
  });

  it('the lease: one sender at a time; a lease that ran out is taken over; only the holder lets go', async () => {
    const b = await stored();
    expect(await s.batches.claimBatch(b.webinarId, b.batchId, 'one', t0, t1)).toMatchObject({
      leaseUntil: t1,
      leaseOwner: 'one',
      invocations: 1,
    });
    expect(await s.batches.claimBatch(b.webinarId, b.batchId, 'two', t0, t2)).toBeUndefined();
    expect(await s.batches.resumeBatch(b.webinarId, b.batchId, t0, [progressed(b)])).toBe(false);
    expect(await s.batches.claimBatch(b.webinarId, b.batchId, 'two', t1, t2)).toMatchObject({
      leaseOwner: 'two',
      invocations: 2,
    });
    expect(await s.batches.releaseBatch(b.webinarId, b.batchId, 'one', [progressed(b)])).toBe(false);
    expect(await s.announced(b.webinarId)).toEqual(['InvitationsRequested'].sort());
    expect(await s.batches.releaseBatch(b.webinarId, b.batchId, 'two', [progressed(b)])).toBe(true);
    expect(await s.batches.getBatch(b.webinarId, b.batchId)).not.toHaveProperty('leaseUntil');
    expect(await s.batches.resumeBatch(b.webinarId, b.batchId, t0, [progressed(b)])).toBe(true);
    expect(await s.announced(b.webinarId)).toEqual(
      ['InvitationsRequested', 'InvitationBatchProgressed', 'InvitationBatchProgressed'].sort(),
    );
    expect(await s.batches.claimBatch(b.webinarId, 'nope', 'x', t0, t1)).toBeUndefined();
  });

  it('gathering: the first to finish sets the counts and starts sending', async () => {
    const b = await stored();
    await s.batches.finishGathering(b, 3, 1, t1);
    await s.batches.finishGathering(b, 5, 0, t2);
    const gathered = await s.batches.getBatch(b.webinarId, b.batchId);
    expect(gathered).toMatchObject({ status: 'sending', recipients: 3, skipped: 1, expandedAt: t1 });
    expect(gathered).not.toHaveProperty('extraInvitees');
  });

  it('the queue: by address, paged; settling counts once; failures are listed with their reason', async () => {
    const b = await stored();
    for (const email of ['c@example.fi', 'a@example.fi', 'b@example.fi']) await s.webinars.claimInvitation(invitation(b, email));
    expect((await s.batches.queuedInvitations(b.batchId, 2)).map((i) => i.email)).toEqual(['a@example.fi', 'b@example.fi']);
    expect((await s.batches.queuedInvitations(b.batchId, 2, 'b@example.fi')).map((i) => i.email)).toEqual(['c@example.fi']);
    expect(await s.batches.settleInvitation(invitation(b, 'a@example.fi'), { sent: true }, t1)).toBe(true);
    expect(await s.batches.settleInvitation(invitation(b, 'a@example.fi'), { sent: true }, t1)).toBe(false);
    expect(await s.batches.settleInvitation(invitation(b, 'b@example.fi'), { sent: false, reason: 'refused' }, t1)).toBe(true);
    expect((await s.batches.queuedInvitations(b.batchId, 10)).map((i) => i.email)).toEqual(['c@example.fi']);
    expect(await s.batches.listFailedInvitations(b.batchId)).toEqual([
      { ...invitation(b, 'b@example.fi'), status: 'failed', failedAt: t1, reason: 'refused' },
    ]);
    expect(await s.webinars.getInvitation(b.webinarId, 'a@example.fi')).toMatchObject({ status: 'sent', sentAt: t1 });
    await s.batches.countThrottled(b.webinarId, b.batchId, 2);
    await s.batches.countThrottled(b.webinarId, b.batchId, 0);
    expect(await s.batches.getBatch(b.webinarId, b.batchId)).toMatchObject({ sent: 1, failed: 1, throttled: 2 });
    // A later batch retries the failed address: it leaves the old batch's failures.
    const later = await stored({ webinarId: b.webinarId });
    expect(await s.webinars.claimInvitation(invitation(later, 'b@example.fi'))).toBe('claimed');
    expect(await s.webinars.claimInvitation(invitation(later, 'a@example.fi'))).toBe('skipped');
    expect(await s.batches.listFailedInvitations(b.batchId)).toEqual([]);
    expect((await s.batches.queuedInvitations(later.batchId, 10)).map((i) => i.email)).toEqual(['b@example.fi']);
  });

  it('finishing: only as settled was read, once, and the batch leaves the open listing', async () => {
    const b = await stored();
    await s.webinars.claimInvitation(invitation(b, 'a@example.fi'));
    await s.batches.finishGathering(b, 1, 0, t0);
    await s.batches.claimBatch(b.webinarId, b.batchId, 'one', t0, t1);
    const before = (await s.batches.getBatch(b.webinarId, b.batchId))!;
    await s.batches.settleInvitation(invitation(b, 'a@example.fi'), { sent: true }, t1);
    const sent = event(
      'InvitationsSent',
      { webinarId: b.webinarId, batchId: b.batchId, sent: 1, failed: 0, skipped: 0 },
      { roundId: 'round-1' },
    );
    expect(await s.batches.finishBatch(before, t1, [sent])).toBe(false);
    const settled = (await s.batches.getBatch(b.webinarId, b.batchId))!;
    expect(await s.batches.finishBatch(settled, t1, [sent])).toBe(true);
    expect(await s.batches.finishBatch(settled, t2, [sent])).toBe(false);
    const done = await s.batches.getBatch(b.webinarId, b.batchId);
    expect(done).toMatchObject({ status: 'done', finishedAt: t1 });
    expect(done).not.toHaveProperty('leaseOwner');
    expect((await s.batches.listOpenBatches()).map((x) => x.batchId)).not.toContain(b.batchId);
    expect(await s.batches.claimBatch(b.webinarId, b.batchId, 'two', t2, t2)).toBeUndefined();
    expect(await s.batches.resumeBatch(b.webinarId, b.batchId, t2, [])).toBe(false);
    expect(await s.announced(b.webinarId)).toEqual(['InvitationsRequested', 'InvitationsSent'].sort());
  });
});
