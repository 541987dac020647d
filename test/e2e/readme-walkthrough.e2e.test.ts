// The README's "by hand" walkthroughs, run as written (issue #14.9): their bash blocks, in order, in
// one bash with `set -euo pipefail`, against a local stack on its own ports whose URLs are passed as
// the variables the README uses. Fails on an unset variable, an error answer (curl --fail-with-body),
// a variable left empty or "null", or a `null` in what the commands print.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { startTestStack } from '../support/harness.js';

const walkthroughs = [
  'A first intake by hand',
  'Selection and the waiting list by hand',
  'Tutors, meetings and the webinar by hand',
];

/** The ```sh blocks of the README section headed `title` (up to the next `## `). */
export function shellBlocksOf(readme: string, title: string): string[] {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "## ${title}"`);
  const end = readme.indexOf('\n## ', start + title.length + 4);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^```(?:sh|bash)\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

function runBash(
  script: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let stack: LocalStack;

describe('the README walkthroughs', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    stack = await startTestStack('e2e-readme');
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('run in order on a fresh stack, as written', async () => {
    const readme = await readFile('README.md', 'utf8');
    const blocks = walkthroughs.flatMap((title) => shellBlocksOf(readme, title));
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const body = blocks.join('\n');
    const variables = [...new Set([...body.matchAll(/^\s*([A-Z][A-Z_]*)=/gm)].map((match) => match[1]!))];
    const script = [
      'set -euo pipefail',
      // An error answer fails the command (and, through pipefail and set -e, the walkthrough).
      'curl() { command curl --fail-with-body --max-time 30 "$@"; }',
      body,
      `echo '--- variables'`,
      ...variables.map((name) => `printf '%s=%s\\n' ${name} "\${${name}}"`),
    ].join('\n');
    const result = await runBash(script, { API: stack.apiUrl, INBOX: stack.sesUrl.replace(/\/+$/, '') }, 150_000);
    const detail = `exit ${result.code}\n--- stderr\n${result.stderr.slice(-4000)}\n--- stdout\n${result.stdout.slice(-4000)}`;
    expect(result.code, detail).toBe(0);

    const [printed = '', assigned = ''] = result.stdout.split('--- variables\n');
    for (const line of assigned.trim().split('\n')) {
      const [name, value] = [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)];
      expect(value, `${name} is set to a value`).not.toMatch(/^(|null)$/);
    }
    // The ports are the stack's, never hard-coded ones.
    expect(body).not.toMatch(/localhost:\d+\/(?!\S*:-)/);
    expect(printed, `a null where a value is expected:\n${printed}`).not.toMatch(/:\s*null\b|^null$/m);
  });
});
