// The bench's plain parts: statistics, the table layout, floor sources and package attribution. No timing here.
import { describe, expect, it } from 'vitest';
import { floorSource, ownerOf } from '../../bench/bundle.js';
import { formatTable, median, times } from '../../bench/report.js';

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
