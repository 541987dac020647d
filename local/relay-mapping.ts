// What the pipe does to one stream record, done here for the local relay: the filter, the dynamic
// DetailType and Source paths and the input template of infra/outbox-relay.ts, read generically so
// that a change there changes both relays (test/local/relay-mapping.test.ts holds them to it).
import { outboxRelay } from '../infra/outbox-relay.js';
import { matchesPattern, type EventPattern } from './event-pattern.js';
import { LocalRuntimeError } from './errors.js';

/** A stream record as the DynamoDB Streams API returns it (and as the pipe sees it, in JSON). */
export type StreamRecord = Record<string, unknown>;

/** A PutEvents entry the relay sends. */
export interface RelayedEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName: string;
}

/** True for the records the pipe's filter lets through: newly written event items. */
export function passesRelayFilter(record: StreamRecord): boolean {
  return matchesPattern(outboxRelay.filterPattern as unknown as EventPattern, asJson(record));
}

/** The bus entry the pipe makes of a record that passed the filter. */
export function relayedEntry(record: StreamRecord, eventBusName: string): RelayedEntry {
  const json = asJson(record);
  const { detailType, source, inputTemplate } = outboxRelay.target;
  return {
    Source: requireString(valueAt(json, source), source),
    DetailType: requireString(valueAt(json, detailType), detailType),
    Detail: JSON.stringify(fillTemplate(inputTemplate, json)),
    EventBusName: eventBusName,
  };
}

/**
 * The value at a JSONPath of the simple form the pipe's parameters use (`$.a.b.c`): undefined when
 * any step is missing.
 */
export function valueAt(json: unknown, jsonPath: string): unknown {
  if (!jsonPath.startsWith('$.')) throw new LocalRuntimeError(`Unsupported JSONPath ${jsonPath}: expected $.field.field…`);
  let value: unknown = json;
  for (const step of jsonPath.slice(2).split('.')) {
    if (typeof value !== 'object' || value === null || !(step in value)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/**
 * Fills an input template as EventBridge does: `"<$.path>"` (quoted) inserts the value as a string,
 * `<$.path>` (unquoted) inserts it as JSON. The result must be JSON, as the pipe requires.
 */
export function fillTemplate(template: string, json: unknown): unknown {
  const filled = template.replace(/"<(\$[^>]*)>"|<(\$[^>]*)>/g, (_match, quoted?: string, bare?: string) => {
    const jsonPath = (quoted ?? bare)!;
    const value = valueAt(json, jsonPath);
    if (value === undefined) throw new LocalRuntimeError(`The record has nothing at ${jsonPath}, which the input template reads`);
    return quoted !== undefined ? JSON.stringify(typeof value === 'string' ? value : JSON.stringify(value)) : JSON.stringify(value);
  });
  try {
    return JSON.parse(filled);
  } catch (error) {
    throw new LocalRuntimeError(`The input template did not give JSON: ${filled.slice(0, 200)}`, { cause: error });
  }
}

// The SDK returns dates and byte arrays; the pipe sees the record as JSON text.
function asJson(record: StreamRecord): unknown {
  return JSON.parse(JSON.stringify(record));
}

function requireString(value: unknown, jsonPath: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new LocalRuntimeError(`The record has no string at ${jsonPath}, which the pipe's target reads`);
  }
  return value;
}
