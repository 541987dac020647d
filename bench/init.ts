// Module init: how long a fresh Node.js process takes to import a bundle, measured inside that process.
import { spawn } from 'node:child_process';
import { envNames } from '../functions/shared/config.js';

// Runs in the child: times the import alone, not the start of Node.js itself.
const importScript = [
  "const { pathToFileURL } = await import('node:url');",
  'const start = performance.now();',
  'await import(pathToFileURL(process.argv[1]).href);',
  'process.stdout.write(String(performance.now() - start));',
].join(' ');

/**
 * A Lambda-like environment: the settings the handlers read (with placeholder values; nothing is
 * called) and nothing inherited from this shell (no NODE_OPTIONS, no tsx loader, no POWERTOOLS_DEV).
 */
export function initEnvironment(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'eu-north-1',
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    [envNames.tableName]: 'bench-table',
    [envNames.eventBusName]: 'bench-bus',
    [envNames.emailFrom]: 'bench@example.org',
    [envNames.sesConfigurationSet]: 'bench',
    [envNames.publicUrl]: 'https://bench.example.org',
    [envNames.jwtIssuer]: 'https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_bench',
    [envNames.jwtAudience]: 'bench-client',
  };
}

/** Milliseconds to `await import()` the .mjs file at `path` in a new `node` process. */
export function timeImport(path: string, env: NodeJS.ProcessEnv = initEnvironment()): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', importScript, path], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(stdout);
      if (code === 0 && stdout !== '' && Number.isFinite(ms)) resolve(ms);
      else reject(new Error(`Importing ${path} failed (exit ${code}): ${stderr.trim() || stdout.trim()}`));
    });
  });
}
