// Export, erasure and retention on in-memory ports: what is found, what becomes of it, what stays.
import { describe, expect, it } from 'vitest';
import { placeholderFor } from '../../../functions/privacy/domain.js';
import {
  eraseExpiredRounds,
  erasePerson,
  exportPerson,
  type PrivacyPorts,
  type RetentionRounds,
} from '../../../functions/privacy/use-cases.js';
import { MemoryPersonalDataStore } from '../../support/memory/personal-data.js';

const day = 86_400_000;
const now = new Date('2028-06-01T00:00:00.000Z');
const email = 'Maija.Meikalainen@Example.fi';

const application = (applicationId: string, roundId: string, address = email.toLowerCase()) => ({
  pk: `APPLICATION#${applicationId}`,
  sk: 'APPLICATION',
  type: 'application',
  applicationId,
  roundId,
  municipality: { code: '091', name: 'Helsinki' },
  contact: { name: 'Maija Meikäläinen', email: address, phone: '+358401234567' },
  accessToken: 'secret',
});
const guard = (webinarId: string, address: string) => ({
  pk: `WEBINAR#${webinarId}`,
  sk: `EMAIL#${address}`,
  type: 'email-guard',
  registrationId: 'reg-1',
});
const suppression = (address: string) => ({ pk: `SUPPRESSION#${address}`, sk: 'SUPPRESSION', type: 'suppression', address });
const eventItem = {
  pk: 'HISTORY#APPLICATION#a1',
  sk: 'EVENT#1',
  type: 'event',
  detail: { applicationId: 'a1' },
  by: { role: 'coordinator', email: email.toLowerCase() },
};

function setUp(items: Record<string, unknown>[], rounds: Awaited<ReturnType<RetentionRounds['listRounds']>> = []) {
  const table = new MemoryPersonalDataStore(items);
  const erasedRounds: string[] = [];
  const historyCalls: { roundId: string; subjects: readonly { subject: string; id: string }[] }[] = [];
  const ports: PrivacyPorts = {
    table,
    rounds: {
      listRounds: async () => rounds,
      listRoundApplications: async (roundId) =>
        [...table.items.values()]
          .filter((i) => i.type === 'application' && i.roundId === roundId)
          .map((i) => i as unknown as { applicationId: string; contact: { email: string } }),
      markPersonalDataErased: async (roundId) => void erasedRounds.push(roundId),
    },
    history: { eraseRound: async (roundId, subjects) => (historyCalls.push({ roundId, subjects }), 0) },
    defaultRetentionDays: 365,
  };
  return { ports, table, erasedRounds, historyCalls };
}

describe('exportPerson', () => {
  it('finds every item that mentions the address in any letter case, without keys or access tokens', async () => {
    const { ports } = setUp([
      application('a1', 'r1'),
      application('a2', 'r1', 'other@example.fi'),
      guard('w1', email.toLowerCase()),
    ]);
    const result = await exportPerson(ports, email.toUpperCase(), now);
    expect(result.count).toBe(2);
    expect(result.exportedAt).toBe(now.toISOString());
    expect(result.data.application).toEqual([
      expect.not.objectContaining({ pk: expect.anything(), accessToken: expect.anything() }),
    ]);
    expect(result.data['email-guard']).toHaveLength(1);
  });
});

describe('erasePerson', () => {
  it('anonymises the contact, drops the suppression, re-keys the guard and records who erased, never whom', async () => {
    const address = email.toLowerCase();
    const { ports, table } = setUp([application('a1', 'r1'), guard('w1', address), suppression(address), eventItem]);
    const result = await erasePerson(ports, email, 'kaisa@example.fi', now);
    expect(result).toEqual({ erasureId: 'erasure-1', items: 3 });
    const erased = table.get('APPLICATION#a1', 'APPLICATION')!;
    expect(erased.contact).toEqual({ name: 'Erased', email: placeholderFor(email) });
    expect(table.get(`SUPPRESSION#${address}`, 'SUPPRESSION')).toBeUndefined();
    expect(table.get('WEBINAR#w1', `EMAIL#${address}`)).toBeUndefined();
    expect(table.get('WEBINAR#w1', `EMAIL#${placeholderFor(email)}`)).toMatchObject({ registrationId: 'reg-1' });
    expect(table.erasures).toEqual([{ erasureId: 'erasure-1', by: 'kaisa@example.fi', at: now.toISOString(), items: 3 }]);
    expect(JSON.stringify([...table.items.values()].filter((i) => i.type !== 'event'))).not.toContain(address);
  });

  it('leaves the audit trail as it is: event items hold ids, and a staff member only as who acted', async () => {
    const { ports, table } = setUp([eventItem]);
    expect((await erasePerson(ports, email, 'kaisa@example.fi', now)).items).toBe(0);
    expect(table.get(eventItem.pk, eventItem.sk)).toEqual(eventItem);
  });
});

describe('eraseExpiredRounds', () => {
  const completed = (
    roundId: string,
    daysAgo: number,
    extra: { retentionDays?: number; personalDataErasedAt?: string } = {},
  ) => ({
    roundId,
    completedAt: new Date(now.getTime() - daysAgo * day).toISOString(),
    ...extra,
  });

  it('erases the rounds past their retention, with their history, and only what belongs to them', async () => {
    const later = 'later@example.fi';
    const items = [
      application('a1', 'old'),
      application('a2', 'recent', later),
      {
        pk: 'REGISTRATION#reg-9',
        sk: 'REGISTRATION',
        type: 'registration',
        registrationId: 'reg-9',
        webinarId: 'w-old',
        roundId: 'old',
        email: 'colleague@example.fi',
        name: 'Kollega',
      },
      { pk: 'WEBINAR#w-old', sk: 'WEBINAR', type: 'webinar', webinarId: 'w-old', roundId: 'old' },
    ];
    const rounds = [
      completed('old', 400),
      completed('recent', 10),
      completed('short', 40, { retentionDays: 30 }),
      completed('done', 900, { personalDataErasedAt: '2027-01-01T00:00:00.000Z' }),
    ];
    const { ports, table, erasedRounds, historyCalls } = setUp(items, rounds);
    expect(await eraseExpiredRounds(ports, now)).toBe(2);
    expect(erasedRounds).toEqual(['old', 'short']);
    expect(historyCalls[0]).toEqual({
      roundId: 'old',
      subjects: [
        { subject: 'application', id: 'a1' },
        { subject: 'webinar', id: 'w-old' },
      ],
    });
    expect(JSON.stringify(table.get('APPLICATION#a1', 'APPLICATION'))).not.toContain(email.toLowerCase());
    expect(table.get('REGISTRATION#reg-9', 'REGISTRATION')).toMatchObject({ name: 'Erased' });
    expect(table.get('APPLICATION#a2', 'APPLICATION')).toMatchObject({ contact: { email: later } });
    expect(table.erasures.map((e) => e.by)).toEqual(['retention:old', 'retention:short']);
  });

  it('uses the default retention for rounds made before the setting', async () => {
    const { ports, erasedRounds } = setUp([], [completed('legacy', 364), completed('legacy-due', 366)]);
    await eraseExpiredRounds(ports, now);
    expect(erasedRounds).toEqual(['legacy-due']);
  });
});
