// Serves the built pages under /app/ for the local runtime (local/http-api.ts), building them first
// when web/dist/ is missing or stale. On AWS the same build is served from S3 behind CloudFront (infra/site.ts).
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { buildWeb, distDir, webBuildIsStale } from './build.js';

export const appBasePath = '/app/';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

let building: Promise<void> | undefined;

/** Builds when needed; concurrent first requests share one build. */
function ensureBuilt(): Promise<void> {
  building ??= (async () => {
    if (await webBuildIsStale()) await buildWeb({ quiet: true });
  })().finally(() => {
    // Check again on the next request, so edits show up on reload during `npm start`.
    building = undefined;
  });
  return building;
}

/**
 * Answers GET/HEAD under /app; returns false for anything else so the API routes it. Paths that are
 * not files get index.html: the pages route by path (history API), so a reload or an emailed link works.
 */
export async function serveWebApp(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  const method = req.method ?? 'GET';
  const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
  if (!(method === 'GET' || method === 'HEAD') || !(rawPath === '/app' || rawPath.startsWith(appBasePath))) return false;
  req.resume();
  if (rawPath === '/app') {
    res.writeHead(301, { location: appBasePath });
    res.end();
    return true;
  }
  await ensureBuilt();
  let relative: string;
  try {
    relative = decodeURIComponent(rawPath.slice(appBasePath.length));
  } catch {
    relative = '';
  }
  // Normalised and kept inside dist/: no "..", no absolute paths.
  const candidate = path.join(distDir, path.normalize(`/${relative}`));
  const file = candidate.startsWith(distDir + path.sep) && path.extname(candidate) ? candidate : path.join(distDir, 'index.html');
  const body = await readFile(file).catch(() => undefined);
  if (!body) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found');
    return true;
  }
  res.writeHead(200, {
    'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
    'content-length': String(body.length),
    // Always revalidate: local builds change under the same names.
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(method === 'HEAD' ? undefined : body);
  return true;
}
