// Bounces, complaints and the staff's notice on in-memory ports.
import { describe, expect, it } from 'vitest';
import {
  recordUndeliverable,
  tellStaffOfUnreachableContact,
  type Suppressions,
} from '../../../functions/deliverability/use-cases.js';
import type { SesEmailEvent } from '../../../schemas/events/ses.js';
import { MemoryContactStore } from '../../support/memory/contacts.js';
import { MemoryMailer } from '../../support/memory/mailer.js';

const now = new Date('2027-02-01T09:00:00.000Z');
const bounce = (bounceType: 'Permanent' | 'Transient', ...addresses: string[]): SesEmailEvent => ({
  eventType: 'Bounce',
  mail: { messageId: 'm-1' },
  bounce: {
    bounceType,
    bouncedRecipients: addresses.map((emailAddress) => ({ emailAddress })),
    timestamp: '2027-02-01T08:59:00.000Z',
  },
});
const complaint = (address: string): SesEmailEvent => ({
  eventType: 'Complaint',
  mail: { messageId: 'm-2' },
  complaint: { complainedRecipients: [{ emailAddress: address }], timestamp: '2027-02-01T08:58:00.000Z' },
});

function setUp() {
  const contacts = new MemoryContactStore([
    { applicationId: 'a1', roundId: 'r1', email: 'kunta@example.fi' },
    { applicationId: 'a2', roundId: 'r2', email: 'kunta@example.fi' },
    { applicationId: 'a3', roundId: 'r1', email: 'other@example.fi' },
  ]);
  const suppressed: { address: string; kind: string }[] = [];
  const suppressions: Suppressions = {
    suppress: async (address, reason) => void suppressed.push({ address, kind: reason.kind }),
  };
  return { contacts, suppressed, ports: { contacts, suppressions, clock: { now: () => now } } };
}

describe('recordUndeliverable', () => {
  it('suppresses a permanently bounced address and marks every application that uses it, announcing each once', async () => {
    const { ports, contacts, suppressed } = setUp();
    expect(await recordUndeliverable(ports, bounce('Permanent', 'Kunta@Example.fi'))).toBe(1);
    expect(suppressed).toEqual([{ address: 'Kunta@Example.fi', kind: 'bounce' }]);
    expect(contacts.contacts.filter((c) => c.unreachable).map((c) => c.applicationId)).toEqual(['a1', 'a2']);
    expect(contacts.contacts[0]!.unreachable).toEqual({ reason: 'bounce', at: now.toISOString() });
    expect(contacts.events.map((e) => [e.detailType, e.detail])).toEqual([
      ['ContactUnreachable', { applicationId: 'a1', roundId: 'r1', reason: 'bounce' }],
      ['ContactUnreachable', { applicationId: 'a2', roundId: 'r2', reason: 'bounce' }],
    ]);
  });

  it('announces nothing again when the same bounce arrives twice', async () => {
    const { ports, contacts } = setUp();
    await recordUndeliverable(ports, bounce('Permanent', 'kunta@example.fi'));
    await recordUndeliverable(ports, bounce('Permanent', 'kunta@example.fi'));
    expect(contacts.events).toHaveLength(2);
  });

  it('lets a transient bounce be', async () => {
    const { ports, contacts, suppressed } = setUp();
    expect(await recordUndeliverable(ports, bounce('Transient', 'kunta@example.fi'))).toBe(0);
    expect(suppressed).toEqual([]);
    expect(contacts.events).toEqual([]);
  });

  it('treats a complaint as unreachable too', async () => {
    const { ports, contacts, suppressed } = setUp();
    await recordUndeliverable(ports, complaint('other@example.fi'));
    expect(suppressed).toEqual([{ address: 'other@example.fi', kind: 'complaint' }]);
    expect(contacts.contacts[2]!.unreachable?.reason).toBe('complaint');
  });
});

describe('tellStaffOfUnreachableContact', () => {
  const facts = {
    application: async (id: string) =>
      id === 'a1' ? { municipality: { name: 'Helsinki' }, contact: { name: 'Maija' } } : undefined,
    roundName: async (id: string) => (id === 'r1' ? 'Kevät 2027' : undefined),
    staffAddresses: async () => ['kaisa@example.fi', 'tuuli@example.fi'],
  };

  it('mails each coordinator and the tutor once, naming the municipality and the round', async () => {
    const mailer = new MemoryMailer();
    const detail = { applicationId: 'a1', roundId: 'r1', reason: 'bounce' as const };
    expect(await tellStaffOfUnreachableContact({ facts, mailer }, detail)).toBe(2);
    await tellStaffOfUnreachableContact({ facts, mailer }, detail);
    expect(mailer.sent.map((e) => e.to)).toEqual(['kaisa@example.fi', 'tuuli@example.fi']);
    expect(mailer.sent[0]!.subject).toContain('Helsinki');
    expect(JSON.stringify(mailer.sent[0])).toContain('Kevät 2027');
  });

  it('tells nobody when the application is gone (erased)', async () => {
    const mailer = new MemoryMailer();
    expect(
      await tellStaffOfUnreachableContact({ facts, mailer }, { applicationId: 'gone', roundId: 'r1', reason: 'bounce' }),
    ).toBe(0);
    expect(mailer.sent).toEqual([]);
  });
});
