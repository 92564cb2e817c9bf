/**
 * The first worksheet of an XLSX workbook as rows of text, read with node:zlib alone: an XLSX file is a
 * zip of XML parts, and the register needs only the shared strings and the cell values of one sheet.
 * A full spreadsheet library would multiply the import function's bundle and cold start
 * (docs/associations.md, "Reading XLSX").
 */
import { inflateRawSync } from 'node:zlib';

/** A workbook the reader cannot open: not a zip, a part missing, or a part too large once inflated. */
export class UnreadableWorkbookError extends Error {}

/** Inflated parts are bounded, so a small zip that inflates to gigabytes is refused, not read. */
const maxPartBytes = 64 * 1024 * 1024;

interface ZipEntry {
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** The entries of the zip's central directory, by name (sizes there are authoritative, unlike local headers). */
const zipEntries = (zip: Buffer): Map<string, ZipEntry> => {
  // The end record is the last 22 bytes, before a comment of at most 65,535 bytes.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new UnreadableWorkbookError('not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL_FILE_HEADER)
      throw new UnreadableWorkbookError('broken zip directory');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.set(zip.toString('utf8', offset + 46, offset + 46 + nameLength), {
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      localHeaderOffset: zip.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
};

const readPart = (zip: Buffer, entries: Map<string, ZipEntry>, name: string): string | undefined => {
  const entry = entries.get(name);
  if (!entry) return undefined;
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL_FILE_HEADER)
    throw new UnreadableWorkbookError(`broken zip entry ${name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  try {
    if (entry.method === 0) return data.toString('utf8');
    if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: maxPartBytes }).toString('utf8');
  } catch (cause) {
    throw new UnreadableWorkbookError(`cannot inflate ${name}`, { cause });
  }
  throw new UnreadableWorkbookError(`zip method ${entry.method} of ${name} is not supported`);
};

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const unescapeXml = (text: string): string =>
  text.replace(ENTITY, (_, hex: string | undefined, decimal: string | undefined, name: string | undefined) =>
    name ? (NAMED[name] ?? '') : String.fromCodePoint(Number.parseInt(hex ?? decimal ?? '0', hex ? 16 : 10)),
  );

/** The text of every `<t>` run inside a fragment (a shared string or an inline string, rich or plain). */
const textOf = (fragment: string): string => {
  let text = '';
  for (const run of fragment.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)) text += run[1] ?? '';
  return unescapeXml(text);
};

const sharedStrings = (xml: string | undefined): string[] =>
  xml ? [...xml.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((item) => textOf(item[1] ?? '')) : [];

/** `xl/worksheets/sheet1.xml` or wherever the workbook's first sheet lives. */
const firstSheetPath = (zip: Buffer, entries: Map<string, ZipEntry>): string => {
  const workbook = readPart(zip, entries, 'xl/workbook.xml');
  const rels = readPart(zip, entries, 'xl/_rels/workbook.xml.rels');
  const sheetId = workbook && /<sheet\s[^>]*r:id="([^"]+)"/.exec(workbook)?.[1];
  const relation =
    sheetId && rels
      ? [...rels.matchAll(/<Relationship\s[^>]*>/g)].find((tag) => tag[0].includes(`Id="${sheetId}"`))
      : undefined;
  const target = relation && /Target="([^"]+)"/.exec(relation[0])?.[1];
  if (!target) throw new UnreadableWorkbookError('the workbook names no worksheet');
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
};

/** `AB12` -> 27 (zero-based column of the cell reference). */
const columnOf = (reference: string): number => {
  let column = 0;
  for (const letter of reference.replace(/\d+$/, '')) column = column * 26 + (letter.charCodeAt(0) - 64);
  return column - 1;
};

/** One row of the sheet: its number as the spreadsheet shows it, and its cells' text by column. */
export interface SheetRow {
  row: number;
  cells: string[];
}

/**
 * The first worksheet's rows with their spreadsheet row numbers, every cell as text (shared, inline
 * and formula strings as written, numbers as stored, booleans as 0/1).
 * @throws UnreadableWorkbookError when the bytes are not a workbook this reader can open.
 */
export const readFirstSheet = (workbook: Buffer): SheetRow[] => {
  const entries = zipEntries(workbook);
  const strings = sharedStrings(readPart(workbook, entries, 'xl/sharedStrings.xml'));
  const sheet = readPart(workbook, entries, firstSheetPath(workbook, entries));
  if (sheet === undefined) throw new UnreadableWorkbookError('the first worksheet is missing');
  const rows: SheetRow[] = [];
  for (const row of sheet.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const number = Number(/\br="(\d+)"/.exec(row[1] ?? '')?.[1] ?? (rows.at(-1)?.row ?? 0) + 1);
    const cells: string[] = [];
    for (const cell of (row[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attributes = cell[1] ?? '';
      const content = cell[2] ?? '';
      const reference = /\br="([A-Z]+\d*)"/.exec(attributes)?.[1];
      const column = reference ? columnOf(reference) : cells.length;
      const type = /\bt="(\w+)"/.exec(attributes)?.[1];
      const value = /<v>([^<]*)<\/v>/.exec(content)?.[1];
      cells[column] =
        type === 's'
          ? (strings[Number(value)] ?? '')
          : type === 'inlineStr'
            ? textOf(content)
            : unescapeXml(value ?? '');
    }
    rows.push({ row: number, cells: Array.from(cells, (cell) => cell ?? '') });
  }
  return rows;
};
