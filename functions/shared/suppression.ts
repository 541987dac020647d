// Addresses that must not be mailed again (permanent bounces, complaints), kept apart from the
// mailer so that the handler recording them carries no SES client.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './aws.js';
import { config } from './config.js';
import { suppressionKey } from './keys.js';

/** Never mail this address again. */
export async function suppress(
  address: string,
  reason: { kind: 'bounce' | 'complaint'; at: string; messageId?: string },
): Promise<void> {
  await dynamo().send(
    new PutCommand({
      TableName: config.tableName(),
      Item: { ...suppressionKey(address), type: 'suppression', address: address.toLowerCase(), ...reason },
    }),
  );
}

export async function isSuppressed(address: string): Promise<boolean> {
  const { Item } = await dynamo().send(new GetCommand({ TableName: config.tableName(), Key: suppressionKey(address) }));
  return Item !== undefined;
}
