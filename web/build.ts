// Builds the pages into web/dist/ with esbuild: `npm run build:web`, and on demand by the local runtime.
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const webRoot = path.dirname(fileURLToPath(import.meta.url));
export const distDir = path.join(webRoot, 'dist');

/** Files copied as they are; config.js is separate so a deployment can replace it without a rebuild. */
const staticFiles = ['index.html', 'styles.css', 'config.js'];

/**
 * Bundles web/src/main.ts (minified) and copies the static files into web/dist/, or into `outDir`
 * (the CDK app builds the pages into its asset directory that way: infra/site.ts).
 */
export async function buildWeb(options: { quiet?: boolean; outDir?: string } = {}): Promise<void> {
  const outDir = options.outDir ?? distDir;
  // Imported lazily so the local runtime pays for esbuild only when the pages are asked for.
  const esbuild = await import('esbuild');
  await mkdir(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(webRoot, 'src', 'main.ts')],
    outfile: path.join(outDir, 'app.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    target: ['es2022'],
    logLevel: options.quiet ? 'silent' : 'info',
  });
  await Promise.all(staticFiles.map((file) => copyFile(path.join(webRoot, file), path.join(outDir, file))));
}

async function newestSourceTime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestSourceTime(full));
    else newest = Math.max(newest, (await stat(full)).mtimeMs);
  }
  return newest;
}

/** True when dist/ is missing or older than a source file, so a local start never serves stale pages. */
export async function webBuildIsStale(): Promise<boolean> {
  const built = await stat(path.join(distDir, 'app.js')).catch(() => undefined);
  if (!built) return true;
  const sources = Math.max(
    await newestSourceTime(path.join(webRoot, 'src')),
    ...(await Promise.all(staticFiles.map(async (file) => (await stat(path.join(webRoot, file))).mtimeMs))),
  );
  return sources > built.mtimeMs;
}

// `tsx web/build.ts [outDir]`: into web/dist/ unless another directory is named.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
  buildWeb({ outDir }).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
