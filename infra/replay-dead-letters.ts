// `npm run dlq:aws -- list | show | replay`: dead letters of the deployed stack (the local bus has
// `npm run dlq`). Uses the usual AWS credentials and region (AWS_PROFILE, AWS_REGION, ...); finds the
// queues through the stack's EventBridge rules, and replays a letter by invoking the function that
// failed with its original event (infra/dead-letters.ts says why not by putting it on the bus again).
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { parseArgs } from 'node:util';
import {
  describeEvent,
  discover,
  parseDeadLetter,
  queueCounts,
  queueUrl,
  receiveAll,
  replayQueue,
  type Clients,
  type DeadLetter,
  type QueueInfo,
} from './dead-letters.js';

const usage = `Usage: npm run dlq:aws -- <command> [queue...] [options]
  list                      every dead-letter queue of the stack: letters waiting, and which rule targets feed it
  show [queue...]           the letters (they stay in the queue): event, failed target, error, when
  replay [queue...]         invoke each failed function again with its original event; delete the letters it accepted

  queue                     part of a queue name (case-insensitive), e.g. SendApplicationConfirmation; default: all
  --max <n>                 at most n letters per queue (default 100)
  --json                    show: the whole letters, events included (they may hold personal data)
  --dry-run                 replay: say what would be invoked, change nothing`;

function matching(queues: readonly QueueInfo[], filters: readonly string[]): QueueInfo[] {
  if (filters.length === 0) return [...queues];
  const found = queues.filter((q) => filters.some((f) => q.name.toLowerCase().includes(f.toLowerCase())));
  if (found.length === 0) throw new Error(`No dead-letter queue matches ${filters.join(', ')} (npm run dlq:aws -- list)`);
  return found;
}

function summary(letter: DeadLetter): string {
  const target = letter.kind === 'eventbridge' ? letter.targetArn : letter.kind === 'lambda' ? letter.functionArn : '?';
  const how =
    letter.kind === 'eventbridge' ? 'EventBridge could not deliver' : letter.kind === 'lambda' ? 'function failed' : 'unknown';
  return [
    `${letter.messageId}${letter.sentAt ? `  ${letter.sentAt}` : ''}  [${how}]`,
    `  ${describeEvent(letter)} -> ${target}`,
    `  ${letter.kind === 'unknown' ? letter.body.slice(0, 200) : letter.error}`,
  ].join('\n');
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      max: { type: 'string', default: '100' },
      json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...filters] = positionals;
  const max = Number(values.max);
  if (values.help || !command || !['list', 'show', 'replay'].includes(command) || !(Number.isInteger(max) && max > 0)) {
    console.log(usage);
    process.exitCode = values.help || !command ? 0 : 1;
    return;
  }

  const clients: Clients = { sqs: new SQSClient({}), events: new EventBridgeClient({}), lambda: new LambdaClient({}) };
  const region = await clients.sqs.config.region();
  const topology = await discover(clients);
  if (topology.queues.length === 0) {
    console.log(`No dead-letter queues in ${region}: no rules named sparraus-… with one. Is the stack deployed here?`);
    return;
  }
  const queues = matching(topology.queues, filters);

  if (command === 'list') {
    console.log(`${queues.length} dead-letter queue(s) in ${region}:\n`);
    for (const queue of queues) {
      const { waiting, inFlight } = await queueCounts(clients, await queueUrl(clients, queue.arn));
      console.log(`${queue.name}  ${waiting} waiting${inFlight ? `, ${inFlight} in flight` : ''}`);
      for (const feed of queue.feeds) console.log(`  <- ${feed}`);
    }
    return;
  }

  let kept = 0;
  let letters = 0;
  for (const queue of queues) {
    const url = await queueUrl(clients, queue.arn);
    if (command === 'show') {
      // Received to be read, then made visible again at once.
      const { messages, release } = await receiveAll(clients, url, { max, visibilitySeconds: 60 });
      await release(messages);
      if (messages.length === 0) continue;
      letters += messages.length;
      console.log(`\n${queue.name}: ${messages.length} letter(s)\n`);
      for (const letter of messages.map(parseDeadLetter)) {
        console.log(values.json ? JSON.stringify(letter, null, 2) : `${summary(letter)}\n`);
      }
      continue;
    }
    const outcomes = await replayQueue(clients, url, topology, { max, dryRun: values['dry-run'] });
    if (outcomes.length === 0) continue;
    letters += outcomes.length;
    console.log(`\n${queue.name}:`);
    for (const { letter, invoked, kept: why } of outcomes) {
      const what = `${letter.messageId} ${describeEvent(letter)}`;
      if (why === 'dry run') console.log(`  would invoke ${invoked.join(', ')} with ${what}`);
      else if (why) console.log(`  KEPT ${what}: ${why}`);
      else console.log(`  replayed ${what} -> ${invoked.join(', ')}`);
      if (why && why !== 'dry run') kept++;
    }
  }
  if (letters === 0) {
    console.log(`No dead letters in ${queues.length} queue(s) in ${region}.`);
    return;
  }
  if (command === 'replay') {
    console.log(kept ? `\n${kept} letter(s) kept in their queue.` : '\nDone. A replay that fails again ends in the same queue.');
    if (kept) process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(`dlq:aws: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
