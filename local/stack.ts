// The whole local system in one call: DynamoDB Local and its table, the SES emulator, the event
// bus, the scheduler and the HTTP API, with the handler environment set before any handler loads.
import path from 'node:path';
import type { EventRule, HttpRoute, ScheduleRule } from '../infra/wiring.js';
import { applyEnvironment, handlerEnvironment } from './aws-env.js';
import { loadOrCreateSigningKey, type LocalAuth, type SigningKey } from './auth.js';
import { attachConsoleLog } from './console-log.js';
import { ensureTable, localDynamoClient, startDynamoDbLocal } from './dynamodb.js';
import type { EventBusOptions, LocalEventBus } from './event-bus.js';
import { startEventFlow } from './event-flow.js';
import { faultRules, startFaultProxies, type Faults, type FaultService } from './faults.js';
import { defaultLoadHandler, projectRoot, type LoadHandler } from './handlers.js';
import { startHttpApi, type LocalHttpApi } from './http-api.js';
import { ensureJava } from './java.js';
import { importRegisterIfEmpty } from './register.js';
import { startScheduler, type Scheduler } from './scheduler.js';
import { startSesLocal } from './ses.js';
import type { StreamRelay } from './stream-relay.js';

export interface LocalStackOptions {
  /** HTTP API port. Default 3000; 0 everywhere picks free ports. */
  port?: number;
  dynamoPort?: number;
  sesPort?: number;
  eventsPort?: number;
  /**
   * Where data is kept: DynamoDB under `<dataDir>/dynamodb`, dead letters in
   * `<dataDir>/dead-letters.json`, the token signing key in `<dataDir>/jwt-key.json`.
   * Default `<project>/.local`; null keeps everything in memory.
   */
  dataDir?: string | null;
  tableName?: string;
  /**
   * Use this DynamoDB instead of starting DynamoDB Local (no Java needed), e.g. the test run's own
   * from AWS_ENDPOINT_URL_DYNAMODB with a unique tableName. The table is still created if missing.
   */
  dynamoEndpoint?: string;
  /** Use this SES emulator instead of starting one (its store is then shared: filter by recipient). */
  sesEndpoint?: string;
  /** Base URL for links in emails. Default: the API's URL. */
  publicUrl?: string;
  /** No timer-driven schedules (they still run on POST /dev/clock). Default false. */
  manualSchedules?: boolean;
  /** Bus retry settings (tests shorten the delays). */
  retry?: EventBusOptions['retry'];
  /** Overrides for tests: routes, rules, schedules and how handlers are loaded. */
  httpRoutes?: Readonly<Record<string, HttpRoute>>;
  eventRules?: Readonly<Record<string, EventRule>>;
  scheduleRules?: Readonly<Record<string, ScheduleRule>>;
  loadHandler?: LoadHandler;
  /** Default: the HTTP API's own, with issuer `<apiUrl>/dev/issuer` (see startHttpApi). */
  auth?: LocalAuth;
  /** Key for the default auth. Default: the one in `<dataDir>/jwt-key.json`, or a new one in memory. */
  signingKey?: SigningKey;
  /** Print nothing. Default false: one console line per request, event delivery and failure. */
  quiet?: boolean;
  /** The register imported into a table that has none (default data/municipalities.json); null: none. */
  register?: string | null;
}

export interface LocalStack {
  apiUrl: string;
  /** Issuer of the API's tokens (JWT_ISSUER); the public keys are at `<issuer>/.well-known/jwks.json`. */
  issuer: string;
  dynamoEndpoint: string;
  /** The SES endpoint (AWS_ENDPOINT_URL_SESV2) and its inbox page. */
  sesUrl: string;
  inboxUrl: string;
  eventsUrl: string;
  tableName: string;
  /** Null when running in memory. */
  dataDir: string | null;
  bus: LocalEventBus;
  /** The rules of POST /dev/faults, applied by proxies in front of DynamoDB, SES and the bus. */
  faults: Faults;
  /** What handlers and the relay call: the fault proxies in front of dynamoEndpoint, sesUrl and eventsUrl. */
  faultProxies: Record<FaultService, string>;
  /** The outbox relay: the table's stream to the bus. */
  relay: StreamRelay;
  /** Resolves once every event written so far is relayed and handled (what POST /dev/clock waits for). */
  settled(): Promise<void>;
  api: LocalHttpApi;
  scheduler: Scheduler;
  /** Stops everything and restores the environment variables it set. Idempotent. */
  stop(): Promise<void>;
}

