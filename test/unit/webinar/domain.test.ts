// The webinar rules as plain functions: times, seats and positions, recipients, attendance, due notices, CSV.
import { describe, expect, it } from 'vitest';
import type { Application } from '../../../schemas/stored/application.js';
import {
  assertCanMarkAttendance,
  assertCanRegister,
  changedWebinar,
  checkedIdempotencyKey,
  dueNotices,
  idempotentWebinarId,
  invitationRecipients,
  newWebinar,
  registrationsCsv,
  toBatchProgress,
  toWebinarView,
  waitingInOrder,
  waitlistPositions,
  type Webinar,
} from '../../../functions/webinar/domain.js';
import { ConflictError, ValidationError } from '../../../functions/shared/errors.js';
import { CreateWebinarBody } from '../../../schemas/api/webinars.js';

const now = new Date('2027-04-01T09:00:00Z');
const body = CreateWebinarBody.parse({
  title: 'Päätöswebinaari',
  startsAt: '2027-05-20T13:00:00+03:00',
  endsAt: '2027-05-20T15:00:00+03:00',
  seats: 2,
  registrationClosesAt: '2027-05-19T16:00:00+03:00',
  joinUrl: 'https://teams.example.fi/w',
  languages: ['fi', 'sv', 'fi'],
});
const webinar = (): Webinar => newWebinar(body, { webinarId: 'w1', roundId: 'r1', now, createdBy: 'kaisa@example.fi' });

describe('newWebinar', () => {
  it('stores UTC times, distinct languages and empty counters', () => {
    expect(webinar()).toMatchObject({
      startsAt: '2027-05-20T10:00:00.000Z',
      registrationClosesAt: '2027-05-19T13:00:00.000Z',
      languages: ['fi', 'sv'],
      confirmed: 0,
      waitlistSeq: 0,
      waitlistLeft: 0,
      sequence: 0,
    });
  });
  it('refuses a start in the past, naming the field', () => {
    const late = () => newWebinar(body, { webinarId: 'w', roundId: 'r', now: new Date('2027-06-01T00:00:00Z'), createdBy: 'k' });
    expect(late).toThrow(ValidationError);
    try {
      late();
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([
        { path: 'startsAt', message: 'must be in the future', code: 'not_in_future' },
      ]);
    }
  });
  it('the contract refuses times out of order', () => {
    const result = CreateWebinarBody.safeParse({ ...body, endsAt: body.startsAt, registrationClosesAt: '2027-05-21T10:00:00Z' });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(['endsAt', 'registrationClosesAt']);
  });
});

describe('changedWebinar', () => {
  it('never takes seats below those taken', () => {
    expect(() => changedWebinar({ ...webinar(), confirmed: 2 }, { seats: 1 })).toThrow(ConflictError);
  });
  it('a new time or join link re-issues the calendar entry; a recording link does not', () => {
    expect(changedWebinar(webinar(), { startsAt: '2027-05-20T11:00:00+03:00' }).reschedules).toBe(true);
    expect(changedWebinar(webinar(), { recordingUrl: 'https://v.example.fi/r' }).reschedules).toBe(false);
  });
  it('checks the times against the ones kept', () => {
    expect(() => changedWebinar(webinar(), { endsAt: '2027-05-20T09:00:00Z' })).toThrow(ValidationError);
  });
});

describe('registration window and seats', () => {
  it('closes at registrationClosesAt with a 409', () => {
    expect(() => assertCanRegister(webinar(), { language: 'fi' }, new Date('2027-05-19T13:00:00Z'))).toThrow(ConflictError);
    expect(() => assertCanRegister(webinar(), { language: 'fi' }, new Date('2027-05-19T12:59:59Z'))).not.toThrow();
  });
  it('takes the languages the webinar is held in', () => {
    expect(() => assertCanRegister(webinar(), { language: 'en' }, now)).toThrow(ValidationError);
  });
  it('shows seats left and the waiting count', () => {
    const view = toWebinarView({ ...webinar(), confirmed: 2, waitlistSeq: 5, waitlistLeft: 2 }, now, 'public');
    expect(view).toMatchObject({ seatsLeft: 0, waiting: 3, registrationOpen: true, status: 'upcoming' });
    expect(view.joinUrl).toBeUndefined();
    expect(toWebinarView(webinar(), now, 'coordinator').joinUrl).toBe('https://teams.example.fi/w');
  });
  it('positions are the still-waitlisted in ticket order, 1..N without gaps', () => {
    const regs = [
      { registrationId: 'a', status: 'waitlisted' as const, ticket: 4 },
      { registrationId: 'b', status: 'cancelled' as const, ticket: 2 },
      { registrationId: 'c', status: 'waitlisted' as const, ticket: 1 },
      { registrationId: 'd', status: 'confirmed' as const, ticket: 3 },
      { registrationId: 'e', status: 'confirmed' as const },
    ];
    expect([...waitlistPositions(regs)]).toEqual([
      ['c', 1],
      ['a', 2],
    ]);
    expect(waitingInOrder(regs).map((r) => r.registrationId)).toEqual(['c', 'a']);
  });
});

