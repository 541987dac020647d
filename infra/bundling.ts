// How every handler is built: the Lambda runtime and the esbuild options of NodejsFunction, in one
// place, so that the stack and anything that must build the same bundle (bench/, test/infra) agree.
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

// `esbuildTarget` must match this runtime: newest Node.js that this aws-cdk-lib knows, which is also
// what cdk-nag's AwsSolutions-L1 demands.
export const handlerRuntime = Runtime.NODEJS_24_X;
const esbuildTarget = 'node24';

/** Bundling options of every handler's NodejsFunction. */
export const handlerBundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: esbuildTarget,
  minify: true,
  sourceMap: false,
  // ESM-first resolution: a third smaller than esbuild's node default (`main` first), because the
  // SDK's dist-es tree-shakes and its dist-cjs does not (npm run bench: intake/apply 480 KB, not 715).
  mainFields: ['module', 'main'],
  // Bundled rather than taken from the runtime, so unused SDK code is tree-shaken away and the
  // version is the one in package-lock.json. Nothing is external.
  bundleAwsSDK: true,
  externalModules: [],
  // CommonJS dependencies inside the ESM bundle still call require().
  banner:
    "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);",
};

/**
 * The esbuild options that NodejsFunction passes for `handlerBundling` (it runs
 * `esbuild --bundle <entry> --platform=node ...`), for esbuild's JS API. Add `entryPoints` (or
 * `stdin`) and an output. test/infra/bundling.test.ts checks the result byte for byte against the
 * asset `cdk synth` builds, and that every key of `handlerBundling` is translated here.
 */
export function handlerEsbuildOptions(): BuildOptions {
  const b = handlerBundling;
  return {
    bundle: true,
    platform: 'node',
    format: b.format === OutputFormat.ESM ? 'esm' : 'cjs',
    target: b.target,
    minify: b.minify ?? false,
    sourcemap: b.sourceMap ?? false,
    mainFields: b.mainFields ? [...b.mainFields] : undefined,
    external: [...(b.externalModules ?? [])],
    banner: b.banner ? { js: b.banner } : undefined,
  };
}

/** Keys of `handlerBundling` that `handlerEsbuildOptions` translates (or that do not reach esbuild). */
export const translatedBundlingKeys: readonly (keyof BundlingOptions)[] = [
  'format',
  'target',
  'minify',
  'sourceMap',
  'mainFields',
  // Only chooses the default externals, and externalModules is given.
  'bundleAwsSDK',
  'externalModules',
  'banner',
];
