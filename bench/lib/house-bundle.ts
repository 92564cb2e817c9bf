/**
 * The house Lambda bundle without CDK: the esbuild options `NodejsFunction` derives from the bundling
 * props in infra/aws/campaign-function.ts (Node.js 24 target, ESM, minified, source map without
 * sources, AWS SDK bundled, the `require` shim banner, main fields module,main, the repository's
 * tsconfig). `houseBundlingDrift` reads that file and names any difference, so the two cannot drift apart
 * unnoticed.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';

export const repoRoot = resolve(import.meta.dirname, '../..');
const constructFile = join(repoRoot, 'infra/aws/campaign-function.ts');

/** The banner of campaign-function.ts (`requireShim`). */
export const requireShim =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** The bundling props this file reproduces, as they are written in the construct. */
const expectedBundlingProps: Record<string, string> = {
  format: 'OutputFormat.ESM',
  mainFields: "['module', 'main']",
  banner: 'requireShim',
  minify: 'true',
  sourceMap: 'true',
  sourcesContent: 'false',
  bundleAwsSDK: 'true',
  tsconfig: "join(repoRoot, 'tsconfig.json')",
};

/** The text inside `bundling: { ... }` of the construct (braces balanced; strings there hold none). */
const bundlingBlock = (source: string): string | undefined => {
  const start = source.indexOf('{', source.indexOf('bundling:'));
  if (source.indexOf('bundling:') < 0 || start < 0) return undefined;
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    if (source[i] === '{') depth += 1;
    else if (source[i] === '}') {
      depth -= 1;
      if (depth === 0) return source.slice(start + 1, i);
    }
  }
  return undefined;
};

let aliases: Promise<Record<string, string>> | undefined;
/**
 * `--alias:<module>` entries of the construct's `esbuildArgs` (written as string literals), applied here
 * too: e.g. an env-only credential provider in place of `@aws-sdk/credential-provider-node`.
 */
export const houseAliases = (): Promise<Record<string, string>> => {
  aliases ??= readFile(constructFile, 'utf8').then(aliasesIn);
  return aliases;
};

export const aliasesIn = (constructSource: string): Record<string, string> => {
  const args = /esbuildArgs:\s*\{([\s\S]*?)\}/.exec(bundlingBlock(constructSource) ?? '')?.[1] ?? '';
  return Object.fromEntries(
    [...args.matchAll(/['"]--alias:([^'"]+)['"]\s*:\s*['"]([^'"]+)['"]/g)].map((match) => [
      match[1] as string,
      match[2] as string,
    ]),
  );
};

/** What differs between the construct's bundling props and this reproduction; empty when in step. */
export const houseBundlingDrift = async (): Promise<string[]> => {
  const source = await readFile(constructFile, 'utf8');
  const problems: string[] = [];
  const banner = /const requireShim\s*=\s*"([^"]*)"/.exec(source)?.[1];
  if (banner !== requireShim) problems.push(`banner differs: ${banner ?? '(requireShim not found)'}`);
  const block = bundlingBlock(source);
  if (!block) return [...problems, 'no bundling block found in campaign-function.ts'];
  const args = /esbuildArgs:\s*\{([\s\S]*?)\}/.exec(block)?.[1];
  if (args !== undefined) {
    const understood = [...args.matchAll(/['"]--alias:[^'"]+['"]\s*:\s*['"][^'"]+['"]/g)].length;
    const entries = args.split(',').filter((entry) => entry.trim() !== '').length;
    if (understood !== entries)
      problems.push(`esbuildArgs has entries the bench does not apply: ${args.trim()}`);
  }
  const props = new Map<string, string>();
  for (const match of block.matchAll(/^\s*(\w+):\s*(.+?),?\s*$/gm)) {
    props.set(match[1] as string, (match[2] as string).replace(/,$/, ''));
  }
  for (const [key, value] of Object.entries(expectedBundlingProps)) {
    if (props.get(key) !== value) problems.push(`${key}: construct has ${props.get(key) ?? '(unset)'}`);
  }
  for (const key of props.keys()) {
    if (!(key in expectedBundlingProps) && key !== 'esbuildArgs') {
      problems.push(`construct sets ${key}, which the bench does not`);
    }
  }
  if (!/Runtime\.NODEJS_24_X/.test(source)) problems.push('runtime is no longer NODEJS_24_X');
  // The cold-import environment (cold-import.ts) sets none.
  if (/NODE_OPTIONS\s*:/.test(source)) problems.push('construct sets NODE_OPTIONS, which the bench does not');
  return problems;
};

export const houseOptions = (entry: string, outfile: string): BuildOptions => ({
  entryPoints: [entry],
  bundle: true,
  // NodejsFunction: --target from the runtime (nodejs24.x), --platform=node, no externals with bundleAwsSDK.
  target: 'node24',
  platform: 'node',
  format: 'esm',
  outfile,
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: { js: requireShim },
  tsconfig: join(repoRoot, 'tsconfig.json'),
  absWorkingDir: repoRoot,
  metafile: true,
  logLevel: 'error',
});

