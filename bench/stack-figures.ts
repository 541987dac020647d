// Figures 3, 4 (applications), 5 and 7 on one in-memory local stack, in a process of their own:
// handler modules and their SDK clients are cached per process, so a second stack in the bench
// process (the registration burst) would find them bound to this one's endpoints.
// Usage: tsx bench/stack-figures.ts --manifest <bundles.json> --out <result.json> [--quick]
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { envNames } from '../functions/shared/config.js';
import type { HandlerId } from '../infra/wiring.js';
import { defaultLoadHandler } from '../local/handlers.js';
import { startLocalStack } from '../local/stack.js';
import { runApplicationsBurst, runConditionalWriteFloor } from './applications-burst.js';
import { initEnvironment } from './init.js';
import { lifecycleSizes, runLifecycle } from './lifecycle.js';
import { measureMemory, type MemoryResult } from './memory.js';
import { pool } from './http.js';
import { RequestCounter } from './requests.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    manifest: { type: 'string' },
    out: { type: 'string' },
    applications: { type: 'string' },
    places: { type: 'string' },
  },
});
if (!args.manifest || !args.out) throw new Error('--manifest and --out are required');
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
/** Bundle files by name (handler id or floor name), as bench/run.ts wrote them. */
const bundles = JSON.parse(await readFile(args.manifest, 'utf8')) as { name: string; kind: 'handler' | 'floor'; file: string }[];
const applications = Number(args.applications ?? (args.quick ? 100 : 1000));
const places = Number(args.places ?? (args.quick ? 30 : 300));

process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const counter = new RequestCounter();
log('stack: starting DynamoDB Local, the SES emulator, the bus and the HTTP API (in memory)');
const stack = await startLocalStack({
  port: 0,
  dynamoPort: 0,
  sesPort: 0,
  eventsPort: 0,
  dataDir: null,
  manualSchedules: true,
  quiet: true,
  loadHandler: counter.loader(defaultLoadHandler),
});
try {
  // After the stack set the environment: this is the client every handler in this process shares.
  const { dynamo } = await import('../functions/shared/aws.js');
  counter.install(dynamo());

  // --- 7 and 3: the lifecycle, counting DynamoDB requests per command ---------------------------
  const lifecycle = await runLifecycle(stack, args.quick ? lifecycleSizes.quick : lifecycleSizes.full, log);
  const requests = counter.snapshot();
  counter.reset();

  // --- 4: the applications burst, and the floor on the same DynamoDB Local ----------------------
  const burst = await runApplicationsBurst(stack, { applications, places }, log);
  const burstRequests = counter.snapshot();
  const floor = await runConditionalWriteFloor(stack, { writes: applications, places });
  log(`burst: floor ${floor.perSecond.toFixed(0)} conditional writes/s`);

  // --- 5: memory, each bundle in a fresh process against this stack's emulators ------------------
  // Lambda's environment: the handler settings and SDK endpoints the stack set, nothing from this shell.
  const env: NodeJS.ProcessEnv = { ...initEnvironment(), POWERTOOLS_LOG_LEVEL: 'WARN' };
  for (const name of [...Object.values(envNames), 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  for (const [name, value] of Object.entries(process.env)) if (name.startsWith('AWS_ENDPOINT_URL_')) env[name] = value;
  // Quick mode measures the floors and a few handlers: enough to show the figure works.
  const measuredBundles = args.quick ? [...bundles.filter((b) => b.kind === 'floor'), ...bundles.filter((b) => b.kind === 'handler').slice(0, 4)] : bundles;
  log(`memory: ${measuredBundles.length} bundles, each in a fresh process`);
  const memory: MemoryResult[] = await pool(measuredBundles, 2, (b) =>
    measureMemory(b.name, b.file, b.kind === 'handler' ? counter.firstEvents.get(b.name as HandlerId) : {}, env),
  );
  await stack.settled();

  await writeFile(args.out, JSON.stringify({ lifecycle, requests, burst, burstRequests, floor, memory }));
} finally {
  await stack.stop();
}
