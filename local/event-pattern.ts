// EventBridge event-pattern matching for the local bus. Today: exact values, at any depth (so
// `detail` fields work too). Content filters (prefix, anything-but, numeric, exists, ...) are
// refused up front by assertSupportedPattern, so a rule the bus cannot read fails at start instead of
// silently never matching; add them in matchesValue when a rule needs one.
import { UnsupportedPatternError } from './errors.js';

type Scalar = string | number | boolean | null;
/** A pattern: each key lists allowed values, or holds a nested pattern for an object field. */
export interface EventPattern {
  readonly [field: string]: readonly unknown[] | EventPattern;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Throws UnsupportedPatternError (naming the field) for anything but exact-value lists and nesting. */
export function assertSupportedPattern(pattern: unknown, where = ''): void {
  if (!isObject(pattern)) throw new UnsupportedPatternError(`Event pattern${where ? ` at ${where}` : ''} must be an object`);
  for (const [field, allowed] of Object.entries(pattern)) {
    const at = where ? `${where}.${field}` : field;
    if (isObject(allowed)) {
      assertSupportedPattern(allowed, at);
    } else if (Array.isArray(allowed)) {
      const filter = allowed.find((value) => typeof value === 'object' && value !== null);
      if (filter !== undefined) {
        throw new UnsupportedPatternError(
          `The local bus matches exact values only; ${at} uses the content filter ${JSON.stringify(filter)}`,
        );
      }
    } else {
      throw new UnsupportedPatternError(`Event pattern field ${at} must be a list of values or a nested pattern`);
    }
  }
}

/** True when `event` matches every field of `pattern` (EventBridge semantics: AND across fields, OR within a list). */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isObject(event)) return false;
  return Object.entries(pattern).every(([field, allowed]) => {
    if (!(field in event)) return false;
    const value = event[field];
    if (Array.isArray(allowed)) return matchesValue(allowed, value);
    return matchesPattern(allowed as EventPattern, value);
  });
}

function matchesValue(allowed: readonly unknown[], value: unknown): boolean {
  // An array field matches when any of its elements does.
  if (Array.isArray(value)) return value.some((element) => matchesValue(allowed, element));
  return allowed.some((candidate) => candidate === (value as Scalar));
}
