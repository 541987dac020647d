// Figure 6: from `npm start` (in memory, free ports) until every HTTP route answers from its handler,
// next to DynamoDB Local's own start in the same run; what the stack adds is the difference.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { httpRoutes } from '../infra/wiring.js';
import { startDynamoDbLocal } from '../local/dynamodb.js';
import { projectRoot } from './bundle.js';

export interface StartupResult {
  /** Until GET / answers: the emulators, the bus and the HTTP API are up. */
  listeningMs: number;
  /** Until every route has answered once from its handler (each handler module loaded). */
  readyMs: number;
  routes: number;
  dynamoDbLocalMs: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function answers(url: string, init?: RequestInit): Promise<number | undefined> {
  try {
    const response = await fetch(url, init);
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

export async function measureStartup(log: (m: string) => void, timeoutMs = 180_000): Promise<StartupResult> {
  const [port, dynamoPort, sesPort, eventsPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const api = `http://localhost:${port}`;
  const started = performance.now();
  // Its own process group, so that stopping it reaches npm, tsx, node and the JVM it started.
  const child = spawn('npm', ['start', '--', '--in-memory'], {
    cwd: projectRoot,
    detached: true,
    stdio: 'ignore',
    env: {
      ...process.env,
      PORT: String(port),
      DYNAMODB_PORT: String(dynamoPort),
      SES_PORT: String(sesPort),
      EVENTS_PORT: String(eventsPort),
      POWERTOOLS_LOG_LEVEL: 'WARN',
    },
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  // The group may already be gone; a kill of no process is not an error here.
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      /* already stopped */
    }
  };
  const stop = async () => {
    if (exited() || child.pid === undefined) return;
    const done = new Promise((resolve) => child.once('exit', resolve));
    signal('SIGINT');
    await Promise.race([done, sleep(10_000)]);
    // Whatever of the group is left (npm's children outlive npm when it exits first).
    signal('SIGKILL');
  };
  try {
    const deadline = started + timeoutMs;
    while ((await answers(`${api}/`)) === undefined) {
      if (performance.now() > deadline || exited()) throw new Error('npm start did not answer on GET /');
      await sleep(50);
    }
    const listeningMs = performance.now() - started;
    const token = async (role: string) => {
      const response = await fetch(`${api}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role, email: `${role}@bench.example.fi` }),
      });
      return ((await response.json()) as { token: string }).token;
    };
    const tokens = { coordinator: await token('coordinator'), tutor: await token('tutor'), admin: await token('admin') };
    // Each route once, with a token of its role and an empty body: any answer below 500 comes from
    // the handler (loaded on first use), whatever it says about the made-up ids.
    const pending = new Set(Object.keys(httpRoutes) as (keyof typeof httpRoutes)[]);
    while (pending.size > 0) {
      if (performance.now() > deadline) throw new Error(`Routes not answering: ${[...pending].join(', ')}`);
      await Promise.all(
        [...pending].map(async (routeKey) => {
          const route = httpRoutes[routeKey];
          const [method, path] = routeKey.split(' ') as [string, string];
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (route.role !== 'public') headers.authorization = `Bearer ${tokens[route.role]}`;
          const status = await answers(`${api}${path.replace(/\{\w+\}/g, 'bench')}`, {
            method,
            headers,
            ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
          });
          if (status !== undefined && status < 500) pending.delete(routeKey);
        }),
      );
    }
    const readyMs = performance.now() - started;
    log(
      `start-up: listening after ${(listeningMs / 1000).toFixed(1)} s, every route answering after ${(readyMs / 1000).toFixed(1)} s`,
    );
    await stop();

    const t0 = performance.now();
    const dynamo = await startDynamoDbLocal({ port: 0 });
    const dynamoDbLocalMs = performance.now() - t0;
    await dynamo.stop();
    return { listeningMs, readyMs, routes: Object.keys(httpRoutes).length, dynamoDbLocalMs };
  } finally {
    await stop();
  }
}
