// `npm run bench [-- --quick] [--runs N] [--analyze] [--skip-burst]`: bundle size and module init of every handler,
// each next to a floor measured in the same run, as one table on stdout and JSON under .bench/.
// Then DynamoDB requests per command, bursts, memory, start-up and a lifecycle (bench/stack.ts). Progress: stderr.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeMetafile, version as esbuildVersion } from 'esbuild';
import { allHandlerIds } from '../infra/wiring.js';
import {
  bundleFloor,
  bundleHandler,
  bytesByOwner,
  clientsIn,
  commandsIn,
  projectRoot,
  sdkClients,
  type Bundle,
  type SdkClient,
} from './bundle.js';
import { runBurst } from './burst.js';
import { timeImport } from './init.js';
import { figuresTable, memoryTable, requestNotes, requestRows, requestsTable, runStackFigures, type FigureRow } from './stack.js';
import { measureStartup } from './startup.js';
import { fixed, formatTable, kb, median, ratio, times, type Column } from './report.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    analyze: { type: 'boolean', default: false },
    'skip-burst': { type: 'boolean', default: false },
    'skip-stack': { type: 'boolean', default: false },
  },
});
const runs = args.runs !== undefined ? Number(args.runs) : args.quick ? 3 : 20;
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${args.runs}`);

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const startedAt = new Date();

interface Measured {
  readonly name: string;
  readonly kind: 'handler' | 'floor';
  /** SDK clients in the bundle; a handler is compared with the floor of the same clients. */
  readonly clients: SdkClient[];
  readonly bundle: Bundle;
  /** The floor this bundle is compared with (a floor with itself). */
  floor?: Measured;
  file?: string;
  readonly initSamples: number[];
}

const floorName = (clients: readonly SdkClient[]) =>
  `floor: ${clients.length === sdkClients.length ? 'all clients' : clients.join('+') || 'no clients'}`;

// --- 1. Bundle size ---------------------------------------------------------------------------
const measured: Measured[] = [];
for (const id of allHandlerIds()) {
  const bundle = await bundleHandler(id);
  const clients = clientsIn(bundle.metafile);
  measured.push({ name: id, kind: 'handler', clients, bundle, initSamples: [] });
  log(`bundled ${id}: ${fixed(kb(bundle.bytes))} KB (${clients.join(', ') || 'no SDK clients'})`);
}
// One floor per set of clients the handlers carry, and the floor of all clients the handlers use.
const floorSets = new Map<string, SdkClient[]>();
for (const clients of [...measured.map((m) => m.clients), [...sdkClients]]) floorSets.set(floorName(clients), clients);
const floors = new Map<string, Measured>();
for (const [name, clients] of floorSets) {
  const bundle = await bundleFloor(clients);
  const found = clientsIn(bundle.metafile);
  if (found.join() !== clients.join()) throw new Error(`${name} carries ${found.join(', ')}`);
  const floor: Measured = { name, kind: 'floor', clients, bundle, initSamples: [] };
  floor.floor = floor;
  floors.set(name, floor);
  log(`bundled ${name}: ${fixed(kb(bundle.bytes))} KB`);
}
for (const m of measured) m.floor = floors.get(floorName(m.clients));
measured.push(...floors.values());

// --- 2. Module init -----------------------------------------------------------------------------
// Each bundle as index.mjs in a folder of its own, outside the project: like /var/task, nothing to
// resolve from but the bundle itself.
const workDir = await mkdtemp(join(tmpdir(), 'sparraus-bench-'));
try {
  for (const [i, m] of measured.entries()) {
    const dir = join(workDir, String(i));
    await mkdir(dir);
    m.file = join(dir, 'index.mjs');
    await writeFile(m.file, m.bundle.code);
  }
  log(`warming up: importing each of ${measured.length} bundles once (not counted)`);
  for (const m of measured) await timeImport(m.file!);
  // Round-robin, each round starting one bundle later, so that drift on a busy machine reaches
  // handlers and floors alike.
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < measured.length; k++) {
      const m = measured[(round + k) % measured.length]!;
      m.initSamples.push(await timeImport(m.file!));
    }
    log(`init round ${round + 1}/${runs} done`);
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

// --- 3. Report ----------------------------------------------------------------------------------
const rows = measured.map((m) => {
  const floor = m.floor!;
  const initMs = median(m.initSamples);
  const floorInitMs = median(floor.initSamples);
  return {
    name: m.name,
    kind: m.kind,
    clients: m.clients,
    bytes: m.bundle.bytes,
    kb: kb(m.bundle.bytes),
    floor: floor.name,
    floorBytes: floor.bundle.bytes,
    floorKb: kb(floor.bundle.bytes),
    sizeRatio: ratio(m.bundle.bytes, floor.bundle.bytes),
    initMs,
    floorInitMs,
    initRatio: ratio(initMs, floorInitMs),
    initSamples: m.initSamples,
    commands: commandsIn(m.bundle.metafile),
    largestPackages: bytesByOwner(m.bundle.metafile)
      .slice(0, 15)
      .map(({ owner, bytes }) => ({ owner, kb: kb(bytes) })),
  };
});
type Row = (typeof rows)[number];

const isHandler = (r: Row) => r.kind === 'handler';
const columns: Column<Row>[] = [
  { header: 'bundle', value: (r) => r.name },
  { header: 'SDK clients', value: (r) => r.clients.join('+') },
  { header: 'KB', align: 'right', value: (r) => fixed(r.kb) },
  { header: 'floor KB', align: 'right', value: (r) => (isHandler(r) ? fixed(r.floorKb) : '') },
  { header: 'size', align: 'right', value: (r) => (isHandler(r) ? times(r.sizeRatio) : '') },
  { header: `init ms (median of ${runs})`, align: 'right', value: (r) => fixed(r.initMs) },
  { header: 'floor ms', align: 'right', value: (r) => (isHandler(r) ? fixed(r.floorInitMs) : '') },
  { header: 'init', align: 'right', value: (r) => (isHandler(r) ? times(r.initRatio) : '') },
];
process.stdout.write(`${formatTable(columns, rows)}\n`);

if (args.analyze) {
  const largest = measured.filter((m) => m.kind === 'handler').sort((a, b) => b.bundle.bytes - a.bundle.bytes)[0]!;
  process.stdout.write(`\nLargest handler bundle, ${largest.name}, by package:\n`);
  const byOwner = bytesByOwner(largest.bundle.metafile);
  const floorBytes = new Map(bytesByOwner(largest.floor!.bundle.metafile).map((o) => [o.owner, o.bytes]));
  process.stdout.write(
    `${formatTable<(typeof byOwner)[number]>(
      [
        { header: 'package', value: (o) => o.owner },
        { header: 'KB', align: 'right', value: (o) => fixed(kb(o.bytes)) },
        { header: `in ${largest.floor!.name}`, align: 'right', value: (o) => fixed(kb(floorBytes.get(o.owner) ?? 0)) },
      ],
      byOwner.slice(0, 25),
    )}\n`,
  );
  // esbuild's own view, largest files first; the JSON has the packages of every bundle.
  const files = (await analyzeMetafile(largest.bundle.metafile)).split('\n').filter((line) => line.trim() !== '');
  const shown = 26;
  process.stdout.write(`\n${files.slice(0, shown).join('\n')}\n`);
  if (files.length > shown) process.stdout.write(`   … ${files.length - shown} smaller files\n`);
}

// --- 4. Registration burst (issue 5) --------------------------------------------------------------
const burst = args['skip-burst'] ? undefined : await runBurst({ log, ...(args.quick ? { registrations: 100, seats: 30 } : {}) });
if (burst) {
  const l = burst.latencyMs;
  process.stdout.write(
    `\nburst: ${burst.registrations} registrations at once for ${burst.seats} seats: ${burst.confirmed} confirmed, ` +
      `${burst.waitlisted} waitlisted (positions 1..${burst.waitlisted} ${burst.positionsExact ? 'exact' : 'NOT exact'}), ` +
      `${burst.failed} failed; ${fixed(burst.perSecond, 0)} registrations/s; latency p50 ${fixed(l.p50, 0)} ms, ` +
      `p95 ${fixed(l.p95, 0)} ms, p99 ${fixed(l.p99, 0)} ms; ${burst.addressesWithOneEmail} addresses with exactly one email, ` +
      `all delivered after ${fixed(burst.untilEmailsMs / 1000, 1)} s\n`,
  );
}

// --- 5–8. DynamoDB requests, applications burst, memory, start-up, lifecycle (bench/stack.ts) -----
const stack = args['skip-stack']
  ? undefined
  : await runStackFigures({
      quick: args.quick,
      bundles: measured.map((m) => ({ name: m.name, kind: m.kind, code: m.bundle.code })),
    });
const startup = args['skip-stack'] ? undefined : await measureStartup(log);
const requestTable = stack ? requestRows(stack) : [];
if (stack && startup) {
  const { lifecycle: l, burst: a, floor: f } = stack;
  const ddbTotal = stack.requests.reduce((sum, c) => sum + c.calls, 0);
  const applyCalls = stack.burstRequests.find((c) => c.handler === 'intake/apply');
  const s = (ms: number) => `${fixed(ms / 1000)} s`;
  const lat = (p: { p50: number; p95: number; p99: number }) => `p50/95/99 ${fixed(p.p50, 0)}/${fixed(p.p95, 0)}/${fixed(p.p99, 0)} ms`;
  const figures: FigureRow[] = [
    {
      figure: 'applications burst',
      value: `${fixed(a.perSecond, 0)}/s`,
      floor: `${fixed(f.perSecond, 0)}/s`,
      ratio: ratio(f.perSecond, a.perSecond),
      note: `${a.applications} for ${a.places} places: ${a.exact ? 'exact' : 'NOT EXACT'} (${a.accepted} accepted, ${a.waitlisted} waitlisted, ${a.stored} stored, ${a.failed} failed); ${lat(a.latencyMs)}; selection ${s(a.selectionMs)}, idle after ${s(a.untilIdleMs)}; ${applyCalls ? fixed(applyCalls.attempts / applyCalls.invocations) : '?'} DDB req/apply`,
    },
    ...(burst
      ? [
          {
            figure: 'registrations burst',
            value: `${fixed(burst.perSecond, 0)}/s`,
            floor: `${fixed(f.perSecond, 0)}/s`,
            ratio: ratio(f.perSecond, burst.perSecond),
            note: `${burst.registrations} for ${burst.seats} seats: ${burst.confirmed === burst.seats && burst.failed === 0 && burst.positionsExact ? 'exact' : 'NOT EXACT'}; ${lat(burst.latencyMs)} (handler in-process; floor on the stack figures' DynamoDB Local)`,
          },
        ]
      : []),
    { figure: 'conditional-write floor', value: `${fixed(f.perSecond, 0)}/s`, floor: '', note: `${f.writes} UpdateItems at once on one counter, ${f.succeeded} taken; ${lat(f.latencyMs)}` },
    {
      figure: 'start-up (npm start → all routes)',
      value: s(startup.readyMs),
      floor: s(startup.dynamoDbLocalMs),
      ratio: ratio(startup.readyMs, startup.dynamoDbLocalMs),
      note: `listening after ${s(startup.listeningMs)}; ${startup.routes} routes; floor: DynamoDB Local alone`,
    },
    {
      figure: 'lifecycle',
      value: s(l.wallMs),
      floor: '',
      note: `${l.municipalities} municipalities, ${l.tutors} tutors, ${l.sessionLogs} meetings logged, ${l.confirmedRegistrations}/${l.registrations} registrations: ${l.httpRequests} HTTP requests, ${ddbTotal} DynamoDB requests, ${l.events} events, ${l.emails} emails`,
    },
  ];
  process.stdout.write(`\n${figuresTable(figures)}\n`);
  process.stdout.write(`\nDynamoDB requests per command in the lifecycle (CU: capacity units DynamoDB Local reported):\n${requestsTable(requestTable)}\n`);
  const notes = [
    ...requestNotes(requestTable),
    ...figures
      .filter((r) => (r.ratio ?? 0) > 1.5)
      .map((r) =>
        r.figure.startsWith('start-up')
          ? `  ${r.figure} ${times(r.ratio!)}: tsx compiles and loads every handler module on its first request; the SES emulator and bus start after DynamoDB Local, one after another`
          : `  ${r.figure} ${times(r.ratio!)}: each one is validation + a read, a counter update and a transaction + PutEvents${r.figure.startsWith('applications') ? ' behind the local HTTP API' : ''}, the floor one UpdateItem; the emails the bus sends run alongside on the same 2 cores`,
      ),
  ];
  if (notes.length) process.stdout.write(`\nWhy ratios above ×1.50:\n${notes.join('\n')}\n`);
  process.stdout.write(`\nPeak memory after init and one invocation (fresh process each; Lambda is set to 256 MB):\n${memoryTable(stack.memory)}\n`);
}

