// Faults on demand (POST /dev/faults, modelled on LocalStack's chaos API): rules per service and
// operation that make AWS calls fail. Every AWS endpoint the handlers and the local runtime call
// (DynamoDB with its streams, SES, the bus) sits behind a small proxy that asks these rules first,
// so an outage is rehearsed on the real request path, with nothing in the handlers knowing of it.
import http from 'node:http';
import * as z from 'zod';
import { LocalRuntimeError } from './errors.js';
import { closeServer, listen } from './ports.js';

export const faultServices = ['dynamodb', 'sesv2', 'events'] as const;
export type FaultService = (typeof faultServices)[number];

export const FaultRule = z
  .object({
    service: z.enum(faultServices),
    /** The API operation, e.g. PutEvents, TransactWriteItems, GetRecords, SendEmail; every one when left out. */
    operation: z
      .string()
      .regex(/^[A-Z][A-Za-z0-9]+$/, 'an operation name such as PutEvents or TransactWriteItems')
      .optional(),
    /** Share of matching calls that fail. */
    probability: z.number().min(0).max(1).default(1),
    error: z
      .object({
        statusCode: z.number().int().min(400).max(599),
        code: z.string().regex(/^[A-Za-z][A-Za-z0-9.]*$/, 'an error code such as ServiceUnavailable'),
      })
      .strict()
      .default({ statusCode: 503, code: 'ServiceUnavailable' }),
  })
  .strict();
export type FaultRule = z.infer<typeof FaultRule>;
export const FaultRules = z.array(FaultRule).max(100);

export interface Faults {
  /** The active rules, as normalised when set. */
  list(): FaultRule[];
  /** Replaces the active rules. */
  set(rules: readonly FaultRule[]): void;
  clear(): void;
  /** The rule that makes this call fail now, if any (each matching rule draws its own chance). */
  decide(service: FaultService, operation: string): FaultRule | undefined;
  /** Calls failed on purpose so far, by `service:operation`. */
  injected(): Record<string, number>;
}

export function faultRules(random: () => number = Math.random): Faults {
  let rules: FaultRule[] = [];
  const counts: Record<string, number> = {};
  return {
    list: () => rules.map((rule) => ({ ...rule })),
    set(next) {
      rules = next.map((rule) => ({ ...rule }));
    },
    clear() {
      rules = [];
    },
    decide(service, operation) {
      const rule = rules.find(
        (r) => r.service === service && (r.operation === undefined || r.operation === operation) && random() < r.probability,
      );
      if (rule) {
        const key = `${service}:${operation}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return rule;
    },
    injected: () => ({ ...counts }),
  };
}

export interface FaultProxy {
  url: string;
  stop(): Promise<void>;
}

/**
 * A proxy in front of one service's endpoint. Calls that a rule fails are answered with the rule's
 * error in the service's own error format (what the SDK would get from AWS); all others pass through.
 */
export async function startFaultProxy(options: {
  service: FaultService;
  /** The real endpoint, or a function giving it (for one that starts after the proxy). */
  target: string | (() => string);
  faults: Faults;
}): Promise<FaultProxy> {
  const targetOf = typeof options.target === 'string' ? () => options.target as string : options.target;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((request, response) => {
    const operation = operationOf(options.service, request);
    const rule = operation ? options.faults.decide(options.service, operation) : undefined;
    if (rule) {
      // Read the body first, as a server would, so the client sees an answer, not a reset.
      request.resume();
      request.on('end', () => answerWithFault(response, options.service, rule, operation!));
      return;
    }
    const target = new URL(targetOf());
    const forward = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
        agent,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on('error', (error) => {
      // The service itself is down: the client sees a broken connection, as it would without us.
      response.destroy(error);
    });
    request.pipe(forward);
  });
  const port = await listen(server, 0, '127.0.0.1', `the ${options.service} fault proxy`);
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await closeServer(server);
      agent.destroy();
    },
  };
}

/** The operation a request calls: from X-Amz-Target for the JSON protocols, from method and path for SES v2. */
export function operationOf(service: FaultService, request: { method?: string; url?: string; headers: http.IncomingHttpHeaders }): string | undefined {
  if (service === 'sesv2') {
    const path = (request.url ?? '').split('?')[0]!;
    if (!path.startsWith('/v2/email/')) return undefined; // the emulator's own pages and store
    if (request.method === 'POST' && path === '/v2/email/outbound-emails') return 'SendEmail';
    if (request.method === 'POST' && path === '/v2/email/outbound-bulk-emails') return 'SendBulkEmail';
    if (request.method === 'GET' && path === '/v2/email/account') return 'GetAccount';
    return 'Other';
  }
  const header = request.headers['x-amz-target'];
  const value = Array.isArray(header) ? header[0] : header;
  // DynamoDB_20120810.TransactWriteItems, DynamoDBStreams_20120810.GetRecords, AWSEvents.PutEvents
  return value?.split('.').at(-1);
}

function answerWithFault(response: http.ServerResponse, service: FaultService, rule: FaultRule, operation: string) {
  const message = `Fault injected by POST /dev/faults (${service} ${operation})`;
  const { statusCode, code } = rule.error;
  if (service === 'sesv2') {
    response.writeHead(statusCode, { 'content-type': 'application/json', 'x-amzn-errortype': code });
    response.end(JSON.stringify({ message }));
    return;
  }
  const namespace = service === 'dynamodb' ? 'com.amazonaws.dynamodb.v20120810' : 'com.amazonaws.eventbridge';
  response.writeHead(statusCode, {
    'content-type': service === 'dynamodb' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1',
    'x-amzn-errortype': code,
  });
  response.end(JSON.stringify({ __type: `${namespace}#${code}`, message }));
}

/** Proxies for every service, started together and stopped together. */
export async function startFaultProxies(
  targets: Record<FaultService, string | (() => string)>,
  faults: Faults,
): Promise<{ endpoints: Record<FaultService, string>; stop(): Promise<void> }> {
  const started: FaultProxy[] = [];
  try {
    const endpoints = {} as Record<FaultService, string>;
    for (const service of faultServices) {
      const proxy = await startFaultProxy({ service, target: targets[service], faults });
      started.push(proxy);
      endpoints[service] = proxy.url;
    }
    return { endpoints, stop: async () => void (await Promise.all(started.map((p) => p.stop()))) };
  } catch (error) {
    await Promise.all(started.map((p) => p.stop()));
    throw new LocalRuntimeError('Could not start the fault proxies', { cause: error });
  }
}