export const defaultDataDir = path.join(projectRoot, '.local');

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = options.dataDir === null ? null : path.resolve(options.dataDir ?? defaultDataDir);
  const tableName = options.tableName ?? 'sparraus';
  const loadHandler = options.loadHandler ?? defaultLoadHandler;
  // Everything started so far, stopped in reverse order if a later step fails or on stop().
  const stoppers: (() => Promise<void>)[] = [];
  let restoreEnvironment: (() => void) | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const stopOne of stoppers.reverse()) {
        await stopOne().catch(() => undefined);
      }
      restoreEnvironment?.();
    })();
    return stopping;
  };

  try {
    // First, so a broken key file fails the start before anything is running.
    const signingKey =
      options.signingKey ?? (options.auth || !dataDir ? undefined : loadOrCreateSigningKey(path.join(dataDir, 'jwt-key.json')));

    let dynamoEndpoint = options.dynamoEndpoint;
    if (!dynamoEndpoint) {
      await ensureJava();
      const dynamo = await startDynamoDbLocal({
        port: options.dynamoPort ?? 8000,
        ...(dataDir ? { dataDir: path.join(dataDir, 'dynamodb') } : {}),
      });
      stoppers.push(dynamo.stop);
      dynamoEndpoint = dynamo.endpoint;
    }
    const client = localDynamoClient(dynamoEndpoint);
    try {
      await ensureTable(client, tableName);
    } finally {
      client.destroy();
    }

    let sesEndpoint = options.sesEndpoint?.replace(/\/+$/, '');
    if (!sesEndpoint) {
      const ses = await startSesLocal({ port: options.sesPort ?? 8005 });
      stoppers.push(ses.stop);
      sesEndpoint = ses.endpoint;
    }
    const inboxUrl = `${sesEndpoint}/`;

    // Every AWS call of the handlers and of the relay goes through a fault proxy (local/faults.ts).
    const faults = faultRules();
    let busUrl = '';
    const proxies = await startFaultProxies({ dynamodb: dynamoEndpoint, sesv2: sesEndpoint, events: () => busUrl }, faults);
    stoppers.push(proxies.stop);

    const events = await startEventFlow({
      dynamoEndpoint,
      tableName,
      relay: { dynamoEndpoint: proxies.endpoints.dynamodb, eventsEndpoint: proxies.endpoints.events },
      port: options.eventsPort ?? 8010,
      busName: 'sparraus',
      loadHandler,
      ...(options.eventRules ? { rules: options.eventRules } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(dataDir ? { dataDir } : {}),
    });
    stoppers.push(events.stop);
    const { bus, relay } = events;
    busUrl = bus.url;

    const scheduler = startScheduler({
      loadHandler,
      timers: false,
      ...(options.scheduleRules ? { rules: options.scheduleRules } : {}),
    });
    stoppers.push(scheduler.stop);

    const api = await startHttpApi({
      port: options.port ?? 3000,
      loadHandler,
      bus,
      relay,
      faults,
      scheduler,
      ...(options.httpRoutes ? { routes: options.httpRoutes } : {}),
      ...(options.auth ? { auth: options.auth } : {}),
      ...(signingKey ? { signingKey } : {}),
      links: { inbox: inboxUrl, sesStore: `${sesEndpoint}/store`, dynamodb: dynamoEndpoint, events: bus.url },
    });
    stoppers.push(api.stop);

    // Before any handler module is imported: handlers load lazily, on their first invocation.
    restoreEnvironment = applyEnvironment(
      handlerEnvironment({
        tableName,
        eventBusName: bus.busName,
        emailFrom: 'no-reply@sparraus.local',
        publicUrl: options.publicUrl ?? api.url,
        jwtIssuer: api.auth.issuer,
        jwtAudience: api.auth.audience,
        dynamoEndpoint: proxies.endpoints.dynamodb,
        sesEndpoint: proxies.endpoints.sesv2,
        eventsEndpoint: proxies.endpoints.events,
      }),
    );

    if (options.register !== null) await importRegisterIfEmpty(dynamoEndpoint, tableName, options.register);

    if (!options.quiet) {
      attachConsoleLog({ api, bus, relay, scheduler });
    }

    // Timers start last, once the environment is in place.
    if (!options.manualSchedules) scheduler.startTimers();

    return {
      apiUrl: api.url,
      issuer: api.auth.issuer,
      dynamoEndpoint,
      sesUrl: sesEndpoint,
      inboxUrl,
      eventsUrl: bus.url,
      tableName,
      dataDir,
      bus,
      faults,
      faultProxies: proxies.endpoints,
      relay,
      settled: events.settled,
      api,
      scheduler,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
