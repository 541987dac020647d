// Runs the wiring table's schedule rules: on their period of real time, and on demand after the
// local clock moves (POST /dev/clock). A rule never runs twice at once.
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { scheduleRules, type HandlerId, type ScheduleRule } from '../infra/wiring.js';
import { now } from '../functions/shared/clock.js';
import { localAccountId, localRegion } from './aws-env.js';
import { defaultLoadHandler, invoke, type LoadHandler } from './handlers.js';

export interface ScheduleRun {
  rule: string;
  handler: HandlerId;
  trigger: 'timer' | 'on-demand';
  ok: boolean;
  durationMs: number;
  error?: unknown;
}

export interface SchedulerOptions {
  /** Rules by name. Default: the wiring table's scheduleRules. */
  rules?: Readonly<Record<string, ScheduleRule>>;
  loadHandler?: LoadHandler;
  /** Start the timers at once. Default true; false waits for startTimers() (or only runs on demand). */
  timers?: boolean;
  /** The timer period for a rule. Default: its rate() in real time. */
  periodMs?: (name: string, rule: ScheduleRule) => number;
  handlerTimeoutMs?: number;
}

export interface Scheduler {
  /** Runs every rule once now (after any run of it already in progress) and resolves with the outcomes. */
  runDueNow(): Promise<ScheduleRun[]>;
  /** Fires each rule on its period from now on (no-op if already started). */
  startTimers(): void;
  onRun(listener: (run: ScheduleRun) => void): () => void;
  /** Stops the timers and waits for running handlers. Idempotent. */
  stop(): Promise<void>;
}

const unitMs = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };

/** Milliseconds in an EventBridge `rate(n unit)` expression. */
export function parseRate(expression: string): number {
  const match = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
  if (!match) throw new Error(`Unsupported schedule expression ${expression}; the local scheduler reads rate(n unit)`);
  return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
}

/** The event EventBridge Scheduler/rules send a scheduled target; `time` is the local clock. */
export function scheduledEvent(ruleName: string): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: localAccountId,
    time: now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
    region: localRegion,
    resources: [`arn:aws:events:${localRegion}:${localAccountId}:rule/${ruleName}`],
    detail: {},
  };
}

export function startScheduler(options: SchedulerOptions = {}): Scheduler {
  const rules = options.rules ?? scheduleRules;
  const loadHandler = options.loadHandler ?? defaultLoadHandler;
  const handlerTimeoutMs = options.handlerTimeoutMs ?? 60_000;
  const listeners = new Set<(run: ScheduleRun) => void>();
  /** The latest run of each rule; a new run chains after it, so runs of one rule never overlap. */
  const latest = new Map<string, Promise<ScheduleRun>>();
  const running = new Set<string>();

  const runOnce = async (name: string, rule: ScheduleRule, trigger: ScheduleRun['trigger']): Promise<ScheduleRun> => {
    running.add(name);
    const started = Date.now();
    let run: ScheduleRun;
    try {
      const handler = await loadHandler(rule.handler);
      await invoke(rule.handler, handler, scheduledEvent(name), handlerTimeoutMs);
      run = { rule: name, handler: rule.handler, trigger, ok: true, durationMs: Date.now() - started };
    } catch (error) {
      run = { rule: name, handler: rule.handler, trigger, ok: false, durationMs: Date.now() - started, error };
    } finally {
      running.delete(name);
    }
    for (const listener of listeners) {
      try {
        listener(run);
      } catch {
        // Observers must not break the schedule.
      }
    }
    return run;
  };

  const enqueue = (name: string, rule: ScheduleRule, trigger: ScheduleRun['trigger']) => {
    const previous = latest.get(name) ?? Promise.resolve(undefined);
    const next = previous.then(() => runOnce(name, rule, trigger));
    latest.set(name, next);
    return next;
  };

  const timers: NodeJS.Timeout[] = [];
  const startTimers = () => {
    if (timers.length > 0) return;
    for (const [name, rule] of Object.entries(rules)) {
      const period = options.periodMs?.(name, rule) ?? parseRate(rule.expression);
      const timer = setInterval(() => {
        // A tick while the rule is still running is skipped, not queued: a pile-up of local runs
        // helps nobody.
        if (!running.has(name)) void enqueue(name, rule, 'timer');
      }, period);
      // Timers alone must not keep a process alive (the servers do that).
      timer.unref();
      timers.push(timer);
    }
  };
  if (options.timers ?? true) startTimers();

  let stopped: Promise<void> | undefined;
  return {
    async runDueNow() {
      const runs: ScheduleRun[] = [];
      // One after another in name order, so what a run sees does not depend on a race with another rule.
      for (const [name, rule] of Object.entries(rules).sort(([a], [b]) => a.localeCompare(b))) {
        runs.push(await enqueue(name, rule, 'on-demand'));
      }
      return runs;
    },
    startTimers,
    onRun(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped ??= (async () => {
        for (const timer of timers) clearInterval(timer);
        await Promise.allSettled(latest.values());
      })();
      return stopped;
    },
  };
}
