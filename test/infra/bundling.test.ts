// The bundles: every function's asset in a real `cdk synth` is byte for byte what bench/ builds from
// infra/bundling.ts, and each handler's bundle calls exactly the AWS APIs that its wiring needs grant
// (and no DynamoDB command that the table grant leaves out).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandler, commandsIn, type Bundle } from '../../bench/bundle.js';
import { buildApp } from '../../infra/build-app.js';
import { handlerBundling, translatedBundlingKeys } from '../../infra/bundling.js';
import { handlerTag, tableDataActions } from '../../infra/stateless-stack.js';
import { allHandlerIds, needsOf, type HandlerId, type Need } from '../../infra/wiring.js';

const outdir = mkdtempSync(join(tmpdir(), 'sparraus-synth-'));
/** index.mjs of each function's asset, as `cdk synth` bundles it. */
const deployed = new Map<HandlerId, Buffer>();
/** The same handlers, bundled the way bench/ bundles them. */
const benched = new Map<HandlerId, Bundle>();

beforeAll(async () => {
  // With bundling (no `aws:cdk:bundling-stacks` override): NodejsFunction runs esbuild as in `cdk synth`.
  const { app, stateless } = buildApp({ outdir });
  app.synth();
  // The functions are in the capabilities' nested stacks.
  const resources = stateless.capabilities.flatMap(
    (stack) => Object.values(Template.fromStack(stack).toJSON().Resources) as { Type: string; Properties: any }[],
  );
  for (const resource of resources) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const handlerId = resource.Properties.Tags.find((t: { Key: string }) => t.Key === handlerTag).Value as HandlerId;
    const assetHash = /^([0-9a-f]{64})\.zip$/.exec(resource.Properties.Code.S3Key)?.[1];
    if (!assetHash) throw new Error(`${handlerId}: unexpected S3Key ${resource.Properties.Code.S3Key}`);
    deployed.set(handlerId, readFileSync(join(outdir, `asset.${assetHash}`, 'index.mjs')));
  }
  for (const id of allHandlerIds()) benched.set(id, await bundleHandler(id));
}, 180_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the bench measures what deploys', () => {
  it('translates every bundling option of the stack into esbuild options', () => {
    expect(Object.keys(handlerBundling).filter((key) => !translatedBundlingKeys.includes(key as never))).toEqual([]);
  });

  it("builds each handler's bundle byte for byte as cdk synth does", () => {
    expect([...deployed.keys()].sort()).toEqual(allHandlerIds());
    for (const id of allHandlerIds()) {
      const ours = Buffer.from(benched.get(id)!.code);
      expect({ id, bytes: ours.length, equal: ours.equals(deployed.get(id)!) }).toEqual({
        id,
        bytes: deployed.get(id)!.length,
        equal: true,
      });
    }
  });
});

describe('needs of the wiring table', () => {
  // The IAM action each need grants (infra/stateless-stack.ts), as the SDK command that calls it.
  const commandOf: Record<Need, { client: string; command: string }> = {
    'publish-events': { client: 'eventbridge', command: 'PutEventsCommand' },
    'send-email': { client: 'sesv2', command: 'SendEmailCommand' },
  };

  it('each handler bundles exactly the EventBridge and SES commands its needs grant, and no other AWS client', () => {
    for (const id of allHandlerIds()) {
      const { dynamodb: _table, ...beyondTable } = commandsIn(benched.get(id)!.metafile);
      const expected: Record<string, string[]> = {};
      for (const need of needsOf(id)) (expected[commandOf[need].client] ??= []).push(commandOf[need].command);
      expect({ id, commands: beyondTable }).toEqual({ id, commands: expected });
    }
  });

  // The IAM actions DynamoDB checks for each command (Service Authorization Reference): a
  // transaction is authorized per item, as the single-item actions it contains.
  const tableActionsOf: Record<string, string[]> = {
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
    // Bundled with every DynamoDB client for endpoint discovery, which DynamoDB leaves off by default:
    // never sent.
    DescribeEndpointsCommand: [],
  };

  it('each handler bundles only DynamoDB commands whose actions the table grant allows (DynamoDB Local checks no IAM)', () => {
    for (const id of allHandlerIds()) {
      const commands = commandsIn(benched.get(id)!.metafile).dynamodb ?? [];
      const unmapped = commands.filter((c) => !(c in tableActionsOf));
      expect({ id, unmapped }, 'add the IAM actions of these commands to tableActionsOf').toEqual({ id, unmapped: [] });
      const missing = [...new Set(commands.flatMap((c) => tableActionsOf[c]!))].filter(
        (action) => !tableDataActions.includes(action),
      );
      expect({ id, missing }).toEqual({ id, missing: [] });
    }
  });
});
