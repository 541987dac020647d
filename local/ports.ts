// Port helpers: pick a free port, fail fast with a clear error on a busy one, and close servers
// without waiting for idle keep-alive connections.
import net from 'node:net';
import type { Server } from 'node:http';
import { PortInUseError } from './errors.js';

/** A port that was free a moment ago (for children such as Java that cannot report port 0 back). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('Could not read a free port');
  return address.port;
}

/**
 * Throws PortInUseError when `port` is taken on any interface. Checked before spawning a child,
 * because a child that fails to bind might leave us talking to whatever already holds the port.
 */
export async function assertPortFree(port: number, what: string): Promise<void> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // No host: binds the wildcard address, which conflicts with a listener on any interface.
      server.listen(port, resolve);
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(port, what, { cause: error });
    throw error;
  } finally {
    await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  }
}

/** Starts `server` on host:port; EADDRINUSE becomes PortInUseError. Returns the bound port (port 0 = any). */
export async function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, what, { cause: error }) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return boundPort(server);
}

export function boundPort(server: Server | net.Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('Server is not listening on a TCP port');
  return address.port;
}

/** Closes a server and drops idle keep-alive sockets, which would otherwise hold close() open. */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
    // Requests still running get a moment to finish before their sockets are cut.
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
  });
}

/** The host to put in URLs for a server bound to `host`: loopback and wildcard addresses read as localhost. */
export function urlHost(host: string): string {
  return ['127.0.0.1', '::1', '0.0.0.0', '::', 'localhost'].includes(host) ? 'localhost' : host;
}
