// The SES v2 emulator (aws-ses-v2-local) in this process: the SDK sends mail to it, and its web
// inbox and `GET /store` show what was sent.
import type { Server } from 'node:http';
import * as sesModule from 'aws-ses-v2-local';
import { PortInUseError } from './errors.js';
import { boundPort, closeServer, urlHost } from './ports.js';

export interface SesLocalOptions {
  /** Default 8005; 0 picks a free port. */
  port?: number;
  host?: string;
}

export interface SesLocal {
  /** For AWS_ENDPOINT_URL_SESV2. */
  endpoint: string;
  /** The web inbox. */
  inboxUrl: string;
  /** `GET` lists every email sent (JSON); `POST <endpoint>/clear-store` empties it. */
  storeUrl: string;
  port: number;
  stop(): Promise<void>;
}

type StartSesServer = (config?: { host?: string; port?: number }) => Promise<Server>;

/**
 * The package is CommonJS with `exports.default`: Node's ESM loader (and tsx) hand us the whole
 * exports object as the default, while bundler-style interop (vitest) unwraps it. Accept both.
 */
function startSesServer(): StartSesServer {
  const candidate = (sesModule as unknown as { default: StartSesServer | { default: StartSesServer } }).default;
  return typeof candidate === 'function' ? candidate : candidate.default;
}

export async function startSesLocal(options: SesLocalOptions = {}): Promise<SesLocal> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 8005;
  const server = await startSesServer()({ host, port: requestedPort });
  // The package resolves even when listen fails (express 5 passes the error to its callback).
  if (!server.listening) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw new PortInUseError(requestedPort, 'SES emulator');
  }
  const port = boundPort(server);
  const endpoint = `http://${urlHost(host)}:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    storeUrl: `${endpoint}/store`,
    port,
    stop: () => (stopping ??= closeServer(server)),
  };
}