export interface Contributor {
  name: string;
  bytes: number;
}

export interface BundleReport {
  entry: string;
  outfile: string;
  bytes: number;
  mapBytes: number;
  contributors: Contributor[];
  /** `@aws-sdk/client-*` packages (and lib-dynamodb) found in the bundle. */
  sdkPackages: string[];
  metafile: Metafile;
}

/** Groups metafile inputs by npm package, or by the project folder (`shared/domain`, `functions/api`). */
export const contributorName = (input: string): string => {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
  if (pkg) return pkg;
  return input.split('/').slice(0, 2).join('/');
};

/** Bundles an entry file, or (`{ source }`) a module given as text, resolved from the repository root. */
export const bundle = async (
  entry: string | { source: string; name: string },
  outfile: string,
  plugins: Plugin[] = [],
  /** Native modules the construct leaves out of the bundle and ships beside it (`nativeModules`). */
  external: readonly string[] = [],
): Promise<BundleReport> => {
  const options =
    typeof entry === 'string'
      ? houseOptions(entry, outfile)
      : {
          ...houseOptions('', outfile),
          entryPoints: undefined,
          stdin: {
            contents: entry.source,
            resolveDir: repoRoot,
            sourcefile: entry.name,
            loader: 'ts' as const,
          },
        };
  const alias = await houseAliases();
  const result = await build({
    ...options,
    ...(Object.keys(alias).length > 0 ? { alias } : {}),
    ...(external.length > 0 ? { external: [...external] } : {}),
    plugins,
  });
  const entryName = typeof entry === 'string' ? entry : entry.name;
  const metafile = result.metafile as Metafile;
  const outputs = Object.entries(metafile.outputs);
  const js = outputs.find(([path]) => path.endsWith('.mjs'));
  const map = outputs.find(([path]) => path.endsWith('.map'));
  if (!js) throw new Error(`esbuild wrote no .mjs for ${entryName}`);
  const byName = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(js[1].inputs)) {
    const name = contributorName(input);
    byName.set(name, (byName.get(name) ?? 0) + bytesInOutput);
  }
  const sdkPackages = [...byName.keys()]
    .filter((name) => /^@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb)$/.test(name))
    .sort();
  return {
    entry: typeof entry === 'string' ? relative(repoRoot, resolve(repoRoot, entry)) : entry.name,
    outfile,
    bytes: js[1].bytes,
    mapBytes: map?.[1].bytes ?? 0,
    contributors: [...byName].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
    sdkPackages,
    metafile,
  };
};

/** Client class of each SDK package a floor bundle constructs. */
const clientClasses: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/client-dynamodb-streams': 'DynamoDBStreamsClient',
  '@aws-sdk/client-sfn': 'SFNClient',
  '@aws-sdk/client-kms': 'KMSClient',
  '@aws-sdk/client-cloudwatch': 'CloudWatchClient',
  '@aws-sdk/client-s3': 'S3Client',
  '@aws-sdk/client-sqs': 'SQSClient',
  '@aws-sdk/client-sns': 'SNSClient',
  '@aws-sdk/client-lambda': 'LambdaClient',
  '@aws-sdk/client-eventbridge': 'EventBridgeClient',
  '@aws-sdk/client-cognito-identity-provider': 'CognitoIdentityProviderClient',
};

/**
 * The floor of a function: a module that imports and constructs only the SDK clients the function's
 * bundle contains (a DynamoDB document client when lib-dynamodb is there), nothing else.
 */
export const floorSource = (sdkPackages: readonly string[]): { source: string; unknown: string[] } => {
  const lines: string[] = [];
  const constructed: string[] = [];
  const unknown: string[] = [];
  for (const pkg of sdkPackages) {
    if (pkg === '@aws-sdk/lib-dynamodb') continue;
    const className = clientClasses[pkg];
    if (!className) {
      unknown.push(pkg);
      continue;
    }
    lines.push(`import { ${className} } from '${pkg}';`);
    constructed.push(`new ${className}({})`);
  }
  if (sdkPackages.includes('@aws-sdk/lib-dynamodb')) {
    lines.push("import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';");
    const index = constructed.indexOf('new DynamoDBClient({})');
    const document = 'DynamoDBDocumentClient.from(new DynamoDBClient({}))';
    if (index >= 0) constructed[index] = document;
    else {
      lines.push("import { DynamoDBClient } from '@aws-sdk/client-dynamodb';");
      constructed.push(document);
    }
  }
  lines.push(`export const clients = [${constructed.join(', ')}];`);
  return { source: `${lines.join('\n')}\n`, unknown };
};
