// The injection corpus, sent to every text field of the public bodies (apply, register) on the local
// stack: what cannot be stored safely (CR/LF and other control characters in single-line fields, NUL
// anywhere, lone surrogates, bodies that are not UTF-8) is 4xx naming the field, with nothing written;
// what can (quotes, markup, formula prefixes, SQL, non-Latin text) is stored as given and comes back
// intact in JSON, in CSV (formulas kept as text), in email (escaped in HTML) and in .ics.
import { parse } from 'csv-parse/sync';
import ical, { type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../bench/http.js';
import { calendarName } from '../../functions/shared/calendar-names.js';
import type { LocalStack } from '../../local/stack.js';
import { readInbox, waitFor } from '../../local/testing.js';
import { countItems, startTestStack } from '../support/harness.js';

let stack: LocalStack;
let api: ApiClient;
let coordinator: string;
let roundId: string;
let webinarId: string;
const unique = () => Math.random().toString(36).slice(2, 10);
const day = 24 * 3_600_000;

/** Valid text that has broken something somewhere: it must be stored and shown as typed. */
const hostile = [
  'Quote";ROLE=CHAIR',
  '<script>alert(1)</script>',
  '=HYPERLINK("https://evil.example","klik")',
  '+SUM(1;2)',
  "Robert'); DROP TABLE applications;--",
  'Ääninen Åsa Øre 🙂 中文',
  '${7*7} {{7*7}}',
];
/** Never stored in a single-line field. */
const refusedSingleLine = ['Name\r\nBcc: victim@example.com', 'Nul\u0000byte', 'Tab\there', 'Lone \ud800 surrogate', 'Line\u2028separator'];

const applyBody = (overrides: Record<string, unknown> = {}) => ({
  municipality: { code: String(100 + Math.floor(Math.random() * 800)), name: 'Kunta' },
  contact: { name: 'Kaisa', email: `inj-${unique()}@example.fi` },
  language: 'fi',
  themes: ['etäasiointi'],
  situation: 'Tilanne',
  consent: true,
  ...overrides,
});

beforeAll(async () => {
  stack = await startTestStack('injection');
  api = new ApiClient(stack.apiUrl);
  coordinator = await api.token('coordinator', `kaisa-${unique()}@example.fi`);
  const now = await api.now();
  ({ roundId } = await api.expect<{ roundId: string }>([201], 'POST', '/rounds', {
    token: coordinator,
    json: {
      name: 'Injektiokierros',
      region: '01',
      places: 100,
      opensAt: new Date(now - 3_600_000).toISOString(),
      closesAt: new Date(now + 14 * day).toISOString(),
      languages: ['fi', 'sv', 'en'],
    },
  }));
  ({ webinarId } = await api.expect<{ webinarId: string }>([201], 'POST', `/rounds/${roundId}/webinars`, {
    token: coordinator,
    json: {
      title: 'Injektiowebinaari',
      startsAt: new Date(now + 7 * day).toISOString(),
      endsAt: new Date(now + 7 * day + 3_600_000).toISOString(),
      registrationClosesAt: new Date(now + 6 * day).toISOString(),
      seats: 100,
      joinUrl: 'https://meet.example.fi/webinar',
      languages: ['fi'],
    },
  }));
  // What creating them set off is done before the tests count items.
  await stack.settled();
}, 120_000);

afterAll(() => stack?.stop());

async function rawPost(path: string, body: Buffer | string) {
  const response = await fetch(`${stack.apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('refused input', () => {
  const fields: [string, (value: string) => Record<string, unknown>][] = [
    ['contact.name', (v) => applyBody({ contact: { name: v, email: `inj-${unique()}@example.fi` } })],
    ['municipality.name', (v) => applyBody({ municipality: { code: '091', name: v } })],
    ['themes.0', (v) => applyBody({ themes: [v] })],
  ];

  it('control characters and lone surrogates in single-line fields of an application: 400 naming the field, nothing written', async () => {
    const before = await countItems(stack.tableName);
    for (const [field, body] of fields) {
      for (const value of refusedSingleLine) {
        const answer = await api.call<{ error: { issues: { path: string }[] } }>('POST', `/rounds/${roundId}/applications`, { json: body(value) });
        expect({ field, value, status: answer.status }).toEqual({ field, value, status: 400 });
        expect(answer.body.error.issues.map((i) => i.path)).toContain(field);
      }
    }
    expect(await countItems(stack.tableName)).toBe(before);
  });

  it('NUL in the multi-line situation, and in a registration name: 400 naming the field', async () => {
    const situation = await api.call<{ error: { issues: { path: string }[] } }>('POST', `/rounds/${roundId}/applications`, {
      json: applyBody({ situation: 'rivi\nrivi\u0000' }),
    });
    expect(situation.status).toBe(400);
    expect(situation.body.error.issues.map((i) => i.path)).toContain('situation');
    for (const value of refusedSingleLine) {
      const registration = await api.call<{ error: { issues: { path: string }[] } }>('POST', `/webinars/${webinarId}/registrations`, {
        json: { name: value, email: `inj-${unique()}@example.fi`, language: 'fi', consent: true },
      });
      expect(registration.status).toBe(400);
      expect(registration.body.error.issues.map((i) => i.path)).toContain('name');
    }
  });

  it('a body that is not UTF-8: 400, nothing written', async () => {
    await stack.settled();
    const before = await countItems(stack.tableName);
    const json = Buffer.from(JSON.stringify(applyBody({ contact: { name: 'XX', email: `inj-${unique()}@example.fi` } })));
    const at = json.indexOf('XX');
    json[at] = 0xc3; // a lead byte without its continuation
    json[at + 1] = 0x28;
    const answer = await rawPost(`/rounds/${roundId}/applications`, json);
    expect(answer.status).toBe(400);
    expect(await countItems(stack.tableName)).toBe(before);
  });
});

describe('hostile but valid text comes back as typed', () => {
  it('in JSON, in the confirmation email (escaped in its HTML) and nowhere as markup', async () => {
    for (const value of hostile) {
      const email = `inj-${unique()}@example.fi`;
      const applied = await api.expect<{ applicationId: string; statusUrl: string }>([201], 'POST', `/rounds/${roundId}/applications`, {
        json: applyBody({ contact: { name: value, email }, municipality: { code: String(100 + hostile.indexOf(value)), name: value }, themes: [value], situation: `${value}\n${value}` }),
      });
      const token = new URL(applied.statusUrl).searchParams.get('token')!;
      const view = await api.expect<Record<string, any>>([200], 'GET', `/applications/${applied.applicationId}?token=${token}`);
      expect(JSON.stringify(view)).toContain(JSON.stringify(value).slice(1, -1));
      await stack.settled();
      const [mail] = await waitFor(async () => {
        const mails = await readInbox({ to: email });
        return mails.length ? mails : undefined;
      });
      expect(mail!.subject).not.toMatch(/[\r\n]/);
      expect(mail!.body.text).toContain(value);
      expect(mail!.body.html ?? '').not.toContain('<script>');
    }
  });

  it('in the registrations CSV (formulas kept as text) and in the .ics of the confirmation', async () => {
    for (const value of hostile) {
      const email = `inj-${unique()}@example.fi`;
      await api.expect([201], 'POST', `/webinars/${webinarId}/registrations`, {
        json: { name: value, email, language: 'fi', municipality: value, consent: true },
      });
      await stack.settled();
      const [mail] = await waitFor(async () => {
        const mails = await readInbox({ to: email });
        return mails.length ? mails : undefined;
      });
      const ics = mail!.attachments.find((a) => a.filename?.endsWith('.ics'));
      expect(ics, 'the confirmation carries a calendar file').toBeDefined();
      const text = Buffer.from(ics!.content, 'base64').toString('utf8');
      const event = Object.values(ical.sync.parseICS(text)).find((c): c is VEvent => c?.type === 'VEVENT')!;
      const attendees = [event.attendee].flat().filter(Boolean) as unknown as { val: string; params: { CN?: string } }[];
      expect(attendees).toHaveLength(1);
      expect(attendees[0]!.val.toLowerCase()).toBe(`mailto:${email}`);
      expect(attendees[0]!.params.CN).toBe(calendarName(value));
    }
    const response = await fetch(`${stack.apiUrl}/webinars/${webinarId}/registrations`, {
      headers: { authorization: `Bearer ${coordinator}`, accept: 'text/csv' },
    });
    const rows = parse(await response.text(), { columns: true }) as { name: string; municipality: string }[];
    const expected = (value: string) => (/^[=+\-@]/.test(value) ? `'${value}` : value);
    for (const value of hostile) {
      expect(rows.map((r) => r.name)).toContain(expected(value));
      expect(rows.map((r) => r.municipality)).toContain(expected(value));
    }
  });
});
