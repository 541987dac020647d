// Intake's use cases on in-memory ports: each happy path, the repeat that changes nothing and
// announces nothing, and each refusal with its error code.
import { describe, expect, it } from 'vitest';
import { ApplyBody } from '../../../schemas/api/applications.js';
import { CreateRoundBody } from '../../../schemas/api/rounds.js';
import { loadApplicationView } from '../../../functions/intake/application-view.js';
import {
  applicationByToken,
  apply,
  createRound,
  getRound,
  listRounds,
  openDueRounds,
  requestStatusLink,
  sendApplicationConfirmation,
  sendStatusLink,
  updateRound,
} from '../../../functions/intake/use-cases.js';
import { memoryPorts } from '../../support/memory/ports.js';
import { aRound } from '../../support/memory/rounds.js';

const hour = 3600_000;
const start = new Date('2027-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(start.getTime() + ms).toISOString();

const roundBody = (overrides: Record<string, unknown> = {}) =>
  CreateRoundBody.parse({
    name: 'Kevät 2027',
    region: '01',
    places: 2,
    opensAt: at(-hour),
    closesAt: at(48 * hour),
    languages: ['fi', 'sv'],
    ...overrides,
  });
const applyBody = (code = '091', overrides: Record<string, unknown> = {}) =>
  ApplyBody.parse({
    municipality: { code, name: `Kunta ${code}` },
    contact: { name: 'Maija Meikäläinen', email: `Maija.${code}@Example.fi` },
    language: 'fi',
    themes: ['remote support'],
    consent: true,
    ...overrides,
  });

async function withOpenRound(overrides: Record<string, unknown> = {}) {
  const ports = memoryPorts(start);
  const round = await createRound(ports, roundBody(overrides), 'kaisa@example.fi');
  return { ports, round };
}

describe('rounds', () => {
  it('creates a round and reads it back; an unknown round is not found', async () => {
    const { ports, round } = await withOpenRound();
    expect(round).toMatchObject({ name: 'Kevät 2027', places: 2, placesLeft: 2, status: 'open', applications: 0 });
    expect(await getRound(ports, round.roundId)).toEqual(round);
    expect((await ports.rounds.get(round.roundId))!.createdBy).toBe('kaisa@example.fi');
    await expect(getRound(ports, 'nope')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists the rounds in a status, or all of them', async () => {
    const { ports, round } = await withOpenRound();
    const scheduled = await createRound(ports, roundBody({ opensAt: at(24 * hour) }), 'kaisa@example.fi');
    expect((await listRounds(ports, 'open')).map((r) => r.roundId)).toEqual([round.roundId]);
    expect((await listRounds(ports, 'scheduled')).map((r) => r.roundId)).toEqual([scheduled.roundId]);
    expect(await listRounds(ports, 'all')).toHaveLength(2);
  });

  it('changes a round while open; refuses once closed, or once selected between the read and the write', async () => {
    const { ports, round } = await withOpenRound();
    expect(await updateRound(ports, round.roundId, { places: 5, nextRoundId: 'next' })).toMatchObject({
      places: 5,
      nextRoundId: 'next',
    });
    expect((await updateRound(ports, round.roundId, { nextRoundId: null })).nextRoundId).toBeUndefined();
    await expect(updateRound(ports, 'nope', { places: 1 })).rejects.toMatchObject({ code: 'not_found' });

    // Selected after the use case read it: the store's condition refuses.
    const stale = (await ports.rounds.get(round.roundId))!;
    await ports.rounds.claimSelection(round.roundId, { policy: 'first-come', startedAt: at(0), by: 'schedule' });
    const racing = { ...ports, rounds: Object.assign(Object.create(ports.rounds), { get: async () => stale }) };
    await expect(updateRound(racing, round.roundId, { places: 6 })).rejects.toMatchObject({ code: 'round_closed' });
    await expect(updateRound(ports, round.roundId, { places: 6 })).rejects.toMatchObject({ code: 'round_closed' });
    expect((await ports.rounds.get(round.roundId))!.places).toBe(5);
  });

  it('opens each due round once with RoundOpened; a repeat announces nothing; a scheduled round waits', async () => {
    const { ports, round } = await withOpenRound();
    const later = await createRound(ports, roundBody({ opensAt: at(2 * hour) }), 'kaisa@example.fi');
    expect(await openDueRounds(ports)).toBe(1);
    expect(await openDueRounds(ports)).toBe(0);
    expect(ports.log.events).toEqual([
      { detailType: 'RoundOpened', detail: { roundId: round.roundId, opensAt: round.opensAt, closesAt: round.closesAt } },
    ]);
    ports.clock.advance(3 * hour);
    expect(await openDueRounds(ports)).toBe(1);
    expect(ports.log.events.map((e) => e.detail)).toContainEqual({
      roundId: later.roundId,
      opensAt: later.opensAt,
      closesAt: later.closesAt,
    });
  });
});

describe('applications', () => {
  it('stores an application with ApplicationReceived and answers its status link; a repeat answers the same application without it', async () => {
    const { ports, round } = await withOpenRound();
    const first = await apply(ports, round.roundId, applyBody());
    expect(first.created).toBe(true);
    expect(first.response).toEqual({
      applicationId: 'id-2',
      status: 'received',
      statusUrl: 'https://sparraus.example/app/applications/id-2?token=token-2',
    });
    expect(await ports.applications.get('id-2')).toMatchObject({
      contact: { email: 'maija.091@example.fi' },
      status: 'received',
    });
    expect(ports.log.events).toEqual([
      {
        detailType: 'ApplicationReceived',
        detail: {
          applicationId: 'id-2',
          roundId: round.roundId,
          municipalityCode: '091',
          language: 'fi',
          receivedAt: start.toISOString(),
        },
      },
    ]);
    const again = await apply(ports, round.roundId, applyBody('091', { contact: { name: 'Other', email: 'other@example.fi' } }));
    expect(again).toEqual({ created: false, response: { applicationId: 'id-2', status: 'received' } });
    expect(ports.log.events).toHaveLength(1);
    expect((await ports.rounds.get(round.roundId))!.applications).toBe(1);
  });

  it('refuses a round not open (round_not_open), a language it does not run (invalid_request) and an unknown round', async () => {
    const { ports, round } = await withOpenRound({ opensAt: at(hour) });
    await expect(apply(ports, round.roundId, applyBody())).rejects.toMatchObject({ code: 'round_not_open' });
    ports.clock.advance(2 * hour);
    await expect(apply(ports, round.roundId, applyBody('091', { language: 'en' }))).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(apply(ports, 'nope', applyBody())).rejects.toMatchObject({ code: 'not_found' });
    ports.clock.advance(48 * hour);
    await expect(apply(ports, round.roundId, applyBody())).rejects.toMatchObject({ code: 'round_not_open' });
    expect(ports.log.events).toEqual([]);
  });

  it('a window that closes between the read and the write is refused by the store (round_not_open)', async () => {
    const { ports, round } = await withOpenRound();
    const open = (await ports.rounds.get(round.roundId))!;
    await ports.rounds.claimSelection(round.roundId, { policy: 'first-come', startedAt: at(0), by: 'schedule' });
    const racing = { ...ports, rounds: Object.assign(Object.create(ports.rounds), { get: async () => open }) };
    await expect(apply(racing, round.roundId, applyBody())).rejects.toMatchObject({ code: 'round_not_open' });
    expect(ports.log.events).toEqual([]);
  });

  it('shows an application to the holder of its token only', async () => {
    const { ports, round } = await withOpenRound();
    const { response } = await apply(ports, round.roundId, applyBody());
    expect((await applicationByToken(ports, response.applicationId, 'token-2')).applicationId).toBe(response.applicationId);
    await expect(applicationByToken(ports, response.applicationId, 'wrong')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(applicationByToken(ports, response.applicationId, undefined)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(applicationByToken(ports, 'nope', 'token-2')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('the view has the waiting-list position, the round name, the offer link and the coaching part', async () => {
    const ports = memoryPorts(start);
    const round = aRound({ roundId: 'r1', name: 'Kevät 2027' }, start);
    await ports.rounds.create(round);
    for (const code of ['101', '102']) await apply(ports, 'r1', applyBody(code));
    const [a, b] = await ports.applications.listOfRound('r1');
    await ports.applications.waitlist(a!, 2, at(0), []);
    await ports.applications.waitlist(b!, 1, at(0), []);
    const coached: string[] = [];
    const view = await loadApplicationView(
      {
        rounds: ports.rounds,
        applications: ports.applications,
        publicUrl: () => 'https://api.example',
        coaching: async (application) => (coached.push(application.applicationId), { meetings: [] }),
      },
      (await ports.applications.get(a!.applicationId))!,
    );
    expect(view).toMatchObject({ roundName: 'Kevät 2027', status: 'waitlisted', position: 2, meetings: [] });
    expect(coached).toEqual([a!.applicationId]);
  });
});

describe('the status link again', () => {
  it('records a request for the address on file (any case) once in 10 minutes, with StatusLinkRequested', async () => {
    const { ports, round } = await withOpenRound();
    const { response } = await apply(ports, round.roundId, applyBody());
    ports.log.clear();
    await requestStatusLink(ports, round.roundId, { municipalityCode: '091', email: 'MAIJA.091@example.fi' });
    await requestStatusLink(ports, round.roundId, { municipalityCode: '091', email: 'maija.091@example.fi' });
    expect(ports.log.events).toEqual([
      {
        detailType: 'StatusLinkRequested',
        detail: { applicationId: response.applicationId, roundId: round.roundId, requestedAt: start.toISOString() },
      },
    ]);
    ports.clock.advance(11 * 60_000);
    await requestStatusLink(ports, round.roundId, { municipalityCode: '091', email: 'maija.091@example.fi' });
    expect(ports.log.types()).toEqual(['StatusLinkRequested', 'StatusLinkRequested']);
  });

  it('another address or an unknown municipality records nothing (and answers the same)', async () => {
    const { ports, round } = await withOpenRound();
    await apply(ports, round.roundId, applyBody());
    ports.log.clear();
    await requestStatusLink(ports, round.roundId, { municipalityCode: '091', email: 'someone@example.fi' });
    await requestStatusLink(ports, round.roundId, { municipalityCode: '092', email: 'maija.091@example.fi' });
    expect(ports.log.events).toEqual([]);
  });
});

describe('emails', () => {
  it('mails the confirmation once, in the applicant language, with the status link, and records it sent', async () => {
    const { ports, round } = await withOpenRound();
    const { response } = await apply(ports, round.roundId, applyBody());
    const received = { applicationId: response.applicationId, roundId: round.roundId };
    await sendApplicationConfirmation(ports, received);
    ports.clock.advance(1000);
    await sendApplicationConfirmation(ports, received);
    expect(ports.mailer.sent).toHaveLength(1);
    expect(ports.mailer.sent[0]).toMatchObject({
      key: `application-received/${response.applicationId}`,
      kind: 'application-received',
      to: 'maija.091@example.fi',
    });
    expect(ports.mailer.sent[0]!.text).toContain(response.statusUrl);
    expect((await ports.applications.get(response.applicationId))!.confirmationSentAt).toBe(start.toISOString());
  });

  it('mails the status link once per request; nothing for an application that is gone', async () => {
    const { ports, round } = await withOpenRound();
    const { response } = await apply(ports, round.roundId, applyBody());
    const requested = { applicationId: response.applicationId, roundId: round.roundId, requestedAt: at(0) };
    await sendStatusLink(ports, requested);
    await sendStatusLink(ports, requested);
    await sendStatusLink(ports, { ...requested, requestedAt: at(hour) });
    expect(ports.mailer.sent.map((e) => e.key)).toEqual([
      `status-link/${response.applicationId}/${at(0)}`,
      `status-link/${response.applicationId}/${at(hour)}`,
    ]);
    await sendStatusLink(ports, { ...requested, applicationId: 'gone' });
    await sendApplicationConfirmation(ports, { applicationId: 'gone', roundId: round.roundId });
    expect(ports.mailer.sent).toHaveLength(2);
  });
});
