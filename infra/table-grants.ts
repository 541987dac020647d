// Least privilege on the table: each function may call the DynamoDB actions its own code calls, no
// more. Which commands a handler's code calls is read from its bundle (esbuild's metafile lists the
// SDK command modules that made it in) by `npm run grants`, which writes table-grants.generated.ts;
// test/infra/bundling.test.ts rebuilds the bundles and checks the file against them both ways.
import type { HandlerId } from './wiring.js';
import { generatedTableGrants } from './table-grants.generated.js';

/**
 * The IAM actions DynamoDB checks for each command (Service Authorization Reference): a transaction
 * is authorized per item, as the single-item actions it may contain.
 */
export const tableActionsOfCommand: Readonly<Record<string, readonly string[]>> = {
  GetItemCommand: ['dynamodb:GetItem'],
  BatchGetItemCommand: ['dynamodb:BatchGetItem'],
  TransactGetItemsCommand: ['dynamodb:GetItem'],
  QueryCommand: ['dynamodb:Query'],
  ScanCommand: ['dynamodb:Scan'],
  PutItemCommand: ['dynamodb:PutItem'],
  UpdateItemCommand: ['dynamodb:UpdateItem'],
  DeleteItemCommand: ['dynamodb:DeleteItem'],
  BatchWriteItemCommand: ['dynamodb:BatchWriteItem'],
  TransactWriteItemsCommand: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
  DescribeTableCommand: ['dynamodb:DescribeTable'],
  // Bundled with every DynamoDB client for endpoint discovery, which DynamoDB leaves off by default:
  // never sent.
  DescribeEndpointsCommand: [],
};

/** The actions a list of bundled DynamoDB commands needs, sorted; throws on a command it does not know. */
export function tableActionsFor(commands: readonly string[]): string[] {
  const unknown = commands.filter((command) => !(command in tableActionsOfCommand));
  if (unknown.length > 0) throw new Error(`Add the IAM actions of ${unknown.join(', ')} to tableActionsOfCommand`);
  return [...new Set(commands.flatMap((command) => tableActionsOfCommand[command]!))].sort();
}

/** The table actions of a handler, as last generated from its bundle. */
export function tableGrantOf(handlerId: HandlerId): readonly string[] {
  const actions = (generatedTableGrants as Readonly<Record<string, readonly string[]>>)[handlerId];
  if (!actions) throw new Error(`No table grant for ${handlerId}: run npm run grants`);
  return actions;
}
