// POST /rounds/{roundId}/status-link (security finding 1): the status link leaves the system only by
// email to the contact on file, at most once in 10 minutes; the answer is 202 whatever was asked, so
// it tells nobody which address applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as apply } from '../../functions/intake/handlers/apply.js';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import { handler as requestStatusLink } from '../../functions/intake/handlers/request-status-link.js';
import { advanceClock, resetClock } from '../../functions/shared/clock.js';
import { readInbox, waitFor } from '../../local/testing.js';
import { countItems, startHarness, type Harness } from '../support/harness.js';
import { callRoute, coordinatorClaims } from '../support/invoke.js';

let harness: Harness;
const unique = () => Math.random().toString(36).slice(2, 10);
const hour = 3_600_000;

async function appliedMunicipality() {
  const now = Date.now();
  const round = await callRoute(createRound, 'POST /rounds', {
    claims: coordinatorClaims(),
    body: {
      name: `Linkkikierros ${unique()}`,
      region: '01',
      places: 5,
      opensAt: new Date(now - hour).toISOString(),
      closesAt: new Date(now + 14 * 24 * hour).toISOString(),
      languages: ['fi', 'sv', 'en'],
    },
  });
  const roundId = round.body.roundId as string;
  const email = `Linkki-${unique()}@Example.fi`;
  const applied = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
    path: { roundId },
    body: {
      municipality: { code: '091', name: 'Helsinki' },
      contact: { name: 'Maija', email },
      language: 'sv',
      themes: ['x'],
      consent: true,
    },
  });
  expect(applied.status).toBe(201);
  await harness.settled();
  return { roundId, email, statusUrl: applied.body.statusUrl as string };
}

const ask = (roundId: string, municipalityCode: string, email: string) =>
  callRoute(requestStatusLink, 'POST /rounds/{roundId}/status-link', { path: { roundId }, body: { municipalityCode, email } });
const linkMails = async (to: string) => (await readInbox({ to })).filter((m) => m.subject.startsWith('Länk till ansökan'));

beforeAll(async () => {
  harness = await startHarness('status-link', { retry: { attempts: 3, baseDelayMs: 10 } });
});

afterAll(async () => {
  await harness?.stop();
  resetClock();
});

describe('POST /rounds/{roundId}/status-link', () => {
  it('mails the link to the contact on file (any case of the address), in the application language, once in 10 minutes', async () => {
    const { roundId, email, statusUrl } = await appliedMunicipality();
    const first = await ask(roundId, '091', email.toLowerCase());
    expect(first).toMatchObject({ status: 202, body: {} });
    await harness.settled();
    const [mail] = await waitFor(async () => ((await linkMails(email)).length === 1 ? linkMails(email) : undefined));
    expect(mail!.body.text).toContain(statusUrl);

    // Asked again at once: 202, nothing more is mailed.
    expect((await ask(roundId, '091', email)).status).toBe(202);
    await harness.settled();
    expect(await linkMails(email)).toHaveLength(1);

    // Ten minutes on, it may be mailed again.
    advanceClock(11 * 60_000);
    expect((await ask(roundId, '091', email)).status).toBe(202);
    await harness.settled();
    await waitFor(async () => (await linkMails(email)).length === 2);
  });

  it('answers 202 and mails nobody for another address, another municipality or an unknown round; it writes nothing', async () => {
    const { roundId, email } = await appliedMunicipality();
    const before = await countItems(harness.tableName);
    const stranger = `vieras-${unique()}@example.fi`;
    for (const [round, code, address] of [
      [roundId, '091', stranger],
      [roundId, '092', email],
      [`round-${unique()}`, '091', email],
    ] as const) {
      const answer = await ask(round, code, address);
      expect(answer).toMatchObject({ status: 202, body: {} });
    }
    await harness.settled();
    expect(await countItems(harness.tableName)).toBe(before);
    expect(await readInbox({ to: stranger })).toEqual([]);
    expect(await linkMails(email)).toEqual([]);
  });

  it('refuses a bad body with 400 naming the field', async () => {
    const answer = await callRoute(requestStatusLink, 'POST /rounds/{roundId}/status-link', {
      path: { roundId: 'r1' },
      body: { municipalityCode: 'Helsinki', email: 'not-an-address' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['municipalityCode', 'email']),
    );
  });
});
