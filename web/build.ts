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
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const webRoot = dirname(fileURLToPath(import.meta.url));
const source = join(webRoot, 'src');
const zodRoot = resolve(webRoot, '../node_modules/zod/v4');

/**
 * A file of the site. The script and the stylesheet are named by their content's hash
 * (`assets/app.[hash].js`), so they can be cached for good; index.html, which names them, and the
 * icon keep their names and are revalidated.
 */
export interface SiteFile {
  content: Uint8Array;
  type: string;
  /** Named by its content: `Cache-Control: public, max-age=31536000, immutable`. */
  immutable: boolean;
}
/** Path on the site (without the leading slash) -> file. */
export type Site = Map<string, SiteFile>;

export const hashedAssetsFolder = 'assets';
export const immutableCacheControl = 'public, max-age=31536000, immutable';
export const revalidatedCacheControl = 'no-cache';

const types = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
} as const;

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

/** Points index.html's `/app.js`-style reference at the hashed file; the reference must be there. */
const linkHashed = (html: string, attribute: 'src' | 'href', plain: string, hashed: string): string => {
  const reference = `${attribute}="/${plain}"`;
  if (!html.includes(reference)) throw new Error(`web/src/index.html has no ${reference}`);
  return html.replace(reference, `${attribute}="/${hashed}"`);
};

export async function buildWeb(options: BuildOptions = {}): Promise<Site> {
  const outdir = join(webRoot, 'out');
  const shared = {
    bundle: true,
    minify: options.minify ?? true,
    write: false,
    outdir,
    entryNames: `${hashedAssetsFolder}/[name].[hash]`,
    logLevel: 'silent',
  } as const;
  const result = await esbuild.build({
    ...shared,
    entryPoints: { app: join(source, 'main.ts') },
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    sourcemap: false,
    legalComments: 'none',
    plugins: [slimZod],
    metafile: true,
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  options.onMetafile?.(result.metafile);
  const css = await esbuild.build({ ...shared, entryPoints: { app: join(source, 'app.css') } });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const style = css.outputFiles.find((file) => file.path.endsWith('.css'));
  if (!js || !style) throw new Error('The web build produced no script or stylesheet');
  const jsName = relative(outdir, js.path).split(sep).join('/');
  const cssName = relative(outdir, style.path).split(sep).join('/');
  let html = await readFile(join(source, 'index.html'), 'utf8');
  html = linkHashed(html, 'src', 'app.js', jsName);
  html = linkHashed(html, 'href', 'app.css', cssName);
  const files: Site = new Map([
    ['index.html', { content: Buffer.from(html), type: types.html, immutable: false }],
    [jsName, { content: js.contents, type: types.js, immutable: true }],
    [cssName, { content: style.contents, type: types.css, immutable: true }],
    [
      'favicon.svg',
      { content: await readFile(join(source, 'favicon.svg')), type: types.svg, immutable: false },
    ],
  ]);
  if (options.outdir) {
    for (const [name, file] of files) {
      await mkdir(dirname(join(options.outdir, name)), { recursive: true });
      await writeFile(join(options.outdir, name), file.content);
    }
  }
  return files;
}

const runDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) {
  const outdir = resolve(process.argv[2] ?? join(webRoot, 'dist'));
  const files = await buildWeb({ outdir });
  const sizes = [...files].map(([name, file]) => `${name} ${file.content.byteLength} B`).join(', ');
  console.log(`web built into ${outdir}: ${sizes}`);
}
