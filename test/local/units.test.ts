// Small pure pieces of the local runtime: durations, rates, Java versions, route matching, event
// patterns, API Gateway's claim formatting and the console's handler log lines.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { apiGatewayClaims } from '../../local/auth.js';
import { briefError, formatHandlerLog, readableHandlerLogs } from '../../local/console-log.js';
import { parseDuration } from '../../local/duration.js';
import { assertSupportedPattern, matchesPattern } from '../../local/event-pattern.js';
import { parseJavaMajor } from '../../local/java.js';
import { compileRoutes, findRoute } from '../../local/routes.js';
import { parseRate } from '../../local/scheduler.js';

describe('parseDuration', () => {
  it.each([
    ['PT48H', 48 * 3_600_000],
    ['P14D', 14 * 86_400_000],
    ['P1W', 7 * 86_400_000],
    ['PT90M', 90 * 60_000],
    ['P1DT2H30M', 86_400_000 + 2.5 * 3_600_000],
    ['PT0.5S', 500],
    ['pt1h', 3_600_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['P1M', 'P1Y', 'P', 'PT', '-PT1H', '48h', 'P1DT'])('refuses %s', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('parseRate', () => {
  it('reads rate expressions', () => {
    expect(parseRate('rate(1 minute)')).toBe(60_000);
    expect(parseRate('rate(5 minutes)')).toBe(300_000);
    expect(parseRate('rate(2 hours)')).toBe(7_200_000);
    expect(() => parseRate('cron(0 * * * ? *)')).toThrow(/Unsupported/);
  });
});

describe('parseJavaMajor', () => {
  it('reads old and new version strings', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('java version "1.8.0_292"')).toBe(8);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('nothing here')).toBeUndefined();
  });
});

describe('routes', () => {
  const routes = compileRoutes({
    'GET /rounds': 'list',
    'GET /rounds/{roundId}': 'get',
    'GET /rounds/open': 'open',
    'POST /rounds/{roundId}/applications': 'apply',
    'ANY /anything/{rest+}': 'proxy',
  });
  const find = (method: string, path: string) => {
    const found = findRoute(routes, method, path);
    return found.kind === 'found' ? [found.route.value, found.pathParameters] : found;
  };

  it('prefers literal segments, then parameters, then greedy', () => {
    expect(find('GET', '/rounds/open')).toEqual(['open', {}]);
    expect(find('GET', '/rounds/r-1')).toEqual(['get', { roundId: 'r-1' }]);
    expect(find('POST', '/rounds/r%2F1/applications')).toEqual(['apply', { roundId: 'r/1' }]);
    expect(find('DELETE', '/anything/a/b')).toEqual(['proxy', { rest: 'a/b' }]);
  });

  it('tells 404 from 405', () => {
    expect(find('GET', '/rounds/r-1/applications')).toEqual({ kind: 'method-not-allowed', allow: ['POST'] });
    expect(find('GET', '/nope')).toEqual({ kind: 'not-found' });
    expect(find('GET', '/rounds/')).toEqual({ kind: 'not-found' });
    expect(find('GET', '/anything')).toEqual({ kind: 'not-found' });
  });
});

describe('event patterns', () => {
  const event = {
    source: 'sparraus.intake',
    'detail-type': 'ApplicationReceived',
    detail: { language: 'fi', themes: ['a', 'b'] },
  };

  it('matches exact values, nested fields and array fields', () => {
    expect(matchesPattern({ source: ['sparraus.intake'], 'detail-type': ['ApplicationReceived', 'Other'] }, event)).toBe(true);
    expect(matchesPattern({ source: ['sparraus.intake'], 'detail-type': ['Other'] }, event)).toBe(false);
    expect(matchesPattern({ detail: { language: ['sv', 'fi'] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { themes: ['b'] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { missing: ['x'] } }, event)).toBe(false);
  });

  it('refuses content filters it does not implement', () => {
    expect(() => assertSupportedPattern({ detail: { language: [{ 'anything-but': 'fi' }] } })).toThrow(/detail\.language/);
    expect(() => assertSupportedPattern({ source: 'not-a-list' })).toThrow(/list of values/);
    expect(() => assertSupportedPattern({ source: ['a'], detail: { x: [1, null, true] } })).not.toThrow();
  });
});

describe('apiGatewayClaims', () => {
  it('formats claims as the HTTP API JWT authorizer does', () => {
    expect(
      apiGatewayClaims({ 'cognito:groups': ['coordinators', 'tutors'], exp: 1700000000, email_verified: true, email: 'a@b.fi' }),
    ).toEqual({
      'cognito:groups': '[coordinators tutors]',
      exp: '1700000000',
      email_verified: 'true',
      email: 'a@b.fi',
    });
  });
});

describe('briefError', () => {
  it('keeps log lines short, listing zod issues as path: message', () => {
    const zodError = z.object({ a: z.string(), b: z.object({ c: z.number() }) }).safeParse({ b: { c: 'x' } }).error;
    expect(briefError(zodError)).toBe(
      'ZodError: a: Invalid input: expected string, received undefined; b.c: Invalid input: expected number, received string',
    );
    expect(briefError(new Error('line one\n   line two'))).toBe('Error: line one line two');
    expect(briefError(new Error('x'.repeat(400)))).toHaveLength(300);
    expect(briefError('plain')).toBe('plain');
  });
});

describe('formatHandlerLog', () => {
  it('turns a Powertools record into one line with its own keys', () => {
    const line = formatHandlerLog(
      JSON.stringify({
        level: 'INFO',
        message: 'application confirmation',
        timestamp: '2027-01-01T10:00:00.000Z',
        service: 'sparraus',
        sampling_rate: 0,
        eventId: 'e-1',
        result: 'sent',
        note: 'two words',
        counts: { a: 1 },
      }),
    );
    expect(line).toMatch(
      /^\d\d:\d\d:\d\d log   INFO  application confirmation eventId=e-1 result=sent note="two words" counts=\{"a":1\}$/,
    );
  });

  it('shows an error as name and message with its first frames, also as POWERTOOLS_DEV prints it', () => {
    const error = {
      name: 'TypeError',
      message: 'boom',
      stack: ['TypeError: boom', '    at a (x.ts:1:1)', '    at b (y.ts:2:2)'],
    };
    const pretty = JSON.stringify({ level: 'ERROR', message: 'failed', service: 'sparraus', error }, null, 4);
    expect(formatHandlerLog(pretty)).toMatch(/ERROR failed error="TypeError: boom"\n    at a \(x\.ts:1:1\)\n    at b/);
  });

  it('leaves anything else alone', () => {
    expect(formatHandlerLog('plain text')).toBeUndefined();
    expect(formatHandlerLog('{"not":"a log record"}')).toBeUndefined();
    expect(formatHandlerLog('{broken')).toBeUndefined();

    const lines: unknown[][] = [];
    const target = {
      log: (...args: unknown[]) => lines.push(args),
      info: (...args: unknown[]) => lines.push(args),
    } as unknown as Console;
    for (const name of ['debug', 'warn', 'error'] as const) target[name] = target.log;
    const undo = readableHandlerLogs(target);
    target.info(JSON.stringify({ level: 'INFO', message: 'hello', service: 'sparraus' }));
    target.log('as is', 42);
    undo();
    expect(lines).toEqual([[expect.stringMatching(/ log   INFO  hello$/)], ['as is', 42]]);
  });
});
