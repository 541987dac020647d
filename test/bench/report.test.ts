// The bench's plain parts: statistics, the table layout, floor sources and package attribution. No timing here.
import { describe, expect, it } from 'vitest';
import { floorSource, ownerOf } from '../../bench/bundle.js';
import { suggestedMemoryMb } from '../../bench/memory.js';
import { minimumFor } from '../../bench/minimums.js';
import { formatTable, median, percentiles, times } from '../../bench/report.js';
import { capacityOf, triggerOf, type CommandCount } from '../../bench/requests.js';
import { requestNotes, requestRows, type StackFigures } from '../../bench/stack.js';

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow();
  });
});

describe('formatTable', () => {
  it('aligns text left and numbers right, under a rule as wide as each column', () => {
    const table = formatTable<{ name: string; kb: number }>(
      [
        { header: 'bundle', value: (r) => r.name },
        { header: 'KB', align: 'right', value: (r) => r.kb.toFixed(1) },
        { header: 'size', align: 'right', value: (r) => times(r.kb / 100) },
      ],
      [
        { name: 'intake/apply', kb: 480.4 },
        { name: 'floor', kb: 98 },
      ],
    );
    expect(table.split('\n')).toEqual([
      'bundle           KB   size',
      '------------  -----  -----',
      'intake/apply  480.4  ×4.80',
      'floor          98.0  ×0.98',
    ]);
  });
});

describe('floorSource', () => {
  it('imports and constructs only the clients asked for, in a fixed order, on first invocation', () => {
    const source = floorSource(['sesv2', 'dynamodb']);
    expect(source).toContain("from '@aws-sdk/client-dynamodb'");
    expect(source).toContain("from '@aws-sdk/lib-dynamodb'");
    expect(source).toContain("from '@aws-sdk/client-sesv2'");
    expect(source).not.toContain('eventbridge');
    expect(source.indexOf('DynamoDBDocumentClient.from')).toBeLessThan(source.indexOf('new SESv2Client'));
    expect(source).toMatch(/export const handler = async \(\) => \{ clients \?\?= \[/);
  });
});

describe('ownerOf', () => {
  it('names the package of a node_modules file and the folder of a project file', () => {
    expect(ownerOf('node_modules/zod/v4/core/schemas.js')).toBe('zod');
    expect(ownerOf('node_modules/@aws-sdk/core/dist-es/index.js')).toBe('@aws-sdk/core');
    expect(ownerOf('node_modules/a/node_modules/@smithy/core/dist-es/x.js')).toBe('@smithy/core');
    expect(ownerOf('functions/intake/handlers/apply.ts')).toBe('functions/intake');
    expect(ownerOf('infra/wiring.ts')).toBe('infra/wiring.ts');
  });
});

describe('percentiles', () => {
  it('takes nearest ranks of the sorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(values)).toEqual({ p50: 50, p95: 95, p99: 99, max: 100 });
    expect(percentiles([7])).toEqual({ p50: 7, p95: 7, p99: 7, max: 7 });
    expect(() => percentiles([])).toThrow();
  });
});

describe('DynamoDB request counting', () => {
  it('names the trigger of an HTTP, event or scheduled invocation', () => {
    expect(triggerOf({ routeKey: 'POST /rounds' })).toBe('POST /rounds');
    expect(triggerOf({ 'detail-type': 'ApplicationReceived' })).toBe('ApplicationReceived');
    expect(triggerOf(undefined)).toBe('invocation');
  });

  it('sums consumed capacity of one call, a transaction or nothing', () => {
    expect(capacityOf({ CapacityUnits: 1.5 })).toBe(1.5);
    expect(capacityOf([{ CapacityUnits: 2 }, { CapacityUnits: 4 }])).toBe(6);
    expect(capacityOf(undefined)).toBe(0);
  });

  it('compares each command with its written-down minimum, per invocation', () => {
    const count: CommandCount = {
      handler: 'intake/apply',
      trigger: 'POST /rounds/{roundId}/applications',
      invocations: 4,
      calls: 12,
      attempts: 12,
      byOperation: { GetItem: 8, TransactWriteItems: 4 },
      capacityUnits: 20,
    };
    const size = { municipalities: 4, tutors: 2, meetingsPerEngagement: 2, registrations: 20 };
    expect(minimumFor(count, size)?.requests).toBe(2);
    expect(minimumFor({ ...count, handler: 'unknown/handler' }, size)).toBeUndefined();
    const figures = { requests: [count], lifecycle: size } as unknown as StackFigures;
    const [row] = requestRows(figures);
    expect(row).toMatchObject({ perCall: 3, minimum: 2, ratio: 1.5, operations: 'Get 2, TxWrite 1' });
    expect(requestNotes([row!])).toEqual([]);
    expect(requestNotes([{ ...row!, ratio: 2 }])[0]).toContain('intake/apply');
  });

  it('suggests the smallest Lambda memory with half again of headroom', () => {
    expect(suggestedMemoryMb(80)).toBe(128);
    expect(suggestedMemoryMb(90)).toBe(192);
    expect(suggestedMemoryMb(200)).toBe(384);
  });
});
