// Loading and invoking handlers in-process, the way Lambda would: the module named by the wiring
// table, its `handler` export, an event and a Context, with a timeout.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { handlerEntry, type HandlerId } from '../infra/wiring.js';
import { localAccountId, localRegion } from './aws-env.js';
import { HandlerNotFoundError, HandlerTimeoutError } from './errors.js';

/**
 * Any Lambda handler. `never` as the event type lets every typed handler fit; invoke() is the one
 * place that passes it an event.
 */
export type LambdaHandler = (event: never, context: Context) => unknown;

export type LoadHandler = (id: HandlerId) => Promise<LambdaHandler>;

/** The project root (the folder holding package.json), which handler paths are relative to. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A loader that imports `<root>/functions/<capability>/handlers/<name>.ts` on first use. Lazy on
 * purpose: the handler environment must be set before any handler module (and its SDK clients) is
 * evaluated. Tests point `root` at a fixture tree.
 */
export function moduleLoader(root: string = projectRoot): LoadHandler {
  return async (id) => {
    const file = path.join(root, handlerEntry(id));
    if (!existsSync(file)) {
      throw new HandlerNotFoundError(`Handler ${id} has no module: expected ${handlerEntry(id)} exporting \`handler\``);
    }
    const module = (await import(pathToFileURL(file).href)) as { handler?: unknown };
    if (typeof module.handler !== 'function') {
      throw new HandlerNotFoundError(`${handlerEntry(id)} does not export a \`handler\` function`);
    }
    return module.handler as LambdaHandler;
  };
}

/** Loads the project's own handlers, as the wiring table names them. */
export const defaultLoadHandler: LoadHandler = moduleLoader();

/** The Lambda function name the CDK stack would give this handler. */
export function functionName(id: HandlerId): string {
  return `sparraus-${id.replace('/', '-')}`;
}

/** A Context like Lambda's, so middleware that reads it (middy's timeout, Powertools) works. */
export function lambdaContext(id: HandlerId, timeoutMs: number): Context {
  const name = functionName(id);
  const deadline = Date.now() + timeoutMs;
  const unsupported = () => {
    throw new Error('Callback-style completion (done/fail/succeed) is not supported; return or throw instead');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${localRegion}:${localAccountId}:function:${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: `local/${name}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/**
 * Runs a handler and resolves with what it returns. A handler still running after `timeoutMs`
 * fails the invocation like a Lambda timeout (its promise cannot be cancelled and runs on unobserved).
 */
export async function invoke(id: HandlerId, handler: LambdaHandler, event: unknown, timeoutMs: number): Promise<unknown> {
  const context = lambdaContext(id, timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandlerTimeoutError(`${id} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const run = (async () => (handler as (event: unknown, context: Context) => unknown)(event, context))();
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