describe('invitationRecipients', () => {
  const app = (i: number, status: Application['status'], email = `k${i}@example.fi`) =>
    ({
      contact: { name: `C${i}`, email },
      language: 'sv',
      municipality: { code: '001', name: `Kunta ${i}` },
      status,
    }) as Application;
  it('invites participating municipalities and extras, each address once', () => {
    const recipients = invitationRecipients(
      [app(1, 'accepted'), app(2, 'waitlisted'), app(3, 'completed'), app(4, 'withdrawn')],
      [
        { name: 'Guest', email: 'guest@example.fi', language: 'en' },
        { name: 'Same', email: 'K1@Example.fi', language: 'fi' },
      ],
    );
    expect(recipients).toEqual([
      { email: 'k1@example.fi', name: 'C1', language: 'sv', municipality: 'Kunta 1' },
      { email: 'k3@example.fi', name: 'C3', language: 'sv', municipality: 'Kunta 3' },
      { email: 'guest@example.fi', name: 'Guest', language: 'en' },
    ]);
  });
});

describe('attendance', () => {
  const registrations = new Map([
    ['r1', { status: 'confirmed' as const }],
    ['r2', { status: 'waitlisted' as const }],
  ]);
  it('is marked from the start on', () => {
    expect(() => assertCanMarkAttendance(webinar(), { registrationIds: ['r1'], attended: true }, registrations, now)).toThrow(
      ConflictError,
    );
  });
  it('names each id that is not a confirmed registration of the webinar', () => {
    try {
      assertCanMarkAttendance(
        webinar(),
        { registrationIds: ['r1', 'r2', 'x', 'r1'], attended: false },
        registrations,
        new Date('2027-05-20T12:00:00Z'),
      );
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).issues!.map((i) => i.path)).toEqual([
        'registrationIds.1',
        'registrationIds.2',
        'registrationIds',
      ]);
    }
  });
});

describe('dueNotices', () => {
  it('reminds from a day before the start, thanks after the end, each once', () => {
    const w = webinar();
    expect(dueNotices(w, new Date('2027-05-19T09:59:00Z'))).toEqual([]);
    expect(dueNotices(w, new Date('2027-05-19T10:00:00Z'))).toEqual(['reminder']);
    expect(dueNotices({ ...w, remindersDoneAt: 'x' }, new Date('2027-05-19T11:00:00Z'))).toEqual([]);
    expect(dueNotices(w, new Date('2027-05-20T11:00:00Z'))).toEqual([]);
    expect(dueNotices(w, new Date('2027-05-20T12:00:00Z'))).toEqual(['thanks']);
    expect(dueNotices({ ...w, thanksDoneAt: 'x' }, new Date('2027-05-21T12:00:00Z'))).toEqual([]);
  });
});

describe('progress and export', () => {
  it('left is what is neither sent, failed nor skipped', () => {
    const progress = toBatchProgress(
      {
        batchId: 'b',
        webinarId: 'w',
        status: 'sending',
        ratePerSecond: 10,
        recipients: 10,
        skipped: 2,
        sent: 5,
        failed: 1,
        throttled: 3,
        createdAt: now.toISOString(),
        createdBy: 'k',
      },
      [],
    );
    expect(progress).toMatchObject({ sent: 5, failed: 1, left: 2, skipped: 2, throttled: 3 });
  });
  it('writes RFC 4180 CSV and defuses spreadsheet formulas', () => {
    const csv = registrationsCsv([
      {
        registrationId: 'r1',
        name: 'Virtanen, "Maija"',
        email: 'm@example.fi',
        language: 'fi',
        municipality: '=HYPERLINK("x")',
        status: 'confirmed',
        invited: true,
        attended: false,
        registeredAt: now.toISOString(),
      },
    ]);
    const [header, row] = csv.split('\r\n');
    expect(header).toBe(
      'registrationId,name,email,language,municipality,status,position,invited,attended,registeredAt,confirmedAt,promotedAt,cancelledAt',
    );
    expect(row).toBe(
      `r1,"Virtanen, ""Maija""",m@example.fi,fi,"'=HYPERLINK(""x"")",confirmed,,true,false,${now.toISOString()},,,`,
    );
  });
});

describe('Idempotency-Key', () => {
  it('names one webinar per round, coordinator and key', () => {
    const id = idempotentWebinarId('r1', 'kaisa@example.fi', 'k');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(idempotentWebinarId('r1', 'kaisa@example.fi', 'k')).toBe(id);
    expect(
      new Set([idempotentWebinarId('r2', 'kaisa@example.fi', 'k'), idempotentWebinarId('r1', 'x@example.fi', 'k'), id]).size,
    ).toBe(3);
  });
  it('takes 1 to 200 visible ASCII characters, and refuses others naming the header', () => {
    expect(checkedIdempotencyKey(undefined)).toBeUndefined();
    expect(checkedIdempotencyKey('a1b2-c3')).toBe('a1b2-c3');
    for (const bad of ['', 'a b', 'x'.repeat(201), 'ä']) {
      expect(() => checkedIdempotencyKey(bad)).toThrow(ValidationError);
    }
  });
});
