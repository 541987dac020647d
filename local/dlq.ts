// `npm run dlq -- list | show <id> | replay [id...]`: the local bus's dead letters. When the local
// stack is running (it answers GET /dev/dead-letters on PORT, default 3000) this goes through its
// /dev/dead-letters routes; otherwise `list`/`show` read .local/dead-letters.json, and `replay` starts
// the stack on the same data just long enough to re-deliver.
import path from 'node:path';
import { briefError } from './console-log.js';
import { deadLetterFileName, readDeadLetterFile, type DeadLetter } from './dead-letters.js';
import type { ReplayResult } from './event-bus.js';
import { defaultDataDir, startLocalStack } from './stack.js';

const usage = `Usage:
  npm run dlq -- list              dead letters: id, rule, event, attempts, last error
  npm run dlq -- show <id>         one dead letter as JSON (event and error stack)
  npm run dlq -- replay [id...]    re-deliver (all when no id is given)`;

const port = Number(process.env.PORT || 3000);
const apiUrl = `http://localhost:${port}`;
const file = path.join(defaultDataDir, deadLetterFileName);

/** The running stack's dead letters, or undefined when nothing of ours answers. */
async function fromRunningStack(): Promise<DeadLetter[] | undefined> {
  try {
    const response = await fetch(`${apiUrl}/dev/dead-letters`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return undefined;
    return ((await response.json()) as { deadLetters: DeadLetter[] }).deadLetters;
  } catch {
    return undefined;
  }
}

async function load(): Promise<{ deadLetters: DeadLetter[]; where: string; running: boolean }> {
  const live = await fromRunningStack();
  if (live) return { deadLetters: live, where: `the running stack at ${apiUrl}`, running: true };
  return { deadLetters: readDeadLetterFile(file), where: file, running: false };
}

function list(deadLetters: DeadLetter[], where: string): void {
  if (deadLetters.length === 0) {
    console.log(`No dead letters (${where}).`);
    return;
  }
  console.log(`${deadLetters.length} dead letter(s) in ${where}:\n`);
  for (const d of deadLetters) {
    console.log(`${d.id}  ${d.deadLetteredAt}`);
    console.log(`  ${d.event['detail-type']} (${d.event.source}, event ${d.event.id}) → ${d.rule} (${d.handler})`);
    console.log(`  ${d.attempts} attempt(s)${d.replays ? `, replayed ${d.replays}×` : ''}: ${briefError(d.error)}\n`);
  }
}

function report(result: ReplayResult): void {
  console.log(`Delivered: ${result.delivered.length ? result.delivered.join(', ') : 'none'}`);
  if (result.deadLettered.length) console.log(`Failed again (still dead-lettered): ${result.deadLettered.join(', ')}`);
  if (result.notFound.length) console.log(`Not found: ${result.notFound.join(', ')}`);
  if (result.deadLettered.length || result.notFound.length) process.exitCode = 1;
}

async function replay(ids: string[]): Promise<void> {
  const body = JSON.stringify(ids.length ? { ids } : {});
  if (await fromRunningStack()) {
    const response = await fetch(`${apiUrl}/dev/dead-letters/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    if (!response.ok) throw new Error(`${apiUrl} answered ${response.status}: ${await response.text()}`);
    report((await response.json()) as ReplayResult);
    return;
  }
  if (readDeadLetterFile(file).length === 0) {
    console.log(`No dead letters in ${file}.`);
    return;
  }
  // Handlers need DynamoDB, SES and the bus, so replaying offline means running the stack briefly.
  console.log(`No local stack answers at ${apiUrl}; starting one on ${defaultDataDir} to replay…`);
  const stack = await startLocalStack({
    port: port,
    dynamoPort: Number(process.env.DYNAMODB_PORT || 8000),
    sesPort: Number(process.env.SES_PORT || 8005),
    eventsPort: Number(process.env.EVENTS_PORT || 8010),
    dataDir: defaultDataDir,
    manualSchedules: true,
  });
  try {
    const result = await stack.bus.replayDeadLetters(ids.length ? ids : undefined);
    await stack.bus.idle();
    report(result);
    console.log('(Mail sent during this replay went to an inbox that stops with it.)');
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case 'list': {
      const { deadLetters, where } = await load();
      list(deadLetters, where);
      return;
    }
    case 'show': {
      const { deadLetters } = await load();
      const found = deadLetters.find((d) => d.id === args[0]);
      if (!found) throw new Error(`No dead letter ${args[0] ?? '(give an id)'}`);
      console.log(JSON.stringify(found, null, 2));
      return;
    }
    case 'replay':
      await replay(args);
      return;
    default:
      console.log(usage);
      process.exitCode = command === undefined || command === 'help' ? 0 : 1;
  }
}

main().catch((error: unknown) => {
  console.error(`dlq: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
