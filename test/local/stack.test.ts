// The whole local stack on free ports: it comes up, routes to handlers with the handler environment
// set, stops every process it started (idempotently), and cleans up after a failed start.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { PortInUseError } from '../../local/errors.js';
import { localDynamoClient } from '../../local/dynamodb.js';
import { moduleLoader } from '../../local/handlers.js';
import { startLocalStack } from '../../local/stack.js';

const fixturesRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixtureOverrides = {
  httpRoutes: { 'GET /echo': { handler: 'fixture/echo', role: 'coordinator' } },
  eventRules: {},
  scheduleRules: { Tick: { handler: 'fixture/tick', expression: 'rate(1 minute)' } },
  loadHandler: moduleLoader(fixturesRoot),
} as const;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startLocalStack', () => {
  it('runs everything on free ports and stops every process it started', async () => {
    const before = { ...process.env };
    const stack = await startLocalStack({
      port: 0,
      dynamoPort: 0,
      sesPort: 0,
      eventsPort: 0,
      dataDir: null,
      tableName: 'stack-test',
      quiet: true,
      ...fixtureOverrides,
    });
    let stopped = false;
    try {
      expect(process.env).toMatchObject({
        TABLE_NAME: 'stack-test',
        EVENT_BUS_NAME: 'sparraus',
        EMAIL_FROM: 'no-reply@sparraus.local',
        PUBLIC_URL: stack.apiUrl,
        JWT_ISSUER: `${stack.apiUrl}/dev/issuer`,
        JWT_AUDIENCE: 'sparraus-local',
        AWS_REGION: 'eu-north-1',
        // Handlers reach every service through its fault proxy (POST /dev/faults).
        AWS_ENDPOINT_URL_DYNAMODB: stack.faultProxies.dynamodb,
        AWS_ENDPOINT_URL_SESV2: stack.faultProxies.sesv2,
        AWS_ENDPOINT_URL_EVENTBRIDGE: stack.faultProxies.events,
      });
      // ... which passes each call on to the real one.
      const proxied = localDynamoClient(stack.faultProxies.dynamodb);
      expect((await proxied.send(new DescribeTableCommand({ TableName: 'stack-test' }))).Table?.TableName).toBe('stack-test');
      proxied.destroy();

      const client = localDynamoClient(stack.dynamoEndpoint);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'stack-test' }));
      client.destroy();
      expect(Table?.TableStatus).toBe('ACTIVE');

      const { token } = (await (
        await fetch(`${stack.apiUrl}/dev/token`, {
          method: 'POST',
          body: JSON.stringify({ role: 'coordinator', email: 'c@example.fi' }),
        })
      ).json()) as { token: string };
      const echo = await fetch(`${stack.apiUrl}/echo`, { headers: { authorization: `Bearer ${token}` } });
      expect(echo.status).toBe(200);

      // The schedule fixture publishes through AWS_ENDPOINT_URL_EVENTBRIDGE to the stack's bus.
      const clock = await fetch(`${stack.apiUrl}/dev/clock`, { method: 'POST', body: JSON.stringify({ advanceBy: 'PT1H' }) });
      expect(clock.status).toBe(200);
      expect(stack.bus.publishedEvents().map((e) => e['detail-type'])).toEqual(['ClockTicked']);

      const index = (await (await fetch(`${stack.apiUrl}/`)).json()) as { links: Record<string, string> };
      expect(index.links).toMatchObject({ inbox: stack.inboxUrl, dynamodb: stack.dynamoEndpoint, events: stack.eventsUrl });
      expect((await fetch(`${stack.sesUrl}/store`)).status).toBe(200);

      const javaPid = await pidListeningOn(stack.dynamoEndpoint);
      await Promise.all([stack.stop(), stack.stop()]);
      stopped = true;
      expect(isAlive(javaPid)).toBe(false);
      await expect(fetch(stack.apiUrl)).rejects.toThrow();
      // The environment is as it was.
      for (const name of [
        'TABLE_NAME',
        'AWS_ENDPOINT_URL_DYNAMODB',
        'AWS_ENDPOINT_URL_EVENTBRIDGE',
        'PUBLIC_URL',
        'JWT_ISSUER',
        'JWT_AUDIENCE',
      ]) {
        expect(process.env[name]).toBe(before[name]);
      }
    } finally {
      if (!stopped) await stack.stop();
    }
  });

  it("can reuse the test run's DynamoDB and SES instead of starting its own", async () => {
    const dynamoEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    const sesEndpoint = process.env.AWS_ENDPOINT_URL_SESV2;
    const stack = await startLocalStack({
      port: 0,
      eventsPort: 0,
      dataDir: null,
      dynamoEndpoint,
      sesEndpoint,
      tableName: `stack-reuse-${Date.now()}`,
      quiet: true,
      ...fixtureOverrides,
    });
    try {
      expect(await javaChildren()).toEqual([]);
      expect(stack).toMatchObject({ dynamoEndpoint, sesUrl: sesEndpoint, inboxUrl: `${sesEndpoint}/` });
      expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(stack.faultProxies.dynamodb);
      expect((await fetch(`${stack.apiUrl}/dev/clock`)).status).toBe(200);
    } finally {
      await stack.stop();
    }
    // Still answering: a reused service is not ours to stop.
    expect((await fetch(`${sesEndpoint}/store`)).status).toBe(200);
  });

  it('keeps its signing key in <dataDir>/jwt-key.json, so tokens survive a restart on the same port', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sparraus-stack-'));
    const common = {
      eventsPort: 0,
      dataDir,
      dynamoEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
      sesEndpoint: process.env.AWS_ENDPOINT_URL_SESV2,
      tableName: `stack-key-${Date.now()}`,
      quiet: true,
      ...fixtureOverrides,
    };
    try {
      const first = await startLocalStack({ port: 0, ...common });
      let token: string;
      const port = new URL(first.apiUrl).port;
      try {
        expect(statSync(path.join(dataDir, 'jwt-key.json')).mode & 0o777).toBe(0o600);
        ({ token } = (await (
          await fetch(`${first.apiUrl}/dev/token`, {
            method: 'POST',
            body: JSON.stringify({ role: 'coordinator', email: 'c@example.fi' }),
          })
        ).json()) as { token: string });
      } finally {
        await first.stop();
      }
      const second = await startLocalStack({ port: Number(port), ...common });
      try {
        expect(second.issuer).toBe(first.issuer);
        expect((await fetch(`${second.apiUrl}/echo`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('fails with PortInUseError on a busy port and leaves nothing running', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busyPort = (blocker.address() as { port: number }).port;
    try {
      const started = Date.now();
      await expect(
        startLocalStack({
          port: busyPort,
          dynamoPort: 0,
          sesPort: 0,
          eventsPort: 0,
          dataDir: null,
          quiet: true,
          ...fixtureOverrides,
        }),
      ).rejects.toBeInstanceOf(PortInUseError);
      // DynamoDB Local was started before the HTTP API failed; it must be gone again.
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(await javaChildren()).toEqual([]);
    } finally {
      blocker.close();
    }
  });
});

/** The pid of our Java child serving `endpoint` (via the child list of this process). */
async function pidListeningOn(endpoint: string): Promise<number> {
  const port = new URL(endpoint).port;
  const children = await javaChildren();
  const match = children.find((line) => line.includes(`-port ${port}`));
  if (!match) throw new Error(`No java child with -port ${port}: ${children.join('\n')}`);
  return Number(match.trim().split(/\s+/)[0]);
}

async function javaChildren(): Promise<string[]> {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)]).toString();
  return out.split('\n').filter((line) => line.includes('DynamoDBLocal.jar'));
}
