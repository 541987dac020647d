// Figure 5: peak resident memory of a handler's bundle in a fresh Node.js process, after importing
// it and one invocation with a real event recorded during the lifecycle, against the local emulators.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';

// Runs in the child. The high-water mark of resident memory covers init and the invocation.
const childScript = `
const { pathToFileURL } = await import('node:url');
const { readFileSync } = await import('node:fs');
const [file, eventFile] = process.argv.slice(1);
const mb = (bytes) => bytes / 1048576;
const module = await import(pathToFileURL(file).href);
const afterInitMb = mb(process.memoryUsage().rss);
let outcome = 'init only';
if (eventFile) {
  const event = JSON.parse(readFileSync(eventFile, 'utf8'));
  const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 30000,
    callbackWaitsForEmptyEventLoop: true, functionVersion: '$LATEST', memoryLimitInMB: '256',
    invokedFunctionArn: 'arn:aws:lambda:eu-north-1:000000000000:function:bench', logGroupName: 'bench', logStreamName: 'bench' };
  try {
    const result = await module.handler(event, context);
    outcome = result && typeof result === 'object' && 'statusCode' in result ? 'HTTP ' + result.statusCode : 'ok';
  } catch (error) {
    outcome = 'threw ' + (error && error.name);
  }
}
// VmHWM, not resourceUsage().maxRSS: Linux carries maxRSS over from the parent across fork and exec.
const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const peakMb = hwm ? Number(hwm[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ afterInitMb, peakMb, outcome }));
process.exit(0);
`;

export interface MemoryResult {
  name: string;
  afterInitMb: number;
  peakMb: number;
  /** `HTTP 200`, `ok`, `threw …`, or `init only` for a handler the lifecycle did not invoke. */
  outcome: string;
}

/** One handler (or floor) in a fresh process; `event` undefined measures init alone. */
export async function measureMemory(
  name: string,
  file: string,
  event: unknown,
  env: NodeJS.ProcessEnv,
): Promise<MemoryResult> {
  let eventFile: string | undefined;
  if (event !== undefined) {
    eventFile = `${file}.event.json`;
    await writeFile(eventFile, JSON.stringify(event));
  }
  return new Promise((resolve, reject) => {
    const args = ['--input-type=module', '-e', childScript, file, ...(eventFile ? [eventFile] : [])];
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      // Handler log lines share stdout with the result, which is the last line.
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve({ name, ...(JSON.parse(last) as Omit<MemoryResult, 'name'>) });
      } catch {
        reject(new Error(`Memory of ${name} failed (exit ${code}): ${stderr.trim().slice(-500) || stdout.slice(-500)}`));
      }
    });
  });
}

/** The smallest Lambda memory setting with headroom of a half over the measured peak. */
export function suggestedMemoryMb(peakMb: number): number {
  return [128, 192, 256, 384, 512, 1024].find((size) => size >= peakMb * 1.5) ?? 2048;
}
