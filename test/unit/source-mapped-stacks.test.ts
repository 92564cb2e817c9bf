import { execFile } from 'node:child_process';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

// A function's module as the house bundles it: minified ESM with a source map of mappings only. It
// loads the logger, as every logging function does.
const probeSource = [
  "import { readFileSync } from 'node:fs';",
  "import '#shared/observability/logger';",
  'export function fileTheComplaint(): never {',
  "  throw new RangeError('the fee is out of range');",
  '}',
  '',
  'export function stackOfFailedFiling(): string {',
  '  try {',
  '    fileTheComplaint();',
  '  } catch (error) {',
  "    return (error as Error).stack ?? '';",
  '  }',
  "  return '';",
  '}',
  '',
  'export const stackOfProbe = (): string => stackOfFailedFiling();',
  '',
  'export function stackOfNodeError(): string {',
  '  try {',
  '    readFileSync({} as never);',
  '  } catch (error) {',
  "    return (error as Error).stack ?? '';",
  '  }',
  "  return '';",
  '}',
].join('\n');

let dir: string;
let bundleFile: string;

/** Imports the bundle in a fresh Node (the deployed environment sets no NODE_OPTIONS) and formats a stack. */
const stackFromFreshNode = async (
  nodeArguments: string[] = [],
  beforeStack = '',
  probe = 'stackOfProbe',
): Promise<{ stack: string; hooked: boolean }> => {
  const script = `const nodeFormatting = Error.prepareStackTrace; const m = await import(${JSON.stringify(pathToFileURL(bundleFile).href)}); ${beforeStack} const stack = m.${probe}(); process.stdout.write(JSON.stringify({ stack, hooked: Error.prepareStackTrace !== nodeFormatting }));`;
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const { stdout } = await run(process.execPath, [...nodeArguments, '--input-type=module', '-e', script], {
    env,
  });
  return JSON.parse(stdout) as { stack: string; hooked: boolean };
};

describe('mapStackTracesOfBundle', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mapped-stacks-'));
    bundleFile = join(dir, 'index.mjs');
    await build({
      stdin: {
        contents: probeSource,
        resolveDir: process.cwd(),
        sourcefile: 'probe/filing.ts',
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      outfile: bundleFile,
      logLevel: 'error',
    });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the TypeScript source, line and function of each frame in the bundle', async () => {
    const { stack, hooked } = await stackFromFreshNode();

    const lines = stack.split('\n');
    expect(hooked).toBe(true);
    expect(lines[0]).toBe('RangeError: the fee is out of range');
    expect(lines[1]).toMatch(/^ {4}at fileTheComplaint \((?:[\w.-]+\/)*probe\/filing\.ts:4:\d+\)$/);
    expect(lines[2]).toMatch(/^ {4}at stackOfFailedFiling \((?:[\w.-]+\/)*probe\/filing\.ts:9:\d+\)$/);
  });

  it('reads the map when a stack is first formatted, not when the bundle is imported', async () => {
    const moveMapAway = `await (await import('node:fs/promises')).rename(${JSON.stringify(`${bundleFile}.map`)}, ${JSON.stringify(`${bundleFile}.map.moved`)});`;

    const { stack } = await stackFromFreshNode([], moveMapAway).finally(() =>
      rename(`${bundleFile}.map.moved`, `${bundleFile}.map`),
    );

    expect(stack.split('\n')[1]).toMatch(/index\.mjs:\d+:\d+\)$/);
  });

  it("keeps what Node writes in an error's first line, its code", async () => {
    const { stack } = await stackFromFreshNode([], '', 'stackOfNodeError');

    expect(stack.split('\n')[0]).toMatch(/^TypeError \[ERR_INVALID_ARG_TYPE\]: /);
    expect(stack).toMatch(/at \S+ \((?:[\w.-]+\/)*probe\/filing\.ts:\d+:\d+\)/);
  });

  it('leaves stacks as V8 writes them when no map is beside the bundle', async () => {
    await rename(`${bundleFile}.map`, `${bundleFile}.map.moved`);

    const { stack, hooked } = await stackFromFreshNode().finally(() =>
      rename(`${bundleFile}.map.moved`, `${bundleFile}.map`),
    );

    expect(hooked).toBe(false);
    expect(stack.split('\n')[1]).toMatch(/index\.mjs:\d+:\d+\)$/);
  });

  it('leaves the mapping to Node when Node maps stacks itself', async () => {
    const { stack, hooked } = await stackFromFreshNode(['--enable-source-maps']);

    expect(hooked).toBe(false);
    expect(stack).toContain('probe/filing.ts:4:');
  });
});
