// The closing webinar against DynamoDB Local, the SES server (behind a proxy that can throttle or
// drop requests) and the local bus: seats under a burst, the waiting list, cancellation, invitation
// batches with throttling and a crash, reminders, attendance and the export.
import { spawn } from 'node:child_process';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchWriteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import type { Application } from '../../schemas/stored/application.js';
import { applicationItem } from '../../functions/stores/applications.js';
import { dynamo } from '../../functions/shared/aws.js';
import { advanceClock, resetClock } from '../../functions/shared/clock.js';
import { unwrapEvent } from '../../functions/shared/events.js';
import { historyKeys } from '../../functions/shared/keys.js';
import { retryOutbox } from '../../functions/shared/mailer.js';
import { event } from '../../functions/shared/outbox.js';
import { handler as cancelRegistration } from '../../functions/webinar/handlers/cancel-registration.js';
import { handler as createWebinar } from '../../functions/webinar/handlers/create-webinar.js';
import { handler as fillFreeSeats } from '../../functions/webinar/handlers/fill-free-seats.js';
import { handler as getInvitationBatch } from '../../functions/webinar/handlers/get-invitation-batch.js';
import { handler as getWebinar } from '../../functions/webinar/handlers/get-webinar.js';
import { handler as listRegistrations } from '../../functions/webinar/handlers/list-registrations.js';
import { handler as markAttendance } from '../../functions/webinar/handlers/mark-attendance.js';
import { handler as notifyRegistrant } from '../../functions/webinar/handlers/notify-registrant.js';
import { handler as register } from '../../functions/webinar/handlers/register.js';
import { handler as requestInvitations } from '../../functions/webinar/handlers/request-invitations.js';
import { handler as resumeInvitationBatches } from '../../functions/webinar/handlers/resume-invitation-batches.js';
import { handler as sendDueNotices } from '../../functions/webinar/handlers/send-due-notices.js';
import { handler as sweepSeats } from '../../functions/webinar/handlers/sweep-seats.js';
import { handler as updateWebinar } from '../../functions/webinar/handlers/update-webinar.js';
import { webinarPorts } from '../../functions/webinar/composition.js';
import { registrationKey, webinarKey } from '../../functions/shared/keys.js';
import { applyEnvironment } from '../../local/aws-env.js';
import type { BusEvent, LocalEventBus } from '../../local/event-bus.js';
import type { EventFlow } from '../../local/event-flow.js';
import { createIsolatedTable, readInbox, waitFor, type InboxEmail } from '../../local/testing.js';
import { startIsolatedEventFlow } from '../support/harness.js';
import { lambdaContext } from '../support/fixtures.js';
import { busEvent, callRoute, coordinatorClaims, detailOf } from '../support/invoke.js';

const hour = 3600_000;
const coordinator = coordinatorClaims();
const unique = () => Math.random().toString(36).slice(2, 10);
const languages = ['fi', 'sv', 'en'] as const;

let bus: LocalEventBus;
let events: EventFlow;
const settled = () => events.settled();
let restoreEnv: () => void;
let proxy: SesProxy;

// --- A proxy in front of the SES server that can answer "slow down" or drop requests ---------------

interface SesProxy {
  url: string;
  /** SendEmail requests that reached the SES server, per recipient. */
  delivered: Map<string, number>;
  /** When each delivered SendEmail was forwarded (ms). */
  deliveredAt: number[];
  throttledAnswers: number;
  /** Decides per SendEmail request: pass, answer 429 TooManyRequestsException, or drop the connection. */
  decide: (recipient: string, attemptOfRecipient: number, requestNumber: number) => 'pass' | 'throttle' | 'drop' | 'hang';
  /** Requests held open without an answer ('hang'). */
  hanging(): number;
  /** Drops every held request (their sender is gone by then). */
  releaseHanging(): void;
  reset(): void;
  close(): Promise<void>;
}

