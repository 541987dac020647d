// Helpers for tests that run against the emulators started by test/global-setup.ts: a table of
// their own, the SES inbox, and polling instead of sleeping.
import { randomBytes } from 'node:crypto';
import { ensureTable, localDynamoClient } from './dynamodb.js';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run tests with vitest (vitest.config.ts starts the emulators in test/global-setup.ts)`);
  }
  return value;
}

/**
 * Creates a table no other test uses (`<prefix>-<random>`, same schema and TTL as the real one) and
 * returns its name. It sets nothing globally: pass the name to the code under test.
 */
export async function createIsolatedTable(prefix = 'test'): Promise<string> {
  const safePrefix = prefix.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 200) || 'test';
  const tableName = `${safePrefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const client = localDynamoClient(requiredEnv('AWS_ENDPOINT_URL_DYNAMODB'));
  try {
    await ensureTable(client, tableName);
  } finally {
    client.destroy();
  }
  return tableName;
}

/** One email as the SES emulator's `GET /store` lists it. */
export interface InboxEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: { content: string; contentType: string; filename?: string; size: number }[];
  headers?: { name: string; value: string }[];
  /** Epoch seconds. */
  at: number;
}

/**
 * Emails in the SES emulator, oldest first, optionally only those addressed (to, cc or bcc) to `to`.
 * The emulator is shared by every test file, so filter by a recipient unique to your test rather
 * than clearing the store.
 */
export async function readInbox(options: { to?: string; storeUrl?: string } = {}): Promise<InboxEmail[]> {
  const storeUrl = options.storeUrl ?? requiredEnv('SES_STORE_URL');
  const response = await fetch(storeUrl);
  if (!response.ok) throw new Error(`GET ${storeUrl} answered ${response.status}`);
  const { emails } = (await response.json()) as { emails: InboxEmail[] };
  if (!options.to) return emails;
  const wanted = options.to.toLowerCase();
  return emails.filter(({ destination }) =>
    [...destination.to, ...destination.cc, ...destination.bcc].some((address) => address.toLowerCase().includes(wanted)),
  );
}

/**
 * Calls `fn` until it returns a truthy value (which is returned) or `timeoutMs` passes; then throws
 * with the last error `fn` threw, if any. Errors thrown by `fn` count as "not yet".
 */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const intervalMs = options.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const what = options.message ?? 'condition';
      throw new Error(
        `waitFor: ${what} not met within ${timeoutMs} ms`,
        lastError === undefined ? undefined : { cause: lastError },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