const handlerRows = rows.filter(isHandler);
const span = (values: number[], format: (v: number) => string) => {
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  return lo === hi ? format(lo) : `${format(lo)}–${format(hi)}`;
};
const durationMs = Date.now() - startedAt.getTime();
const report = {
  startedAt: startedAt.toISOString(),
  durationMs,
  quick: args.quick,
  runs,
  node: process.version,
  platform: `${process.platform}/${process.arch}`,
  cpu: `${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}`,
  esbuild: esbuildVersion,
  bundles: rows,
  burst,
  startup,
  stack: stack && { ...stack, requestTable },
};
const outDir = join(projectRoot, '.bench');
await mkdir(outDir, { recursive: true });
// Three decimals are more than any of these figures can tell.
const rounded = (_key: string, value: unknown) =>
  typeof value === 'number' && !Number.isInteger(value) ? Number(value.toFixed(3)) : value;
const json = `${JSON.stringify(report, rounded, 2)}\n`;
const outFile = join(outDir, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
await writeFile(outFile, json);
await writeFile(join(outDir, 'latest.json'), json);

process.stdout.write(
  `\nbench: ${handlerRows.length} handlers, ${span(handlerRows.map((r) => r.kb), (v) => fixed(v, 0))} KB ` +
    `(${span(handlerRows.map((r) => r.sizeRatio), times)} of floor), init ` +
    `${span(handlerRows.map((r) => r.initMs), (v) => fixed(v, 0))} ms (${span(handlerRows.map((r) => r.initRatio), times)} of floor, ` +
    `median of ${runs}) in ${fixed(durationMs / 1000, 0)} s; wrote ${relative(projectRoot, outFile)}\n`,
);
