// The local bus's dead-letter queue: events a rule's handler kept failing on, with the last error.
// Kept in memory and, when a file is given, mirrored to JSON so `npm run dlq` and restarts see it.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import * as z from 'zod';
import type { HandlerId } from '../infra/wiring.js';

export const deadLetterFileName = 'dead-letters.json';

const DeadLetterSchema = z.object({
  id: z.string(),
  rule: z.string(),
  handler: z.custom<HandlerId>((value) => typeof value === 'string' && value.includes('/')),
  event: z.custom<EventBridgeEvent<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && 'detail-type' in value && 'id' in value,
  ),
  attempts: z.number().int(),
  error: z.object({
    name: z.string(),
    message: z.string(),
    stack: z.string().optional(),
    /** For validation errors (zod): each problem as a dotted path and a message. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
  /** Wall-clock time of the last failure (not the shifted local clock: this is operational data). */
  deadLetteredAt: z.string(),
  /** How many times this entry was replayed and failed again. */
  replays: z.number().int(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

const DeadLetterFile = z.object({ deadLetters: z.array(DeadLetterSchema) });

export interface DeadLetterStore {
  readonly file: string | undefined;
  list(): DeadLetter[];
  add(entry: DeadLetter): void;
  /** Removes and returns the entries with these ids (all when `ids` is undefined). */
  take(ids?: readonly string[]): DeadLetter[];
}

/** Reads a dead-letter file; a missing file is an empty queue. */
export function readDeadLetterFile(file: string): DeadLetter[] {
  if (!existsSync(file)) return [];
  return DeadLetterFile.parse(JSON.parse(readFileSync(file, 'utf8'))).deadLetters;
}

export function deadLetterStore(file?: string): DeadLetterStore {
  const entries = new Map<string, DeadLetter>();
  if (file) for (const entry of readDeadLetterFile(file)) entries.set(entry.id, entry);

  const persist = () => {
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    // Write then rename, so a reader (npm run dlq) never sees half a file.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ deadLetters: [...entries.values()] }, null, 2)}\n`);
    renameSync(temporary, file);
  };

  return {
    file,
    list: () => [...entries.values()],
    add(entry) {
      entries.set(entry.id, entry);
      persist();
    },
    take(ids) {
      const chosen = ids === undefined ? [...entries.values()] : ids.flatMap((id) => entries.get(id) ?? []);
      for (const entry of chosen) entries.delete(entry.id);
      if (chosen.length > 0) persist();
      return chosen;
    },
  };
}