async function startSesProxy(target: string): Promise<SesProxy> {
  const upstream = new URL(target);
  const attempts = new Map<string, number>();
  const held = new Set<IncomingMessage>();
  let requests = 0;
  const state: SesProxy = {
    url: '',
    delivered: new Map(),
    deliveredAt: [],
    throttledAnswers: 0,
    decide: () => 'pass',
    hanging: () => held.size,
    releaseHanging() {
      for (const req of held) req.socket.destroy();
      held.clear();
    },
    reset() {
      this.releaseHanging();
      this.decide = () => 'pass';
      this.throttledAnswers = 0;
      this.deliveredAt = [];
      attempts.clear();
      requests = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        state.releaseHanging();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isSend = req.method === 'POST' && req.url === '/v2/email/outbound-emails';
      let recipient = '';
      if (isSend) {
        const parsed = JSON.parse(body.toString('utf8')) as { Destination?: { ToAddresses?: string[] } };
        recipient = parsed.Destination?.ToAddresses?.[0] ?? '';
        const attempt = (attempts.get(recipient) ?? 0) + 1;
        attempts.set(recipient, attempt);
        const decision = state.decide(recipient, attempt, ++requests);
        if (decision === 'drop') {
          req.socket.destroy();
          return;
        }
        if (decision === 'hang') {
          held.add(req);
          return;
        }
        if (decision === 'throttle') {
          state.throttledAnswers += 1;
          res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
          res.end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
          return;
        }
      }
      const forward = request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          if (isSend && answer.statusCode === 200) {
            state.delivered.set(recipient, (state.delivered.get(recipient) ?? 0) + 1);
            state.deliveredAt.push(Date.now());
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

beforeAll(async () => {
  const tableName = await createIsolatedTable('webinar');
  events = await startIsolatedEventFlow(tableName, { retry: { attempts: 4, baseDelayMs: 5 }, handlerTimeoutMs: 120_000 });
  bus = events.bus;
  proxy = await startSesProxy(process.env.AWS_ENDPOINT_URL_SESV2!);
  restoreEnv = applyEnvironment({
    TABLE_NAME: tableName,
    EVENT_BUS_NAME: bus.busName,
    EMAIL_FROM: 'no-reply@sparraus.local',
    PUBLIC_URL: 'http://localhost:3000',
    AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
    // Every email of this file goes through the proxy: the SDK reads this on the client's first request.
    AWS_ENDPOINT_URL_SESV2: proxy.url,
  });
});

afterEach(() => {
  resetClock();
  proxy.reset();
});

afterAll(async () => {
  await events?.stop();
  await proxy?.close();
  restoreEnv?.();
});

// --- Helpers -----------------------------------------------------------------------------------------

async function newRound(): Promise<string> {
  const created = await callRoute(createRound, 'POST /rounds', {
    claims: coordinator,
    body: {
      name: `Kierros ${unique()}`,
      region: '01',
      places: 5,
      opensAt: new Date(Date.now() - 30 * 24 * hour).toISOString(),
      closesAt: new Date(Date.now() + 24 * hour).toISOString(),
      languages: ['fi', 'sv', 'en'],
    },
  });
  expect(created.status).toBe(201);
  return created.body.roundId;
}

async function newWebinar(
  options: { seats?: number; roundId?: string; startsInHours?: number; extra?: Record<string, unknown> } = {},
) {
  const roundId = options.roundId ?? (await newRound());
  const startsAt = Date.now() + (options.startsInHours ?? 72) * hour;
  const response = await callRoute(createWebinar, 'POST /rounds/{roundId}/webinars', {
    claims: coordinator,
    path: { roundId },
    body: {
      title: `Päätöswebinaari ${unique()}`,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 2 * hour).toISOString(),
      seats: options.seats ?? 300,
      registrationClosesAt: new Date(startsAt - 2 * hour).toISOString(),
      joinUrl: 'https://teams.example.fi/webinar',
      languages: ['fi', 'sv', 'en'],
      feedbackUrl: 'https://forms.example.fi/palaute',
      ...options.extra,
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { roundId, webinarId: response.body.webinarId as string, webinar: response.body };
}

const registerPerson = (webinarId: string, body: Record<string, unknown>) =>
  callRoute(register, 'POST /webinars/{webinarId}/registrations', { path: { webinarId }, body });

const person = (i: number, tag: string) => ({
  name: `Osallistuja ${i}`,
  email: `p${i}-${tag}@example.fi`,
  language: languages[i % 3]!,
  municipality: `Kunta ${i % 40}`,
  consent: true,
});

const tokenOf = (cancelUrl: string) => new URL(cancelUrl).searchParams.get('token')!;

const cancel = (registrationId: string, token: string) =>
  callRoute(cancelRegistration, 'DELETE /registrations/{registrationId}', { path: { registrationId }, query: { token } });

const listing = async (webinarId: string) =>
  (await callRoute(listRegistrations, 'GET /webinars/{webinarId}/registrations', { claims: coordinator, path: { webinarId } }))
    .body;

/** The listing, asked again after each 503 (a backing service busy) until `deadline`. */
async function listingOnceAvailable(webinarId: string, deadline: number) {
  for (;;) {
    const answer = await callRoute(listRegistrations, 'GET /webinars/{webinarId}/registrations', {
      claims: coordinator,
      path: { webinarId },
    });
    if (answer.status !== 503 || Date.now() > deadline) return answer.body;
  }
}

/** Every email in the SES inbox to addresses containing `tag`, grouped by recipient. */
async function inboxByRecipient(tag: string): Promise<Map<string, InboxEmail[]>> {
  const byRecipient = new Map<string, InboxEmail[]>();
  for (const email of await readInbox()) {
    for (const to of email.destination.to) {
      if (!to.includes(tag)) continue;
      byRecipient.set(to, [...(byRecipient.get(to) ?? []), email]);
    }
  }
  return byRecipient;
}

const icsOf = (email: InboxEmail) => {
  const attachment = email.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  return attachment ? Buffer.from(attachment.content, 'base64').toString('utf8') : undefined;
};

/** Participating (accepted) municipalities of a round, written straight to the table as intake would have stored them. */
async function seedApplications(
  roundId: string,
  count: number,
  tag: string,
  status: Application['status'] = 'accepted',
): Promise<string[]> {
  const emails: string[] = [];
  const items = Array.from({ length: count }, (_, i) => {
    const email = `kunta${i}-${status}-${tag}@example.fi`;
    emails.push(email);
    const application: Application = {
      applicationId: `app-${tag}-${status}-${i}`,
      roundId,
      municipality: { code: String(i).padStart(3, '0'), name: `Kunta ${i}` },
      contact: { name: `Yhteyshenkilö ${i}`, email },
      language: languages[i % 3]!,
      themes: ['etätuki'],
      status,
      receivedAt: new Date(Date.now() - 10 * 24 * hour + i * 1000).toISOString(),
      consentAt: new Date().toISOString(),
      accessToken: `token-${i}`,
    };
    return applicationItem(application);
  });
  for (let i = 0; i < items.length; i += 25) {
    await dynamo().send(
      new BatchWriteCommand({
        RequestItems: { [process.env.TABLE_NAME!]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
  return emails;
}

const batchOf = async (webinarId: string, batchId: string) =>
  (
    await callRoute(getInvitationBatch, 'GET /webinars/{webinarId}/invitations/{batchId}', {
      claims: coordinator,
      path: { webinarId, batchId },
    })
  ).body;

interface EventItem {
  eventId: string;
  detailType: string;
  detail: Record<string, unknown>;
  roundId?: string;
  gsi1pk?: string;
}

/** The event items (outbox and audit trail) filed under a webinar, oldest first, read from the table. */
async function eventsOf(webinarId: string): Promise<EventItem[]> {
  const items: EventItem[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: process.env.TABLE_NAME!,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
        ExpressionAttributeValues: { ':pk': historyKeys.partition('webinar', webinarId), ':events': historyKeys.sortPrefix },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...((page.Items ?? []) as EventItem[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** `[detailType, registrationId or batchId]` of each event item of a webinar: what was announced, in order. */
const announced = async (webinarId: string) =>
  (await eventsOf(webinarId)).map((e) => [e.detailType, e.detail.registrationId ?? e.detail.batchId ?? e.detail.webinarId]);

const rawItem = async (key: Record<string, string>) =>
  (await dynamo().send(new GetCommand({ TableName: process.env.TABLE_NAME!, Key: key, ConsistentRead: true }))).Item;

// --- Tests ---------------------------------------------------------------------------------------------

describe('webinar', () => {
  it('is created for a round; the public view shows seats left and not the join link', async () => {
    const { webinarId, webinar } = await newWebinar({ seats: 40 });
    expect(webinar).toMatchObject({
      seats: 40,
      seatsLeft: 40,
      waiting: 0,
      registrationOpen: true,
      status: 'upcoming',
      joinUrl: 'https://teams.example.fi/webinar',
    });
    const view = await callRoute(getWebinar, 'GET /webinars/{webinarId}', { path: { webinarId } });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ webinarId, seats: 40, seatsLeft: 40 });
    expect(view.body.joinUrl).toBeUndefined();

    const unknownRound = await callRoute(createWebinar, 'POST /rounds/{roundId}/webinars', {
      claims: coordinator,
      path: { roundId: 'no-such-round' },
      body: { ...webinar, roundId: undefined, webinarId: undefined },
    });
    expect(unknownRound.status).toBe(400); // the view's extra fields are refused before the round is looked up

    const bad = await callRoute(createWebinar, 'POST /rounds/{roundId}/webinars', {
      claims: coordinator,
      path: { roundId: webinar.roundId },
      body: {
        title: '',
        startsAt: '2027-05-20T10:00:00',
        endsAt: '2027-05-20T09:00:00+03:00',
        seats: 0,
        registrationClosesAt: 'x',
        joinUrl: 'teams',
        languages: ['de'],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['title', 'startsAt', 'seats', 'registrationClosesAt', 'joinUrl', 'languages.0']),
    );
    const publicCall = await callRoute(createWebinar, 'POST /rounds/{roundId}/webinars', {
      path: { roundId: webinar.roundId },
      body: {},
    });
    expect(publicCall.status).toBe(401);
  });

  it('1,000 concurrent registrations for 300 seats: exactly 300 confirmed, 700 waitlisted at 1..700, one email each', async () => {
    const { webinarId } = await newWebinar({ seats: 300 });
    const tag = `burst-${unique()}`;
    const started = Date.now();
    // On AWS each request is its own Lambda with its own 10 s; here one process and one DynamoDB Local
    // serve all 1,000 (and the email handlers at the same time), so the last ones queue for longer.
    const remaining = lambdaContext.getRemainingTimeInMillis;
    lambdaContext.getRemainingTimeInMillis = () => 120_000;
    const answers = await Promise.all(Array.from({ length: 1000 }, (_, i) => registerPerson(webinarId, person(i, tag)))).finally(
      () => (lambdaContext.getRemainingTimeInMillis = remaining),
    );
    const burstMs = Date.now() - started;
    expect(answers.filter((a) => a.status !== 201).map((a) => a.body)).toEqual([]);
    const confirmed = answers.filter((a) => a.body.status === 'confirmed');
    const waitlisted = answers.filter((a) => a.body.status === 'waitlisted');
    expect(confirmed).toHaveLength(300);
    expect(waitlisted).toHaveLength(700);
    expect(waitlisted.map((a) => a.body.position).sort((x, y) => x - y)).toEqual(Array.from({ length: 700 }, (_, i) => i + 1));
    expect(new Set(answers.map((a) => a.body.registrationId)).size).toBe(1000);

    // The 1,000 confirmation emails are still being sent on the same DynamoDB Local, so the listing
    // may get a 503 (as a coordinator's page would, and retry): ask again until a deadline.
    const stored = await listingOnceAvailable(webinarId, Date.now() + 30_000);
    expect(stored).toMatchObject({ seats: 300, confirmed: 300, waiting: 700 });
    expect(stored.registrations).toHaveLength(1000);
    const positions = new Map(
      stored.registrations.map((r: { registrationId: string; position?: number }) => [r.registrationId, r.position]),
    );
    for (const a of waitlisted) expect(positions.get(a.body.registrationId)).toBe(a.body.position);
    const view = (await callRoute(getWebinar, 'GET /webinars/{webinarId}', { path: { webinarId } })).body;
    expect(view).toMatchObject({ seatsLeft: 0, waiting: 700 });

    await settled();
    const inbox = await inboxByRecipient(tag);
    expect(inbox.size).toBe(1000);
    const wrong = [...inbox].filter(([, mails]) => mails.length !== 1).map(([to, mails]) => [to, mails.length]);
    expect(wrong).toEqual([]);
    const withCalendar = [...inbox.values()].filter(([mail]) => icsOf(mail!)?.includes('METHOD:REQUEST'));
    expect(withCalendar).toHaveLength(300);
    console.info(`burst: 1000 registrations in ${burstMs} ms; all emails delivered in ${Date.now() - started} ms`);
  }, 180_000);

  it('the same email again returns the existing registration without a second email', async () => {
    const { webinarId } = await newWebinar({ seats: 1 });
    const tag = `dup-${unique()}`;
    const first = await registerPerson(webinarId, person(1, tag));
    expect(first.status).toBe(201);
    expect(first.body.cancelUrl).toContain('/registrations/');
    const again = await registerPerson(webinarId, {
      ...person(1, tag),
      email: person(1, tag).email.toUpperCase(),
      name: 'Toinen nimi',
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ registrationId: first.body.registrationId, status: 'confirmed' });
    const second = await registerPerson(webinarId, person(2, tag));
    const secondAgain = await registerPerson(webinarId, person(2, tag));
    expect(secondAgain).toMatchObject({
      status: 200,
      body: { registrationId: second.body.registrationId, status: 'waitlisted', position: 1 },
    });
    await settled();
    const inbox = await inboxByRecipient(tag);
    expect([...inbox.values()].map((m) => m.length)).toEqual([1, 1]);
    const confirmation = inbox.get(person(1, tag).email)![0]!;
    expect(confirmation.subject).toMatch(/^Ilmoittautuminen vahvistettu|^Anmälan bekräftad|^Registration confirmed/);
    const ics = icsOf(confirmation)!;
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:${first.body.registrationId}@sparraus`);
    expect(confirmation.body.text).toContain('Europe/Helsinki');
    expect(confirmation.body.text).toContain(first.body.cancelUrl);
  });

  it('bad input gets clear 4xx answers and writes nothing', async () => {
    const { webinarId } = await newWebinar({ seats: 5 });
    const tag = `bad-${unique()}`;
    const badEmail = await registerPerson(webinarId, { ...person(1, tag), email: 'not-an-email' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error.issues).toEqual([
      { path: 'email', code: 'invalid_email', message: 'must be a valid email address' },
    ]);
    const noConsent = await registerPerson(webinarId, { ...person(1, tag), consent: undefined });
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['consent']);
    const falseConsent = await registerPerson(webinarId, { ...person(1, tag), consent: false });
    expect(falseConsent.body.error.issues[0]).toMatchObject({ path: 'consent', message: expect.stringMatching(/consent/) });
    const unknownField = await registerPerson(webinarId, { ...person(1, tag), phone: '123' });
    expect(unknownField.status).toBe(400);
    const unknown = await registerPerson('no-such-webinar', person(1, tag));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const notJson = await callRoute(register, 'POST /webinars/{webinarId}/registrations', {
      path: { webinarId },
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(notJson.status).toBe(415);

    advanceClock(71 * hour); // past registrationClosesAt (start − 2 h), before the start
    const late = await registerPerson(webinarId, person(1, tag));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('registration_closed');
    resetClock();

    expect((await listing(webinarId)).registrations).toEqual([]);
    expect((await callRoute(getWebinar, 'GET /webinars/{webinarId}', { path: { webinarId } })).body).toMatchObject({
      seatsLeft: 5,
      waiting: 0,
    });
    await settled();
    expect((await inboxByRecipient(tag)).size).toBe(0);

    const badToken = await cancel('no-such-registration', 'x');
    expect(badToken.status).toBe(404);
    const noToken = await callRoute(cancelRegistration, 'DELETE /registrations/{registrationId}', {
      path: { registrationId: 'abc' },
    });
    expect(noToken.status).toBe(400);
    expect(noToken.body.error.issues[0].path).toBe('token');
  });

  it('cancellation promotes the waiting list in order, with the .ics; cancelling twice and duplicate events change nothing', async () => {
    const { webinarId } = await newWebinar({ seats: 2 });
    const tag = `cancel-${unique()}`;
    const people = [];
    for (let i = 0; i < 5; i++) people.push((await registerPerson(webinarId, person(i, tag))).body);
    expect(people.map((p) => [p.status, p.position])).toEqual([
      ['confirmed', undefined],
      ['confirmed', undefined],
      ['waitlisted', 1],
      ['waitlisted', 2],
      ['waitlisted', 3],
    ]);
    const [a, b, c, d, e] = people;
    await settled();

    // A waitlisted person leaves: nobody is promoted, the others move up.
    expect((await cancel(d.registrationId, tokenOf(d.cancelUrl))).body.status).toBe('cancelled');
    await settled();
    let list = await listing(webinarId);
    const statusOf = (id: string) => list.registrations.find((r: { registrationId: string }) => r.registrationId === id);
    expect([statusOf(c.registrationId).position, statusOf(e.registrationId).position]).toEqual([1, 2]);

    // A seat is freed: the first waitlisted gets it and is told with a calendar invitation.
    const wrongToken = await cancel(a.registrationId, 'guess');
    expect(wrongToken.status).toBe(403);
    const cancelled = await cancel(a.registrationId, tokenOf(a.cancelUrl));
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
    await settled();
    list = await listing(webinarId);
    expect(statusOf(c.registrationId)).toMatchObject({ status: 'confirmed', promotedAt: expect.any(String) });
    expect(statusOf(e.registrationId)).toMatchObject({ status: 'waitlisted', position: 1 });
    expect(list).toMatchObject({ confirmed: 2, waiting: 1 });
    const promotedMail = (await readInbox({ to: person(2, tag).email })).find((m) =>
      /Sait paikan|fick en plats|have a seat/.test(m.subject),
    )!;
    expect(icsOf(promotedMail)).toContain(`UID:${c.registrationId}@sparraus`);
    const cancelMail = (await readInbox({ to: person(0, tag).email })).find((m) => /peruttu|avbokad|cancelled/.test(m.subject))!;
    expect(icsOf(cancelMail)).toContain('METHOD:CANCEL');

    // Cancelling again, and the same events delivered again, change nothing and send nothing.
    const before = (await inboxByRecipient(tag)).size && (await readInbox()).length;
    const twice = await cancel(a.registrationId, tokenOf(a.cancelUrl));
    expect(twice.status).toBe(200);
    expect(twice.body.status).toBe('cancelled');
    const cancelledEvent = busEvent('RegistrationCancelled', 'sparraus.webinar', {
      registrationId: a.registrationId,
      webinarId,
      previousStatus: 'confirmed',
    });
    const promotedEvent = busEvent('RegistrationPromoted', 'sparraus.webinar', { registrationId: c.registrationId, webinarId });
    for (let i = 0; i < 2; i++) {
      await fillFreeSeats(cancelledEvent as BusEvent as never);
      await notifyRegistrant(cancelledEvent as never);
      await notifyRegistrant(promotedEvent as never);
    }
    await settled();
    expect(await listing(webinarId)).toEqual(list);
    expect((await readInbox()).length).toBe(before);

    // The last confirmed person leaves: E moves up; nobody waits; the next newcomer gets the free seat... none free now.
    await cancel(b.registrationId, tokenOf(b.cancelUrl));
    await settled();
    list = await listing(webinarId);
    expect(statusOf(e.registrationId).status).toBe('confirmed');
    expect(list).toMatchObject({ confirmed: 2, waiting: 0 });
    await cancel(c.registrationId, tokenOf(c.cancelUrl));
    await settled();
    const newcomer = await registerPerson(webinarId, person(9, tag));
    expect(newcomer.body.status).toBe('confirmed');
    // Re-registering after cancelling is a new registration.
    const back = await registerPerson(webinarId, person(0, tag));
    expect(back).toMatchObject({ status: 201, body: { status: 'waitlisted', position: 1 } });
    expect(back.body.registrationId).not.toBe(a.registrationId);
  });

  it('more seats (PATCH) go to the waiting list; seats never below those taken', async () => {
    const { webinarId } = await newWebinar({ seats: 1 });
    const tag = `patch-${unique()}`;
    for (let i = 0; i < 3; i++) await registerPerson(webinarId, person(i, tag));
    const tooFew = await callRoute(updateWebinar, 'PATCH /webinars/{webinarId}', {
      claims: coordinator,
      path: { webinarId },
      body: { seats: 0 },
    });
    expect(tooFew.status).toBe(400);
    const more = await callRoute(updateWebinar, 'PATCH /webinars/{webinarId}', {
      claims: coordinator,
      path: { webinarId },
      body: { seats: 2, recordingUrl: 'https://video.example.fi/tallenne' },
    });
    expect(more.status).toBe(200);
    expect(more.body).toMatchObject({ seats: 2, recordingUrl: 'https://video.example.fi/tallenne' });
    await settled();
    expect(await listing(webinarId)).toMatchObject({ confirmed: 2, waiting: 1 });
    const empty = await callRoute(updateWebinar, 'PATCH /webinars/{webinarId}', {
      claims: coordinator,
      path: { webinarId },
      body: {},
    });
    expect(empty.status).toBe(400);
    const badTimes = await callRoute(updateWebinar, 'PATCH /webinars/{webinarId}', {
      claims: coordinator,
      path: { webinarId },
      body: { endsAt: new Date(Date.now()).toISOString() },
    });
    expect(badTimes.status).toBe(400);
    expect(badTimes.body.error.issues[0].path).toBe('endsAt');
  });

  it('invites 500 addresses through SES throttling: each exactly once, at the set rate; sending again mails nobody twice', async () => {
    const tag = `inv-${unique()}`;
    const roundId = await newRound();
    const contacts = await seedApplications(roundId, 460, tag);
    await seedApplications(roundId, 20, tag, 'waitlisted'); // not participating: not invited
    const { webinarId } = await newWebinar({ roundId });
    const extraInvitees = Array.from({ length: 40 }, (_, i) => ({
      name: `Vieras ${i}`,
      email: `guest${i}-${tag}@example.fi`,
      language: languages[i % 3],
    }));
    // A contact also named as an extra invitee is still one address.
    extraInvitees.push({ name: 'Tuplana', email: contacts[0]!.toUpperCase(), language: 'fi' });

    // SES says "slow down" to every 25th request (the SDK's own retry absorbs those), and three
    // times in a row to ten addresses: more than the SDK retries, so the batch has to back off and
    // the mailer's outbox sends those later.
    const stubborn = new Set(Array.from({ length: 10 }, (_, k) => contacts[7 + 45 * k]!));
    proxy.decide = (recipient, attempt, n) =>
      recipient.includes(tag) && ((stubborn.has(recipient) && attempt <= 3) || n % 25 === 0) ? 'throttle' : 'pass';
    const ratePerSecond = 150;
    const accepted = await callRoute(requestInvitations, 'POST /webinars/{webinarId}/invitations', {
      claims: coordinator,
      path: { webinarId },
      body: { extraInvitees, ratePerSecond },
    });
    expect(accepted.status).toBe(202);
    const { batchId } = accepted.body;
    expect(accepted.body.progressUrl).toContain(`/webinars/${webinarId}/invitations/${batchId}`);
    // Pressed again while the first is sending: nobody gets a second invitation.
    const again = await callRoute(requestInvitations, 'POST /webinars/{webinarId}/invitations', {
      claims: coordinator,
      path: { webinarId },
      body: { extraInvitees, ratePerSecond },
    });
    expect(again.status).toBe(202);
    await settled();

    const first = await batchOf(webinarId, batchId);
    const second = await batchOf(webinarId, again.body.batchId);
    // The two presses share the 500 addresses between them; the batches holding the throttled ten wait.
    expect([first.recipients, second.recipients, first.failed, second.failed]).toEqual([500, 500, 0, 0]);
    expect([first, second].some((b) => b.status === 'sending')).toBe(true);
    expect(first.sent + second.sent).toBe(490);
    expect(first.skipped + second.skipped).toBe(500);
    expect(first.left + second.left).toBe(10);
    expect(first.throttled + second.throttled).toBeGreaterThanOrEqual(10);
    expect(proxy.throttledAnswers).toBeGreaterThanOrEqual(30 + 15);
    // Never faster than the rate: at most `ratePerSecond` sends in any one second (a little slack for
    // when the answers, which the proxy times, arrive).
    const times = [...proxy.deliveredAt].sort((x, y) => x - y);
    let busiest = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    expect(busiest).toBeLessThanOrEqual(Math.ceil(ratePerSecond * 1.05) + 2);

    // A minute on, the outbox sends the throttled ten; the next sweep of open batches finds them sent.
    advanceClock(61_000);
    await retryOutbox();
    await resumeInvitationBatches({} as never);
    await settled();
    const done = [await batchOf(webinarId, batchId), await batchOf(webinarId, again.body.batchId)];
    expect(done.map((b) => [b.status, b.left, b.failed])).toEqual([
      ['done', 0, 0],
      ['done', 0, 0],
    ]);
    expect(done[0]!.sent + done[1]!.sent).toBe(500);

    const delivered = [...proxy.delivered].filter(([to]) => to.includes(tag));
    expect(delivered).toHaveLength(500);
    expect(delivered.filter(([, n]) => n !== 1)).toEqual([]);
    const inbox = await inboxByRecipient(tag);
    expect(inbox.size).toBe(500);
    expect([...inbox.values()].filter((m) => m.length !== 1)).toEqual([]);
    for (let i = 0; i < 3; i++) {
      const mail = inbox.get(contacts[i]!)![0]!;
      expect(mail.subject).toMatch([/^Kutsu/, /^Inbjudan/, /^Invitation/][i]!);
      expect(mail.body.text).toMatch(new RegExp(`/webinars/${webinarId}\\?invitation=`));
    }

    // Later, one more invitee: only they are mailed.
    const later = await callRoute(requestInvitations, 'POST /webinars/{webinarId}/invitations', {
      claims: coordinator,
      path: { webinarId },
      body: { extraInvitees: [...extraInvitees, { name: 'Myöhäinen', email: `late-${tag}@example.fi`, language: 'sv' }] },
    });
    await settled();
    expect(await batchOf(webinarId, later.body.batchId)).toMatchObject({
      status: 'done',
      recipients: 501,
      skipped: 500,
      sent: 1,
      left: 0,
    });
    expect((await inboxByRecipient(tag)).size).toBe(501);

    // A person registering from their invitation link is recorded as invited, with their municipality.
    const invitation = new URL(/(http\S+\?invitation=\S+)/.exec(inbox.get(contacts[5]!)![0]!.body.text!)![1]!).searchParams.get(
      'invitation',
    )!;
    const registered = await registerPerson(webinarId, {
      name: 'Yhteyshenkilö 5',
      email: contacts[5],
      language: 'sv',
      invitation,
      consent: true,
    });
    expect(registered.status).toBe(201);
    const row = (await listing(webinarId)).registrations.find(
      (r: { registrationId: string }) => r.registrationId === registered.body.registrationId,
    );
    expect(row).toMatchObject({ invited: true, municipality: 'Kunta 5' });
  }, 120_000);

  it('an invitation sender killed half-way (the process, mid-send) is resumed where it stopped: still exactly once each', async () => {
    const tag = `crash-${unique()}`;
    const roundId = await newRound();
    await seedApplications(roundId, 500, tag);
    const { webinarId } = await newWebinar({ roundId });
    // The batch as POST /invitations records it; the sender runs in a process of its own, to be killed.
    const batchId = `batch-${tag}`;
    // With no InvitationsRequested: the sender below is started by hand.
    await webinarPorts().batches.putBatch(
      {
        batchId,
        webinarId,
        status: 'preparing',
        ratePerSecond: 200,
        recipients: 0,
        skipped: 0,
        sent: 0,
        failed: 0,
        throttled: 0,
        createdAt: new Date().toISOString(),
        createdBy: 'test',
      },
      [],
    );
    // After 200 addresses have gone out, SES stops answering: the next sends hang mid-request.
    let passed = 0;
    proxy.decide = (recipient) => {
      if (!recipient.includes(tag)) return 'pass';
      if (passed >= 200) return 'hang';
      passed += 1;
      return 'pass';
    };
    const sender = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '--eval',
        `const { runInvitationBatch } = await import(${JSON.stringify(new URL('../../functions/webinar/invitations.ts', import.meta.url).href)});
         const { mailingWebinarPorts } = await import(${JSON.stringify(new URL('../../functions/webinar/composition.ts', import.meta.url).href)});
         await runInvitationBatch(mailingWebinarPorts(), ${JSON.stringify(webinarId)}, ${JSON.stringify(batchId)}, { budgetMs: 600_000 });`,
      ],
      { env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' }, stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => sender.once('exit', resolve));
    try {
      await waitFor(async () => proxy.hanging() > 0 && (await batchOf(webinarId, batchId)).sent === 200, {
        timeoutMs: 60_000,
        intervalMs: 100,
      });
    } finally {
      sender.kill('SIGKILL');
      await exited;
    }
    proxy.releaseHanging();
    const stopped = await batchOf(webinarId, batchId);
    expect(stopped).toMatchObject({ status: 'sending', recipients: 500, sent: 200, failed: 0, left: 300 });

    // While the dead sender's lease runs, the schedule leaves the batch alone.
    proxy.decide = () => 'pass';
    await resumeInvitationBatches({} as never);
    await settled();
    expect((await batchOf(webinarId, batchId)).sent).toBe(200);
    const ofBatch = async (type: string) =>
      (await eventsOf(webinarId)).filter((e) => e.detailType === type && e.detail.batchId === batchId).length;
    expect(await ofBatch('InvitationBatchProgressed')).toBe(0); // the dead sender asked for no continuation, nor did the schedule

    // Once it has run out, the schedule hands the batch to a new sender, which goes on from 201.
    advanceClock(61_000);
    await resumeInvitationBatches({} as never);
    await settled();
    const finished = await batchOf(webinarId, batchId);
    expect(finished).toMatchObject({ status: 'done', recipients: 500, sent: 500, failed: 0, left: 0 });
    const delivered = [...proxy.delivered].filter(([to]) => to.includes(tag));
    expect(delivered).toHaveLength(500);
    expect(delivered.filter(([, n]) => n !== 1)).toEqual([]);
    const inbox = await inboxByRecipient(tag);
    expect(inbox.size).toBe(500);
    expect([...inbox.values()].filter((m) => m.length !== 1)).toEqual([]);
    expect(await ofBatch('InvitationBatchProgressed')).toBeGreaterThanOrEqual(1);
    expect(await ofBatch('InvitationsSent')).toBe(1);
    const progressed = await ofBatch('InvitationBatchProgressed');
    // Done means done: the schedule has nothing more to resume, and announces nothing.
    await resumeInvitationBatches({} as never);
    await settled();
    expect((await inboxByRecipient(tag)).size).toBe(500);
    expect([await ofBatch('InvitationBatchProgressed'), await ofBatch('InvitationsSent')]).toEqual([progressed, 1]);
  }, 120_000);

  it('reminds the confirmed the day before, thanks them after, and tells the absent what they missed', async () => {
    // Sooner than the other webinars of this file, so that their registrants (the burst's 300) are not yet due.
    const { webinarId } = await newWebinar({ seats: 3, startsInHours: 30 });
    const tag = `notice-${unique()}`;
    const people = [];
    for (let i = 0; i < 4; i++) people.push((await registerPerson(webinarId, person(i, tag))).body);
    await settled();
    const subjects = async (i: number) => (await readInbox({ to: person(i, tag).email })).map((m) => m.subject);

    await sendDueNotices({} as never);
    expect((await subjects(0)).filter((s) => /Muistutus|Påminnelse|Reminder/.test(s))).toEqual([]);
    advanceClock(7 * hour); // 23 h before the start
    await sendDueNotices({} as never);
    await sendDueNotices({} as never);
    for (let i = 0; i < 3; i++)
      expect((await subjects(i)).filter((s) => /Muistutus|Påminnelse|Reminder/.test(s))).toHaveLength(1);
    expect((await subjects(3)).filter((s) => /Muistutus|Påminnelse|Reminder/.test(s))).toEqual([]); // waitlisted
    const reminder = (await readInbox({ to: person(0, tag).email })).find((m) => /Muistutus/.test(m.subject))!;
    expect(reminder.body.text).toContain('Suomen aikaa');
    expect(reminder.body.text).toContain('https://teams.example.fi/webinar');

    const early = await callRoute(markAttendance, 'POST /webinars/{webinarId}/attendance', {
      claims: coordinator,
      path: { webinarId },
      body: { registrationIds: [people[0].registrationId], attended: true },
    });
    expect(early.status).toBe(409);

    advanceClock(26 * hour); // the webinar has ended
    const bad = await callRoute(markAttendance, 'POST /webinars/{webinarId}/attendance', {
      claims: coordinator,
      path: { webinarId },
      body: { registrationIds: [people[0].registrationId, 'nobody', people[3].registrationId], attended: true },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['registrationIds.1', 'registrationIds.2']);
    await callRoute(updateWebinar, 'PATCH /webinars/{webinarId}', {
      claims: coordinator,
      path: { webinarId },
      body: { recordingUrl: 'https://video.example.fi/tallenne' },
    });
    const present = await callRoute(markAttendance, 'POST /webinars/{webinarId}/attendance', {
      claims: coordinator,
      path: { webinarId },
      body: { registrationIds: [people[0].registrationId, people[1].registrationId], attended: true },
    });
    expect(present.body).toEqual({ webinarId, attended: true, marked: 2 });
    // Sent again (a retry after a lost answer): the same answer, and nothing announced twice.
    const presentAgain = await callRoute(markAttendance, 'POST /webinars/{webinarId}/attendance', {
      claims: coordinator,
      path: { webinarId },
      body: { registrationIds: [people[0].registrationId, people[1].registrationId], attended: true },
    });
    expect(presentAgain.body).toEqual(present.body);
    const absent = await callRoute(markAttendance, 'POST /webinars/{webinarId}/attendance', {
      claims: coordinator,
      path: { webinarId },
      body: { registrationIds: [people[2].registrationId], attended: false },
    });
    expect(absent.body.marked).toBe(1);
    await settled();
    expect(
      (await eventsOf(webinarId))
        .filter((e) => e.detailType === 'AttendanceMarked')
        .map((e) => [e.detail.registrationId, e.detail.attended]),
    ).toEqual(
      expect.arrayContaining([
        [people[0].registrationId, true],
        [people[1].registrationId, true],
        [people[2].registrationId, false],
      ]),
    );
    expect((await eventsOf(webinarId)).filter((e) => e.detailType === 'AttendanceMarked')).toHaveLength(3);
    await sendDueNotices({} as never);
    await sendDueNotices({} as never);
    const thanks = /^Kiitos|^Tack|^Thank you/;
    expect((await subjects(0)).filter((s) => thanks.test(s))).toHaveLength(1);
    expect((await subjects(1)).filter((s) => thanks.test(s))).toHaveLength(1);
    expect((await subjects(2)).filter((s) => thanks.test(s))).toEqual([]);
    const missed = (await readInbox({ to: person(2, tag).email })).filter((m) => /Harmi|Synd|Sorry/.test(m.subject));
    expect(missed).toHaveLength(1);
    expect(missed[0]!.body.text).toContain('https://video.example.fi/tallenne');
    const thankYou = (await readInbox({ to: person(0, tag).email })).find((m) => thanks.test(m.subject))!;
    expect(thankYou.body.text).toContain('https://forms.example.fi/palaute');

    // Exported with status, municipality and attendance, as JSON and as CSV.
    const json = await listing(webinarId);
    expect(
      json.registrations.map((r: { status: string; attended?: boolean; municipality: string }) => [
        r.status,
        r.attended,
        r.municipality,
      ]),
    ).toEqual([
      ['confirmed', true, 'Kunta 0'],
      ['confirmed', true, 'Kunta 1'],
      ['confirmed', false, 'Kunta 2'],
      ['waitlisted', undefined, 'Kunta 3'],
    ]);
    const csv = await listRegistrations(
      (await import('../support/fixtures.js')).httpEvent('http-api-apply', {
        routeKey: 'GET /webinars/{webinarId}/registrations',
        pathParameters: { webinarId },
        headers: { accept: 'text/csv' },
        body: '',
        claims: coordinator,
      }) as never,
      {} as never,
    );
    expect(csv.headers?.['content-type']).toMatch(/^text\/csv/);
    const rows = String(csv.body).trim().split('\r\n');
    expect(rows[0]).toBe(
      'registrationId,name,email,language,municipality,status,position,invited,attended,registeredAt,confirmedAt,promotedAt,cancelledAt',
    );
    expect(rows).toHaveLength(5);
    expect(rows[3]).toContain(',Kunta 2,confirmed,,false,false,');
    expect(rows[4]).toContain(',Kunta 3,waitlisted,1,false,,');
  }, 60_000);

  it('each change is written with its events, once: registering, cancelling, a promotion; retries and refusals announce nothing', async () => {
    const { webinarId, roundId } = await newWebinar({ seats: 1 });
    const tag = `outbox-${unique()}`;
    const a = (await registerPerson(webinarId, person(0, tag))).body;
    const b = (await registerPerson(webinarId, person(1, tag))).body;
    expect([a.status, b.status]).toEqual(['confirmed', 'waitlisted']);
    // The same email again, and the same cancellation twice: answered, and nothing announced again.
    expect((await registerPerson(webinarId, person(0, tag))).status).toBe(200);
    expect((await cancel(a.registrationId, tokenOf(a.cancelUrl))).body.status).toBe('cancelled');
    expect((await cancel(a.registrationId, tokenOf(a.cancelUrl))).body.status).toBe('cancelled');
    await settled();

    // B was promoted by the handler of A's RegistrationCancelled; the promotion's event came with it.
    expect((await rawItem(registrationKey(b.registrationId)))?.status).toBe('confirmed');
    const expected = [
      ['WebinarCreated', webinarId],
      ['RegistrationConfirmed', a.registrationId],
      ['RegistrationWaitlisted', b.registrationId],
      ['RegistrationCancelled', a.registrationId],
      ['RegistrationPromoted', b.registrationId],
    ];
    expect(await announced(webinarId)).toEqual(expected);
    // Each filed under the webinar's round too (the round's history, retention), though only the first names it.
    const items = await eventsOf(webinarId);
    expect(items.map((e) => [e.roundId, e.gsi1pk])).toEqual(items.map(() => [roundId, historyKeys.roundPartition(roundId)]));
    // The relay put each on the bus once, as its stored event.
    const relayed = bus
      .publishedEvents()
      .filter((e) => e.source === 'sparraus.webinar' && detailOf<{ webinarId?: string }>(e).webinarId === webinarId)
      .map((e) => unwrapEvent(e as never).eventId);
    expect(relayed.sort()).toEqual(items.map((e) => e.eventId).sort());

    // Redelivered events and a sweep find nothing to do, and announce nothing.
    const cancelledAgain = busEvent('RegistrationCancelled', 'sparraus.webinar', {
      registrationId: a.registrationId,
      webinarId,
      previousStatus: 'confirmed',
    });
    await fillFreeSeats(cancelledAgain as BusEvent as never);
    await fillFreeSeats(cancelledAgain as BusEvent as never);
    await sweepSeats({} as never);
    expect((await registerPerson(webinarId, person(1, tag))).body).toMatchObject({
      registrationId: b.registrationId,
      status: 'confirmed',
    });
    await settled();
    expect(await announced(webinarId)).toEqual(expected);

    // A change refused by its condition writes no event: B cancelled as if still waiting (it is not)…
    const c = (await registerPerson(webinarId, person(2, tag))).body;
    const staleB = { ...(await webinarPorts().webinars.getRegistration(b.registrationId))!, status: 'waitlisted' as const };
    const cancelled = await webinarPorts().webinars.cancel(staleB, new Date().toISOString(), [
      event('RegistrationCancelled', { registrationId: b.registrationId, webinarId, previousStatus: 'waitlisted' }),
    ]);
    expect(cancelled).toBe(false);
    // …and C promoted when no seat is free.
    const waitingC = (await webinarPorts().webinars.getRegistration(c.registrationId))!;
    expect(
      await webinarPorts().webinars.promote(waitingC, new Date().toISOString(), [
        event('RegistrationPromoted', { registrationId: c.registrationId, webinarId }),
      ]),
    ).toBe('full');
    // An event that is not valid stops its change: C stays waiting, the counters untouched.
    const counters = await rawItem(webinarKey(webinarId));
    await expect(
      webinarPorts().webinars.promote(waitingC, new Date().toISOString(), [
        event('RegistrationPromoted', { registrationId: c.registrationId } as never),
      ]),
    ).rejects.toThrow();
    expect(await rawItem(webinarKey(webinarId))).toEqual(counters);
    expect((await rawItem(registrationKey(c.registrationId)))?.status).toBe('waitlisted');
    await settled();
    expect(await announced(webinarId)).toEqual([...expected, ['RegistrationWaitlisted', c.registrationId]]);
  });

  it('the seat sweep sets counters right after a writer died between taking a seat or ticket and storing its registration', async () => {
    const { webinarId } = await newWebinar({ seats: 3 });
    const tag = `sweep-${unique()}`;
    for (let i = 0; i < 2; i++) await registerPerson(webinarId, person(i, tag));
    // Writers that took a seat, and a ticket, and died before storing their registrations.
    expect(await webinarPorts().webinars.takeSeat(webinarId, new Date().toISOString())).toEqual({ outcome: 'seat' });
    const waiting = (await registerPerson(webinarId, person(2, tag))).body;
    expect(waiting).toMatchObject({ status: 'waitlisted', position: 1 });
    expect((await webinarPorts().webinars.takeTicket(webinarId, new Date().toISOString())).outcome).toBe('ticket');
    const view = async () => (await callRoute(getWebinar, 'GET /webinars/{webinarId}', { path: { webinarId } })).body;
    expect(await view()).toMatchObject({ seatsLeft: 0, waiting: 2 });

    await sweepSeats({} as never); // the counters moved a moment ago: a registration may still be on its way
    expect(await view()).toMatchObject({ seatsLeft: 0, waiting: 2 });
    advanceClock(3 * 60_000);
    await sweepSeats({} as never);
    await settled();
    expect(await view()).toMatchObject({ seatsLeft: 0, waiting: 0 });
    const list = await listing(webinarId);
    expect(list.registrations.find((r: { registrationId: string }) => r.registrationId === waiting.registrationId)).toMatchObject(
      { status: 'confirmed' },
    );
    const newcomer = await registerPerson(webinarId, person(7, tag));
    expect(newcomer.body).toMatchObject({ status: 'waitlisted', position: 1 });
  });
});
