// The emulators from test/global-setup.ts as tests see them: an isolated table with the real key
// schema and TTL, and the SES inbox, through the real SDK clients and the env the setup file sets.
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { tableKeys } from '../../infra/table-definition.js';
import { ensureTable } from '../../local/dynamodb.js';
import { createIsolatedTable, readInbox, waitFor } from '../../local/testing.js';

describe('emulators for tests', () => {
  it('creates an isolated table like the real one, with TTL on, and ensureTable is idempotent', async () => {
    const tableName = await createIsolatedTable('local-emulators');
    expect(tableName).toMatch(/^local-emulators-[a-z0-9]+-[0-9a-f]{8}$/);
    // Endpoint, region and credentials from the environment, as handlers get them.
    const client = new DynamoDBClient({});
    try {
      await ensureTable(client, tableName);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      expect(Table?.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([tableKeys.gsi1.indexName]);
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
      expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    } finally {
      client.destroy();
    }
    expect(await createIsolatedTable('local-emulators')).not.toBe(tableName);
  });

  it('delivers SES v2 mail to the inbox, readable per recipient', async () => {
    const to = `inbox-${Date.now()}@example.fi`;
    const ses = new SESv2Client({});
    try {
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'no-reply@sparraus.local',
          Destination: { ToAddresses: [to] },
          Content: { Simple: { Subject: { Data: 'Hei' }, Body: { Text: { Data: 'Tervetuloa' } } } },
        }),
      );
    } finally {
      ses.destroy();
    }
    const [email] = await waitFor(() => readInbox({ to }).then((emails) => (emails.length > 0 ? emails : undefined)));
    expect(email).toMatchObject({ subject: 'Hei', from: 'no-reply@sparraus.local', body: { text: 'Tervetuloa' } });
    expect(await readInbox({ to: 'nobody@example.fi' })).toEqual([]);
  });

  it('waitFor returns the first truthy value and times out with the last error', async () => {
    let calls = 0;
    expect(await waitFor(() => (++calls >= 3 ? 'ready' : undefined), { intervalMs: 1 })).toBe('ready');
    await expect(
      waitFor(
        () => {
          throw new Error('still broken');
        },
        { timeoutMs: 50, message: 'the thing' },
      ),
    ).rejects.toMatchObject({ message: 'waitFor: the thing not met within 50 ms', cause: { message: 'still broken' } });
  });
});
