/**
 * Builds the web portal: `web/src/main.ts` bundled by esbuild (the browser reuses the server's zod
 * schemas and money helpers from `shared/`), the stylesheet, `index.html` and the icon.
 *
 * - `buildWeb()` returns the files in memory (the local runtime serves them so, always fresh);
 * - `npm run build:web` (this file run directly) writes them to `web/dist/` or the folder given;
 * - the CDK construct runs this file as a child process to bundle the site asset.
 *
 * It imports nothing from the project, so Node 24 runs it directly (type stripping).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const webRoot = dirname(fileURLToPath(import.meta.url));
const source = join(webRoot, 'src');
const zodRoot = resolve(webRoot, '../node_modules/zod/v4');

/** Name -> content type of every file the site consists of. */
export const siteFiles = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
} as const;
export type SiteFileName = keyof typeof siteFiles;

/**
 * zod's namespace re-exports every locale and a JSON-Schema importer; the browser needs neither
 * (messages are the schemas' own, translated by the portal). Without this the bundle triples.
 */
const slimZod: esbuild.Plugin = {
  name: 'slim-zod',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${join('node_modules', 'zod')}`)
        ? { path: 'locales', namespace: 'slim-zod' }
        : undefined,
    );
    build.onResolve({ filter: /\/from-json-schema\.js$/ }, (args) =>
      args.importer.includes(`${join('node_modules', 'zod')}`)
        ? { path: 'from-json-schema', namespace: 'slim-zod' }
        : undefined,
    );
    build.onLoad({ filter: /^locales$/, namespace: 'slim-zod' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(join(zodRoot, 'locales/en.js'))};`,
      loader: 'js',
      resolveDir: zodRoot,
    }));
    build.onLoad({ filter: /^from-json-schema$/, namespace: 'slim-zod' }, () => ({
      contents: "export function fromJSONSchema() { throw new Error('not available in the browser'); }",
      loader: 'js',
    }));
  },
};

export interface BuildOptions {
  /** Write the files here as well as returning them. */
  outdir?: string;
  /** Default true; false keeps names readable for debugging. */
  minify?: boolean;
  /** Receives esbuild's metafile of the script bundle (what each module contributes). */
  onMetafile?: (metafile: esbuild.Metafile) => void;
}

export async function buildWeb(options: BuildOptions = {}): Promise<Map<SiteFileName, Uint8Array>> {
  const result = await esbuild.build({
    entryPoints: { app: join(source, 'main.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    write: false,
    outdir: 'out',
    plugins: [slimZod],
    logLevel: 'silent',
    metafile: true,
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  options.onMetafile?.(result.metafile);
  const css = await esbuild.build({
    entryPoints: [join(source, 'app.css')],
    bundle: true,
    minify: options.minify ?? true,
    write: false,
    outdir: 'out',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const style = css.outputFiles.find((file) => file.path.endsWith('.css'));
  if (!js || !style) throw new Error('The web build produced no app.js or app.css');
  const files = new Map<SiteFileName, Uint8Array>([
    ['index.html', await readFile(join(source, 'index.html'))],
    ['app.js', js.contents],
    ['app.css', style.contents],
    ['favicon.svg', await readFile(join(source, 'favicon.svg'))],
  ]);
  if (options.outdir) {
    await mkdir(options.outdir, { recursive: true });
    for (const [name, content] of files) await writeFile(join(options.outdir, name), content);
  }
  return files;
}

const runDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) {
  const outdir = resolve(process.argv[2] ?? join(webRoot, 'dist'));
  const files = await buildWeb({ outdir });
  const sizes = [...files].map(([name, content]) => `${name} ${content.byteLength} B`).join(', ');
  console.log(`web built into ${outdir}: ${sizes}`);
}
