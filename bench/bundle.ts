// Builds handler bundles exactly as the CDK app does (infra/bundling.ts), and floor bundles that only
// construct AWS SDK clients, and reads from esbuild's metafile what ended up in each.
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { handlerEsbuildOptions } from '../infra/bundling.js';
import { handlerEntry, type HandlerId } from '../infra/wiring.js';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** AWS SDK clients the handlers construct (functions/shared/aws.ts), by package suffix. */
export const sdkClients = ['dynamodb', 'eventbridge', 'sesv2', 'cognito-identity-provider'] as const;
export type SdkClient = (typeof sdkClients)[number];

/** How a floor bundle constructs each client: as functions/shared/aws.ts does, with default config. */
const clientSource: Record<SdkClient, { imports: string[]; construct: string; className: string }> = {
  dynamodb: {
    imports: [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
    ],
    construct: 'DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } })',
    className: 'DynamoDBClient',
  },
  eventbridge: {
    imports: ["import { EventBridgeClient } from '@aws-sdk/client-eventbridge';"],
    construct: 'new EventBridgeClient({})',
    className: 'EventBridgeClient',
  },
  sesv2: {
    imports: ["import { SESv2Client } from '@aws-sdk/client-sesv2';"],
    construct: 'new SESv2Client({})',
    className: 'SESv2Client',
  },
  'cognito-identity-provider': {
    imports: ["import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';"],
    construct: 'new CognitoIdentityProviderClient({})',
    className: 'CognitoIdentityProviderClient',
  },
};

/**
 * Source of a floor handler: it constructs the given clients on its first invocation (as the real
 * handlers do, so importing it does the same kind of work as importing one of them) and nothing else.
 */
export function floorSource(clients: readonly SdkClient[]): string {
  const ordered = sdkClients.filter((c) => clients.includes(c));
  return [
    ...ordered.flatMap((c) => clientSource[c].imports),
    'let clients;',
    `export const handler = async () => { clients ??= [${ordered.map((c) => clientSource[c].construct).join(', ')}]; };`,
    '',
  ].join('\n');
}

export interface Bundle {
  /** The bundle, as NodejsFunction would write it to index.mjs. */
  readonly code: Uint8Array;
  readonly bytes: number;
  readonly metafile: Metafile;
}

const outfile = 'index.mjs';

async function bundle(input: Pick<BuildOptions, 'entryPoints' | 'stdin'>): Promise<Bundle> {
  const result = await build({
    ...handlerEsbuildOptions(),
    ...input,
    absWorkingDir: projectRoot,
    outfile,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output || result.outputFiles.length !== 1) throw new Error('esbuild wrote other than one file');
  return { code: output.contents, bytes: output.contents.byteLength, metafile: result.metafile };
}

/** A handler's bundle, built from its entry as the stack builds it. */
export function bundleHandler(id: HandlerId): Promise<Bundle> {
  return bundle({ entryPoints: [handlerEntry(id)] });
}

/** The floor bundle for a set of clients, built with the same options. */
export function bundleFloor(clients: readonly SdkClient[]): Promise<Bundle> {
  return bundle({
    stdin: { contents: floorSource(clients), resolveDir: projectRoot, sourcefile: 'floor.mjs', loader: 'js' },
  });
}

/** Bytes in the output from each input file with a share of it. */
function inputsOf(metafile: Metafile): [path: string, bytes: number][] {
  const outputs = Object.values(metafile.outputs);
  if (outputs.length !== 1) throw new Error(`Expected one output in the metafile, found ${outputs.length}`);
  return Object.entries(outputs[0]!.inputs)
    .map(([path, input]) => [path, input.bytesInOutput] as [string, number])
    .filter(([, bytes]) => bytes > 0);
}

/** The package an input file belongs to (`zod`, `@aws-sdk/core`), or its project folder (`functions/intake`). */
export function ownerOf(path: string): string {
  // The innermost node_modules wins: a nested copy belongs to its own package.
  const inPackage = [...path.matchAll(/(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)(?=\/)/g)].at(-1);
  if (inPackage) return inPackage[1]!;
  const parts = path.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : path;
}

/** Bytes per package (or project folder), largest first. */
export function bytesByOwner(metafile: Metafile): { owner: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const [path, bytes] of inputsOf(metafile)) totals.set(ownerOf(path), (totals.get(ownerOf(path)) ?? 0) + bytes);
  return [...totals].map(([owner, bytes]) => ({ owner, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** The SDK clients whose client class made it into the bundle (tree-shaking drops unused ones). */
export function clientsIn(metafile: Metafile): SdkClient[] {
  const paths = inputsOf(metafile).map(([path]) => path);
  return sdkClients.filter((c) =>
    paths.some((p) => p.endsWith(`/@aws-sdk/client-${c}/dist-es/${clientSource[c].className}.js`)),
  );
}

/** The commands of each `@aws-sdk/client-*` package in the bundle, e.g. `{ eventbridge: ['PutEventsCommand'] }`. */
export function commandsIn(metafile: Metafile): Record<string, string[]> {
  const commands: Record<string, string[]> = {};
  for (const [path] of inputsOf(metafile)) {
    const match = /\/@aws-sdk\/client-([^/]+)\/dist-(?:es|cjs)\/commands\/(\w+Command)\.js$/.exec(path);
    if (match) (commands[match[1]!] ??= []).push(match[2]!);
  }
  for (const list of Object.values(commands)) list.sort();
  return commands;
}
