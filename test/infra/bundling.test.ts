// The bundles: every function's asset in a real `cdk synth` is byte for byte what bench/ builds from
// infra/bundling.ts, and each handler's bundle calls exactly the AWS APIs that its wiring needs grant
// and exactly the table actions its own grant allows (infra/table-grants.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandler, commandsIn, type Bundle } from '../../bench/bundle.js';
import { buildApp } from '../../infra/build-app.js';
import { handlerBundling, translatedBundlingKeys } from '../../infra/bundling.js';
import { handlerTag } from '../../infra/stateless-stack.js';
import { tableActionsFor, tableGrantOf } from '../../infra/table-grants.js';
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
  // The IAM actions each need grants (infra/stateless-stack.ts), as the SDK commands that call them.
  const commandsOf: Record<Need, { client: string; commands: string[] }> = {
    'send-email': { client: 'sesv2', commands: ['SendEmailCommand'] },
    'manage-tutor-accounts': {
      client: 'cognito-identity-provider',
      commands: ['AdminAddUserToGroupCommand', 'AdminCreateUserCommand', 'AdminGetUserCommand'],
    },
  };
  /**
   * Needs granted before the handler's code uses them: POST /tutors is to call
   * functions/shared/staff-accounts.ts (issue 12, finding 8) once functions/tutoring/ is rewritten.
   * When the bundle calls it, the test below says to remove the entry here.
   */
  const grantedAhead = new Map<HandlerId, Need>();

  it('each handler bundles exactly the AWS commands its needs grant, and no other AWS client', () => {
    for (const id of allHandlerIds()) {
      const { dynamodb: _table, ...beyondTable } = commandsIn(benched.get(id)!.metafile);
      const ahead = grantedAhead.get(id);
      if (ahead) {
        expect(beyondTable[commandsOf[ahead].client], `${id} now calls ${ahead}: remove it from grantedAhead`).toBeUndefined();
      }
      const expected: Record<string, string[]> = {};
      for (const need of needsOf(id).filter((n) => n !== ahead)) {
        (expected[commandsOf[need].client] ??= []).push(...commandsOf[need].commands);
      }
      expect({ id, commands: beyondTable }).toEqual({ id, commands: expected });
    }
  });

  it('each handler is granted exactly the table actions of the DynamoDB commands in its bundle (npm run grants)', () => {
    const stale: string[] = [];
    for (const id of allHandlerIds()) {
      const called = tableActionsFor(commandsIn(benched.get(id)!.metafile).dynamodb ?? []);
      if (JSON.stringify(called) !== JSON.stringify([...tableGrantOf(id)])) stale.push(`${id}: bundle ${called.join(' ')}`);
    }
    expect(stale, 'run npm run grants and commit infra/table-grants.generated.ts').toEqual([]);
  });
});
