// End to end: the whole local stack (the real handlers, the wiring table's routes, rules and
// schedules, DynamoDB Local, the SES emulator, the local bus) driven only over HTTP, as a client
// would: tokens from POST /dev/token, the API with fetch, mail from the SES emulator's store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRoutes } from '../../infra/wiring.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { createIsolatedTable, readInbox, waitFor } from '../../local/testing.js';

let stack: LocalStack;
let api: string;

const hour = 3_600_000;
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

interface ErrorAnswer {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

interface RoundView {
  roundId: string;
  name: string;
  status: string;
  applications: number;
  placesLeft: number;
}

interface ApplyAnswer {
  applicationId: string;
  status: string;
  statusUrl: string;
}

/** One request as a client makes it; `json` is sent with Content-Type application/json. */
async function call<T = unknown>(
  method: string,
  path: string,
  options: { token?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(path.startsWith('http') ? path : `${api}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T };
}

async function tokenFor(role: 'coordinator' | 'tutor', email = `${role}-${unique()}@example.fi`): Promise<string> {
  const answer = await call<{ token: string }>('POST', '/dev/token', { json: { role, email } });
  expect(answer.status).toBe(200);
  return answer.body.token;
}

/** A round open right now (by the stack's clock, which the last test moves on). */
async function openRound(coordinator: string, overrides: Record<string, unknown> = {}): Promise<RoundView> {
  const clock = await call<{ now: string }>('GET', '/dev/clock');
  const now = Date.parse(clock.body.now);
  const answer = await call<RoundView>('POST', '/rounds', {
    token: coordinator,
    json: {
      name: `Kevät ${unique()}`,
      region: '01',
      places: 5,
      opensAt: new Date(now - hour).toISOString(),
      closesAt: new Date(now + 14 * 24 * hour).toISOString(),
      languages: ['fi', 'sv', 'en'],
      ...overrides,
    },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

function application(code: string, email: string, overrides: Record<string, unknown> = {}) {
  return {
    municipality: { code, name: `Kunta ${code}` },
    contact: { name: 'Maija Meikäläinen', email },
    language: 'fi',
    themes: ['remote support'],
    consent: true,
    ...overrides,
  };
}

/** A recipient no other test (or test file: the SES store is shared) writes to. */
const recipient = (what: string) => `${what}-${unique()}@example.fi`;

async function applicationsIn(roundId: string): Promise<number> {
  const answer = await call<RoundView>('GET', `/rounds/${roundId}`);
  expect(answer.status).toBe(200);
  return answer.body.applications;
}

/** The confirmation for `to`, once it has arrived. */
async function confirmationFor(to: string) {
  const [email] = await waitFor(
    async () => {
      const emails = await readInbox({ to });
      return emails.length > 0 ? emails : undefined;
    },
    { message: `a confirmation email to ${to}` },
  );
  return email!;
}

function statusLinkIn(text: string | undefined): string {
  const link = /https?:\/\/\S+\/applications\/[\w-]+\?token=[\w%-]+/.exec(text ?? '')?.[0];
  if (!link) throw new Error(`No status link in the email text:\n${text}`);
  return link;
}

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    eventsPort: 0,
    dynamoEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
    sesEndpoint: process.env.AWS_ENDPOINT_URL_SESV2,
    dataDir: null,
    tableName: await createIsolatedTable('e2e-intake'),
    manualSchedules: true,
    retry: { attempts: 3, baseDelayMs: 10 },
    quiet: true,
  });
  api = stack.apiUrl;
});

afterAll(async () => {
  await stack?.stop();
});

describe('intake over HTTP', () => {
  it('serves its OpenAPI document, listing /rounds', async () => {
    const answer = await call<{ openapi: string; paths: Record<string, Record<string, unknown>>; servers: { url: string }[] }>(
      'GET',
      '/openapi.json',
    );
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toMatch(/^3\./);
    expect(Object.keys(answer.body.paths['/rounds'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(answer.body.servers[0]?.url).toBe(api);
  });

  it('creates a round for a coordinator only (401 without a token, 403 for a tutor) and lists it', async () => {
    const body = {
      name: `Syksy ${unique()}`,
      region: '01',
      places: 3,
      opensAt: new Date(Date.now() - hour).toISOString(),
      closesAt: new Date(Date.now() + 7 * 24 * hour).toISOString(),
      languages: ['fi'],
    };
    const anonymous = await call<ErrorAnswer>('POST', '/rounds', { json: body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(anonymous.body.error.code).toBe('unauthorized');

    const tutor = await call<ErrorAnswer>('POST', '/rounds', { token: await tokenFor('tutor'), json: body });
    expect(tutor.status).toBe(403);
    expect(tutor.body.error.code).toBe('forbidden');

    const created = await call<RoundView>('POST', '/rounds', { token: await tokenFor('coordinator'), json: body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: body.name, places: 3, placesLeft: 3, applications: 0, status: 'open' });
    expect(created.headers.get('location')).toBe(`/rounds/${created.body.roundId}`);

    const list = await call<{ rounds: RoundView[] }>('GET', '/rounds');
    expect(list.status).toBe(200);
    expect(list.body.rounds.map((r) => r.roundId)).toContain(created.body.roundId);

    const one = await call<RoundView>('GET', `/rounds/${created.body.roundId}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(created.body);
    expect((await call<ErrorAnswer>('GET', '/rounds/no-such-round')).status).toBe(404);
  });

  it('takes an application, mails a status link that works, and answers a repeat with the same application and no second email', async () => {
    const round = await openRound(await tokenFor('coordinator'));
    const to = recipient('apply');

    const first = await call<ApplyAnswer>('POST', `/rounds/${round.roundId}/applications`, { json: application('091', to) });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      applicationId: expect.any(String),
      status: 'received',
      statusUrl: expect.stringContaining(api),
    });

    const email = await confirmationFor(to);
    expect(email.subject).toContain(round.name);
    const link = statusLinkIn(email.body.text);
    expect(link).toBe(first.body.statusUrl);

    // The link leads to the status page; the page reads the same path of the API.
    expect(link).toContain('/app/applications/');
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const apiLink = link.replace('/app/applications/', '/applications/');
    const status = await call<{ applicationId: string; status: string; roundName: string }>('GET', apiLink);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ applicationId: first.body.applicationId, status: 'received', roundName: round.name });
    // The link without its token is not enough.
    expect((await call('GET', apiLink.replace(/\?.*$/, ''))).status).toBe(400);

    const again = await call<ApplyAnswer>('POST', `/rounds/${round.roundId}/applications`, { json: application('091', to) });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ applicationId: first.body.applicationId, status: 'received' });
    await stack.settled();
    expect(await readInbox({ to })).toHaveLength(1);
    expect(await applicationsIn(round.roundId)).toBe(1);
  });

  it('lets exactly one of 10 racing applications of a municipality through: one 201, one application, one email', async () => {
    const round = await openRound(await tokenFor('coordinator'));
    const to = recipient('race');

    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        call<ApplyAnswer>('POST', `/rounds/${round.roundId}/applications`, { json: application('049', to) }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.applicationId)).size).toBe(1);
    expect(await applicationsIn(round.roundId)).toBe(1);

    await confirmationFor(to);
    await stack.settled();
    expect(await readInbox({ to })).toHaveLength(1);
  });

  it('refuses malformed bodies over real HTTP with 4xx, an error code and field issues, and stores and sends nothing', async () => {
    const round = await openRound(await tokenFor('coordinator'));
    const path = `/rounds/${round.roundId}/applications`;
    const recipients: string[] = [];
    const to = (what: string) => {
      const address = recipient(what);
      recipients.push(address);
      return address;
    };

    const cases: { name: string; send: () => Promise<Answer<ErrorAnswer>>; status: number; code: string; paths?: string[] }[] = [
      {
        name: 'wrong types',
        send: () =>
          call('POST', path, {
            json: {
              municipality: { code: 91, name: 'Espoo' },
              contact: { name: 'Eero', email: to('types').replace('@', ' at ') },
              language: 'de',
              themes: 'remote support',
              consent: 'yes',
            },
          }),
        status: 400,
        code: 'invalid_request',
        paths: ['consent', 'contact.email', 'language', 'municipality.code', 'themes'],
      },
      {
        name: 'missing fields',
        send: () => call('POST', path, { json: { municipality: { code: '092' }, contact: { email: to('missing') } } }),
        status: 400,
        code: 'invalid_request',
        paths: ['consent', 'contact.name', 'language', 'municipality.name', 'themes'],
      },
      {
        name: 'an unknown field',
        send: () => call('POST', path, { json: application('106', to('unknown'), { priority: 1 }) }),
        status: 400,
        code: 'invalid_request',
        paths: [''],
      },
      {
        name: 'not JSON with a JSON content type',
        send: () => call('POST', path, { body: 'not json', headers: { 'content-type': 'application/json' } }),
        status: 400,
        code: 'invalid_json',
        paths: [''],
      },
      {
        name: 'a text/plain content type',
        send: () =>
          call('POST', path, {
            body: JSON.stringify(application('109', to('plain'))),
            headers: { 'content-type': 'text/plain' },
          }),
        status: 415,
        code: 'unsupported_media_type',
      },
      {
        name: 'a 2 MB body',
        send: () =>
          call('POST', path, {
            json: application('140', to('large'), { situation: 'x'.repeat(2 * 1024 * 1024) }),
          }),
        status: 413,
        code: 'payload_too_large',
      },
      {
        name: 'an empty body',
        send: () => call('POST', path, { body: '', headers: { 'content-type': 'application/json' } }),
        status: 400,
        code: 'invalid_json',
        paths: [''],
      },
    ];

    for (const { name, send, status, code, paths } of cases) {
      const answer = await send();
      expect(answer.status, name).toBe(status);
      expect(answer.body.error, name).toMatchObject({ code, message: expect.any(String) });
      if (paths) {
        expect([...new Set(answer.body.error.issues?.map((issue) => issue.path))].sort(), name).toEqual(paths);
      }
    }

    expect(await applicationsIn(round.roundId)).toBe(0);
    await stack.settled();
    for (const address of recipients) expect(await readInbox({ to: address }), address).toEqual([]);
  });

  it.runIf('POST /applications/{applicationId}/withdraw' in httpRoutes)(
    'takes a coordinator bearer token on the public withdraw route, verified by the handler against the JWKS',
    async () => {
      const coordinator = await tokenFor('coordinator');
      const round = await openRound(coordinator);
      const to = recipient('withdraw');
      const applied = await call<ApplyAnswer>('POST', `/rounds/${round.roundId}/applications`, { json: application('837', to) });
      expect(applied.status).toBe(201);
      const withdrawPath = `/applications/${applied.body.applicationId}/withdraw`;

      // Neither the link's token nor a bearer token.
      const nobody = await call<ErrorAnswer>('POST', withdrawPath);
      expect(nobody.status).toBe(403);
      // A bearer token the handler cannot verify: not from the local issuer's key set.
      const garbage = await call<ErrorAnswer>('POST', withdrawPath, { token: 'eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl' });
      expect(garbage.status).toBe(401);
      expect(garbage.body.error.code).toBe('unauthorized');
      // A valid token, but the route takes a bearer only from coordinators.
      const tutor = await call<ErrorAnswer>('POST', withdrawPath, { token: await tokenFor('tutor') });
      expect(tutor.status).toBe(403);
      expect(tutor.body.error.code).toBe('forbidden');

      const withdrawn = await call<{ applicationId: string; status: string }>('POST', withdrawPath, { token: coordinator });
      expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
      expect(withdrawn.body).toMatchObject({ applicationId: applied.body.applicationId, status: 'withdrawn' });

      const status = await call<{ status: string }>(
        'GET',
        applied.body.statusUrl.replace('/app/applications/', '/applications/'),
      );
      expect(status.body.status).toBe('withdrawn');
      await stack.settled();
    },
  );

  // Last: it moves the stack's clock a month on.
  it('refuses applications with 409 round_not_open once the clock is past the closing time', async () => {
    const round = await openRound(await tokenFor('coordinator'));
    const clock = await call<{ now: string; deadLettered: string[] }>('POST', '/dev/clock', { json: { advanceBy: 'P30D' } });
    expect(clock.status, JSON.stringify(clock.body)).toBe(200);
    expect(clock.body.deadLettered).toEqual([]);

    const to = recipient('late');
    const late = await call<ErrorAnswer>('POST', `/rounds/${round.roundId}/applications`, { json: application('853', to) });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('round_not_open');
    expect(await applicationsIn(round.roundId)).toBe(0);
    await stack.settled();
    expect(await readInbox({ to })).toEqual([]);
  });
});
