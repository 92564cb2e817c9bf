/**
 * Stack traces of a deployed function name the TypeScript source, as with `--enable-source-maps`,
 * but the bundle's source map is read the first time a stack is formatted instead of at every cold
 * start: with the flag, Node reads and parses the map and measures every line of the bundle while
 * importing it (about 12 of the intake function's 62 CPU ms, `npm run bench`). Most cold starts
 * format no stack at all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

type CallSite = NodeJS.CallSite;

/** A frame as V8 writes it, with the bundle's position replaced by the source's when the map has one. */
const frameText = (map: SourceMap, bundleUrl: string, frames: readonly CallSite[], index: number): string => {
  const frame = frames[index] as CallSite;
  const line = frame.getLineNumber();
  const column = frame.getColumnNumber();
  if (frame.getFileName() !== bundleUrl || line === null || column === null) return String(frame);
  const entry = map.findEntry(line - 1, column - 1);
  if (!('originalSource' in entry)) return String(frame);
  // Minified functions are renamed: the map names a function where it is defined or, failing that,
  // where its caller (the next frame) calls it, as Node's own mapping does.
  const enclosing = map.findEntry(
    (frame.getEnclosingLineNumber() ?? 1) - 1,
    (frame.getEnclosingColumnNumber() ?? 1) - 1,
  );
  const caller = frames[index + 1];
  const callerEntry =
    caller?.getFileName() === bundleUrl
      ? map.findEntry((caller.getLineNumber() ?? 1) - 1, (caller.getColumnNumber() ?? 1) - 1)
      : undefined;
  const name =
    ('name' in enclosing && enclosing.name) ||
    (callerEntry && 'name' in callerEntry && callerEntry.name) ||
    frame.getFunctionName() ||
    '<anonymous>';
  const prefix = `${frame.isAsync() ? 'async ' : ''}${frame.isConstructor() ? 'new ' : ''}`;
  // esbuild names sources relative to the bundle's folder at build time, which is gone at run time.
  const source = entry.originalSource.replace(/^(?:\.\.?\/)+/, '');
  return `${prefix}${name} (${source}:${entry.originalLine + 1}:${entry.originalColumn + 1})`;
};

const defaultHeader = (error: Error): string => {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return 'Error';
  }
};

/** The bundle's map; null when it is missing or not a map, undefined when reading failed for a while. */
const readMap = (mapFile: string): SourceMap | null | undefined => {
  try {
    return new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError;
    return missing ? null : undefined;
  }
};

let installed = false;

/**
 * Installs the mapping for the bundle this module is part of, when it runs from a bundle with its map
 * beside it and Node maps no stack itself (tests and the local runtime run the sources, through tsx
 * or vitest, which map them). Once per process: the logger and a function may both ask.
 */
export const mapStackTracesOfBundle = (bundleUrl: string = import.meta.url): void => {
  if (installed || process.sourceMapsEnabled || !bundleUrl.startsWith('file:')) return;
  const mapFile = `${fileURLToPath(bundleUrl)}.map`;
  if (!existsSync(mapFile)) return;
  installed = true;
  let map: SourceMap | null | undefined;
  // Node's own formatting (Node 22 and later expose it here), for stacks the map cannot improve.
  const nodeFormatting = Error.prepareStackTrace;
  const withHeader = (error: Error, lines: string[]): string => {
    // Node's header keeps what it adds to the message (an error's code: `TypeError [ERR_…]: …`).
    const header = nodeFormatting ? String(nodeFormatting(error, [])) : defaultHeader(error);
    return [header, ...lines.map((line) => `    at ${line}`)].join('\n');
  };
  const unmapped = (error: Error, frames: CallSite[]): string =>
    nodeFormatting ? String(nodeFormatting(error, frames)) : withHeader(error, frames.map(String));
  Error.prepareStackTrace = (error, frames) => {
    // A stack with no frame in the bundle is left as it is, without reading the map.
    if (!frames.some((frame) => frame.getFileName() === bundleUrl)) return unmapped(error, frames);
    if (map === undefined) map = readMap(mapFile);
    const loaded = map;
    if (!loaded) return unmapped(error, frames);
    const lines = frames.map((frame, index) => {
      try {
        return frameText(loaded, bundleUrl, frames, index);
      } catch {
        return String(frame);
      }
    });
    return withHeader(error, lines);
  };
};
