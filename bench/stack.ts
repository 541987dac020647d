// Runs bench/stack-figures.ts in a child process with the bundles of figure 1, and lays out its
// figures (3, 4, 5, 7) and the start-up figure (6) as tables.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApplicationsBurstResult, FloorResult } from './applications-burst.js';
import { projectRoot } from './bundle.js';
import type { LifecycleResult } from './lifecycle.js';
import { suggestedMemoryMb, type MemoryResult } from './memory.js';
import { minimumFor } from './minimums.js';
import { fixed, formatTable, ratio, times, type Column } from './report.js';
import type { CommandCount } from './requests.js';
import type { StartupResult } from './startup.js';

export interface StackFigures {
  lifecycle: LifecycleResult;
  requests: CommandCount[];
  burst: ApplicationsBurstResult;
  burstRequests: CommandCount[];
  floor: FloorResult;
  memory: MemoryResult[];
}

export async function runStackFigures(options: {
  quick: boolean;
  bundles: { name: string; kind: 'handler' | 'floor'; code: Uint8Array }[];
}): Promise<StackFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'sparraus-bench-stack-'));
  try {
    // Each bundle as index.mjs in a folder of its own, as in the init figure.
    const manifest = await Promise.all(
      options.bundles.map(async (b, i) => {
        const file = join(dir, `${i}.mjs`);
        await writeFile(file, b.code);
        return { name: b.name, kind: b.kind, file };
      }),
    );
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const out = join(dir, 'result.json');
    const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx');
    const args = ['bench/stack-figures.ts', '--manifest', join(dir, 'manifest.json'), '--out', out];
    if (options.quick) args.push('--quick');
    await new Promise<void>((resolve, reject) => {
      const child = spawn(tsx, args, { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`bench/stack-figures.ts exited ${code}`))));
    });
    return JSON.parse(await readFile(out, 'utf8')) as StackFigures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const operationShort: Record<string, string> = {
  GetItem: 'Get',
  PutItem: 'Put',
  UpdateItem: 'Update',
  DeleteItem: 'Delete',
  TransactWriteItems: 'TxWrite',
  TransactGetItems: 'TxGet',
  BatchWriteItem: 'BatchWrite',
  BatchGetItem: 'BatchGet',
};

/** `Get 3, Query 1` per invocation. */
export function operationsPerCall(count: CommandCount): string {
  return Object.entries(count.byOperation)
    .map(([op, n]) => `${operationShort[op] ?? op} ${fixed(n / count.invocations, n % count.invocations ? 1 : 0)}`)
    .join(', ');
}

export interface RequestRow {
  command: string;
  invocations: number;
  perCall: number;
  attemptsPerCall: number;
  capacityPerCall: number;
  operations: string;
  minimum?: number;
  ratio?: number;
  why?: string;
}

export function requestRows(figures: StackFigures): RequestRow[] {
  return figures.requests
    .filter((c) => c.handler !== 'outside' && c.invocations > 0)
    .map((c) => {
      const minimum = minimumFor(c, figures.lifecycle);
      const perCall = c.calls / c.invocations;
      return {
        command: `${c.handler} ← ${c.trigger}`,
        invocations: c.invocations,
        perCall,
        attemptsPerCall: c.attempts / c.invocations,
        capacityPerCall: c.capacityUnits / c.invocations,
        operations: operationsPerCall(c),
        ...(minimum ? { minimum: minimum.requests, ratio: ratio(perCall, minimum.requests), why: minimum.why } : {}),
      };
    });
}

export function requestsTable(rows: readonly RequestRow[]): string {
  const columns: Column<RequestRow>[] = [
    { header: 'command (handler ← trigger)', value: (r) => r.command },
    { header: 'calls', align: 'right', value: (r) => String(r.invocations) },
    { header: 'DDB req/call', align: 'right', value: (r) => fixed(r.perCall) },
    { header: 'CU/call', align: 'right', value: (r) => fixed(r.capacityPerCall) },
    { header: 'min', align: 'right', value: (r) => (r.minimum === undefined ? '–' : fixed(r.minimum)) },
    { header: 'ratio', align: 'right', value: (r) => (r.ratio === undefined ? '' : times(r.ratio)) },
    { header: 'requests per call', value: (r) => r.operations },
  ];
  return formatTable(columns, rows);
}

/** One line per ratio above 1.5: what is measured against what the minimum needs. */
export function requestNotes(rows: readonly RequestRow[]): string[] {
  return rows
    .filter((r) => (r.ratio ?? 0) > 1.5)
    .map((r) => `  ${r.command} ${times(r.ratio!)}: does ${r.operations}; needs ${fixed(r.minimum!)}: ${r.why}`);
}

export function memoryTable(memory: readonly MemoryResult[]): string {
  const floorPeak = memory.find((m) => m.name === 'floor: all clients')?.peakMb;
  const columns: Column<MemoryResult>[] = [
    { header: 'bundle', value: (m) => m.name },
    { header: 'RSS after init MB', align: 'right', value: (m) => fixed(m.afterInitMb) },
    { header: 'peak MB', align: 'right', value: (m) => fixed(m.peakMb) },
    { header: 'of floor', align: 'right', value: (m) => (floorPeak ? times(m.peakMb / floorPeak) : '') },
    { header: 'suggested MB', align: 'right', value: (m) => String(suggestedMemoryMb(m.peakMb)) },
    { header: 'invocation', value: (m) => m.outcome },
  ];
  return formatTable(columns, [...memory].sort((a, b) => b.peakMb - a.peakMb));
}

export interface FigureRow {
  figure: string;
  value: string;
  floor: string;
  ratio?: number;
  note: string;
}

export function figuresTable(rows: readonly FigureRow[]): string {
  return formatTable<FigureRow>(
    [
      { header: 'figure', value: (r) => r.figure },
      { header: 'measured', align: 'right', value: (r) => r.value },
      { header: 'floor', align: 'right', value: (r) => r.floor },
      { header: 'ratio', align: 'right', value: (r) => (r.ratio === undefined ? '' : times(r.ratio)) },
      { header: 'note', value: (r) => r.note },
    ],
    rows,
  );
}

export type { StartupResult };
