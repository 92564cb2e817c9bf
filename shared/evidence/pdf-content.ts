/**
 * What a PDF carries that screening refuses, found in its bytes without rendering it (docs/evidence.md,
 * "Screening"). A reader finds objects in two places: in the file itself and in compressed object
 * streams; both are read here. Names are compared as a reader compares them, after `#xx` escapes
 * (`/J#61vaScript` is `/JavaScript`).
 */
import { constants, inflateRawSync } from 'node:zlib';
import type { ScreeningRefusal } from '#shared/domain/evidence';

/**
 * What the decoded streams of one file may add up to. A 10 MB upload of screenshots stored deflated
 * (1:10 to 1:20) stays below; a deflate bomb (1:1000) reaches it after 200 KB and is refused instead of
 * filling the function's memory (1 GB) or time. Streams are decoded one at a time, each let go after it
 * was read.
 */
export const MAX_INFLATED_PDF_BYTES = 200 * 1024 * 1024;
/** Deflated data inflates to 3-5 times its size as a rule; what exceeds a chunk costs a copy. */
const INFLATE_RATIO_GUESS = 4;
const MIN_INFLATE_CHUNK_BYTES = 64 * 1024;

/**
 * The names refused, and why:
 * - `/Encrypt`: an encrypted file's strings and streams cannot be read, so nothing else can be checked.
 * - `/JavaScript` (the action type and the document's script tree) and `/JS` (the script of an action):
 *   scripts run in the reader of whoever opens the file, officials included. An `/OpenAction` is refused
 *   through them when it runs a script; a plain `/OpenAction` (open at page one) is common and harmless.
 * - `/Launch`: starts a program or opens another file on the reader's machine.
 * - `/AA` (additional actions): actions that fire by themselves when a page opens or closes or a field
 *   is touched, without a click.
 * - `/EmbeddedFile`, `/EmbeddedFiles`: files inside the file, which nobody screened.
 */
const refusedNames = new Map<string, ScreeningRefusal>([
  ['Encrypt', 'PDF_ENCRYPTED'],
  ['JavaScript', 'PDF_ACTIVE_CONTENT'],
  ['JS', 'PDF_ACTIVE_CONTENT'],
  ['Launch', 'PDF_ACTIVE_CONTENT'],
  ['AA', 'PDF_ACTIVE_CONTENT'],
  ['EmbeddedFile', 'PDF_EMBEDDED_FILE'],
  ['EmbeddedFiles', 'PDF_EMBEDDED_FILE'],
]);
/** When a file has several, the reason that says most: encrypted first, since it hides the rest. */
const precedence: readonly ScreeningRefusal[] = ['PDF_ENCRYPTED', 'PDF_ACTIVE_CONTENT', 'PDF_EMBEDDED_FILE'];

/**
 * Names of two letters occur by chance in binary data (an image, a font: about once per 250 MB of
 * random bytes for each such name followed by a delimiter), so inside stream data they only count
 * where a reader parses objects: in an object stream. Longer names never occur by chance. Every
 * script still names `/JavaScript` (an action's type), so a `/JS` inside an image is no way around it.
 */
const shortNames = new Set(['JS', 'AA']);

// PDF whitespace (NUL, TAB, LF, FF, CR, space) and delimiters end a name.
const endsName = new Uint8Array(256);
for (const byte of [0, 9, 10, 12, 13, 32, ...Buffer.from('()<>[]{}/%')]) endsName[byte] = 1;
const SLASH = 0x2f;
const STREAM = Buffer.from('stream', 'latin1');
const END_STREAM = Buffer.from('endstream', 'latin1');
const END_OF_FILE = Buffer.from('%%EOF', 'latin1');
const HASH = 0x23;
const MAX_NAME_BYTES = 127;

const hexValue = (byte: number | undefined) => {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
};

/** The name that starts after the `/` at `slash`, `#xx` escapes decoded, or undefined when too long to be refused. */
const nameAt = (bytes: Uint8Array, slash: number): string | undefined => {
  let name = '';
  for (let i = slash + 1; i < bytes.length && !endsName[bytes[i] as number]; i++) {
    const byte = bytes[i] as number;
    const high = byte === HASH ? hexValue(bytes[i + 1]) : -1;
    const low = high >= 0 ? hexValue(bytes[i + 2]) : -1;
    if (low >= 0) {
      name += String.fromCharCode(high * 16 + low);
      i += 2;
    } else name += String.fromCharCode(byte);
    if (name.length > MAX_NAME_BYTES) return undefined;
  }
  return name;
};

/** The refusals the refused names in `bytes[start, end)` call for. */
const scanNames = (
  bytes: Uint8Array,
  start: number,
  end: number,
  found: Set<ScreeningRefusal>,
  withShortNames: boolean,
) => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, end);
  for (let slash = buffer.indexOf(SLASH, start); slash >= 0; slash = buffer.indexOf(SLASH, slash + 1)) {
    const name = nameAt(buffer, slash);
    const refusal = name === undefined ? undefined : refusedNames.get(name);
    if (refusal && (withShortNames || !shortNames.has(name as string))) found.add(refusal);
  }
};

interface StreamData {
  /** The stream's dictionary as written (from its object header), for its filter and predictor. */
  dictionary: string;
  start: number;
  end: number;
}

/** Where the data ends by its direct `/Length`, when `endstream` follows there as it must. */
const endByLength = (bytes: Buffer, dictionary: string, start: number): number | undefined => {
  const length = /\/Length\s+(\d+)(?!\d|\s+\d+\s+R)/.exec(dictionary);
  if (!length) return undefined;
  let end = start + Number(length[1]);
  while (bytes[end] === 0x0d || bytes[end] === 0x0a) end++;
  return bytes.subarray(end, end + END_STREAM.length).equals(END_STREAM) ? end : undefined;
};

/**
 * The streams of the file: data of `/Length` bytes after `stream`, as readers take it, or up to the
 * next `endstream` when the length is indirect or wrong. Where a dictionary hides an object inside
 * what looks like stream data, the long names are still found there (see shortNames).
 */
const streamsOf = (bytes: Buffer): StreamData[] => {
  const streams: StreamData[] = [];
  let from = 0;
  for (;;) {
    const keyword = bytes.indexOf(STREAM, from);
    if (keyword < 0) return streams;
    from = keyword + STREAM.length;
    if (bytes.toString('latin1', keyword - 3, keyword) === 'end') continue;
    const start = bytes[from] === 0x0d && bytes[from + 1] === 0x0a ? from + 2 : from + 1;
    const header = bytes.toString('latin1', Math.max(0, keyword - 4096), keyword);
    const objectStart = [...header.matchAll(/\d+\s+\d+\s+obj\b/g)].at(-1)?.index ?? 0;
    const dictionary = decodeNames(header.slice(objectStart));
    const endKeyword = endByLength(bytes, dictionary, start) ?? bytes.indexOf(END_STREAM, start);
    const end = endKeyword < 0 ? bytes.length : endKeyword;
    streams.push({ dictionary, start, end });
    from = end;
  }
};

const decodeNames = (text: string) =>
  text.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

const numberIn = (dictionary: string, key: string, fallback: number) => {
  const match = new RegExp(`/${key}\\s+(\\d+)`).exec(dictionary);
  return match ? Number(match[1]) : fallback;
};

/** The PNG Paeth predictor: of left, up and upper left, the one closest to left + up - upper left. */
const paeth = (left: number, up: number, upLeft: number) => {
  const estimate = left + up - upLeft;
  const [toLeft, toUp, toUpLeft] = [
    Math.abs(estimate - left),
    Math.abs(estimate - up),
    Math.abs(estimate - upLeft),
  ];
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
};

/**
 * Undoes a predictor (`/DecodeParms << /Predictor n >>`), which would otherwise scramble the names of
 * an object stream written with one: PNG predictors row by row (10-15), TIFF predictor 2 byte-wise.
 */
const unpredicted = (data: Buffer, dictionary: string): Buffer => {
  const predictor = numberIn(dictionary, 'Predictor', 1);
  if (predictor < 2) return data;
  const colors = numberIn(dictionary, 'Colors', 1);
  const bits = numberIn(dictionary, 'BitsPerComponent', 8);
  const columns = numberIn(dictionary, 'Columns', 1);
  const pixelBytes = Math.max(1, Math.ceil((colors * bits) / 8));
  const rowBytes = Math.ceil((columns * colors * bits) / 8);
  if (rowBytes < 1) return data;
  if (predictor === 2) {
    const out = Buffer.from(data);
    for (let i = 0; i < out.length; i++) {
      if (i % rowBytes >= pixelBytes) out[i] = ((out[i] as number) + (out[i - pixelBytes] as number)) & 0xff;
    }
    return out;
  }
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = Buffer.alloc(rows * rowBytes);
  for (let row = 0; row < rows; row++) {
    const type = data[row * (rowBytes + 1)];
    const input = row * (rowBytes + 1) + 1;
    const at = row * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const raw = data[input + i] as number;
      const left = i >= pixelBytes ? (out[at + i - pixelBytes] as number) : 0;
      const up = row > 0 ? (out[at + i - rowBytes] as number) : 0;
      const upLeft = row > 0 && i >= pixelBytes ? (out[at + i - rowBytes - pixelBytes] as number) : 0;
      let value = raw;
      if (type === 1) value = raw + left;
      else if (type === 2) value = raw + up;
      else if (type === 3) value = raw + ((left + up) >> 1);
      else if (type === 4) value = raw + paeth(left, up, upLeft);
      out[at + i] = value & 0xff;
    }
  }
  return out;
};

/** A zlib stream starts with CMF 0x?8 (deflate) and a header whose 16-bit value is a multiple of 31. */
const startsAsZlib = (data: Buffer) =>
  ((data[0] ?? 0) & 0x0f) === 8 && (((data[0] ?? 0) << 8) | (data[1] ?? 0)) % 31 === 0;

/**
 * An object stream begins with pairs of object numbers and offsets (after whitespace or comments);
 * judged on the bytes, so a stream that leaves out `/Type /ObjStm` (readers do not need it) is one too.
 */
const looksLikeObjectStream = (data: Buffer) =>
  /^(?:[\0\t\n\f\r ]|%[^\r\n]*[\r\n])*[+\-.]*\d/.test(data.toString('latin1', 0, 256));

/** A stream a reader would decode but this scan cannot look into, or one that decodes past the bound. */
class UnreadableStream extends Error {}

interface Budget {
  left: number;
}

const spend = (budget: Budget, data: Buffer) => {
  budget.left -= data.length;
  if (budget.left < 0) throw new UnreadableStream('decoded streams too large');
  return data;
};

/**
 * Inflates like a lenient reader: without the zlib header and checksum (a wrong Adler-32 does not
 * stop a reader, so it must not stop the scan) and keeping what a truncated stream yields.
 */
const inflate = (data: Buffer, budget: Budget): Buffer => {
  try {
    return spend(
      budget,
      inflateRawSync(data.subarray(2), {
        finishFlush: constants.Z_SYNC_FLUSH,
        // One chunk for most streams: zlib's default of 16 KiB makes a 10 MB stream hundreds of pieces,
        // and joining them took as long as inflating (npm run bench -- evidence-screening).
        chunkSize: Math.min(
          Math.max(MIN_INFLATE_CHUNK_BYTES, data.length * INFLATE_RATIO_GUESS),
          Math.max(MIN_INFLATE_CHUNK_BYTES, budget.left),
        ),
        maxOutputLength: Math.max(1, budget.left),
      }),
    );
  } catch (error) {
    throw new UnreadableStream(error instanceof RangeError ? 'decoded streams too large' : 'not deflate', {
      cause: error,
    });
  }
};

const asciiHex = (data: Buffer): Buffer => {
  const text =
    data
      .toString('latin1')
      .split('>')[0]
      ?.replace(/[\0\t\n\f\r ]/g, '') ?? '';
  return Buffer.from(text.length % 2 === 1 ? `${text}0` : text, 'hex');
};

const ascii85 = (data: Buffer): Buffer => {
  const text =
    data
      .toString('latin1')
      .split('~>')[0]
      ?.replace(/[\0\t\n\f\r ]/g, '') ?? '';
  const out: number[] = [];
  let group: number[] = [];
  const flush = (length: number) => {
    const value = [0, 1, 2, 3, 4].reduce((sum, i) => sum * 85 + (group[i] ?? 84), 0);
    for (let i = 0; i < length - 1; i++) out.push((value >>> (24 - 8 * i)) & 0xff);
    group = [];
  };
  for (const char of text) {
    if (char === 'z' && group.length === 0) out.push(0, 0, 0, 0);
    else {
      group.push(char.charCodeAt(0) - 33);
      if (group.length === 5) flush(5);
    }
  }
  if (group.length > 1) flush(group.length);
  return Buffer.from(out);
};

const runLength = (data: Buffer, budget: Budget): Buffer => {
  const out: Buffer[] = [];
  let size = 0;
  for (let i = 0; i < data.length && data[i] !== 128; ) {
    const length = data[i] as number;
    const run =
      length < 128 ? data.subarray(i + 1, i + 2 + length) : Buffer.alloc(257 - length, data[i + 1] ?? 0);
    i += length < 128 ? length + 2 : 2;
    size += run.length;
    if (size > budget.left) throw new UnreadableStream('decoded streams too large');
    out.push(run);
  }
  return spend(budget, Buffer.concat(out));
};

/** Codecs only image data goes through: what comes out of them is pixels, never objects. */
const imageCodecs = new Set(['DCTDecode', 'DCT', 'JPXDecode', 'CCITTFaxDecode', 'CCF', 'JBIG2Decode']);

/**
 * The stream's filters in order, by their full or short names (readers take both). One given by
 * reference is refused: no writer needs it, and it would keep the stream's content from this scan.
 */
const filtersOf = (dictionary: string): string[] => {
  const filter = /\/Filter\s*(\[[^\]]*\]|\/[^\s/[\]<>()]+|\d+\s+\d+\s+R)/.exec(dictionary)?.[1];
  if (filter === undefined) return [];
  if (filter.endsWith('R')) throw new UnreadableStream('filter by reference');
  return [...filter.matchAll(/\/([^\s/[\]<>()]+)/g)].map((match) => match[1] as string);
};

/**
 * A stream's data decoded as a reader decodes it, up to an image codec. LZW (from before 2000) and
 * anything unknown are refused rather than passed unread.
 */
const decodedStream = (raw: Buffer, dictionary: string, budget: Budget): Buffer => {
  const filters = filtersOf(dictionary);
  // No filter named, yet deflated data: read it too, in case the dictionary hid its filter from us.
  if (filters.length === 0 && startsAsZlib(raw)) {
    try {
      return unpredicted(inflate(raw, budget), dictionary);
    } catch {
      return raw;
    }
  }
  let data = raw;
  for (const filter of filters) {
    if (imageCodecs.has(filter)) return data;
    if (filter === 'FlateDecode' || filter === 'Fl') data = unpredicted(inflate(data, budget), dictionary);
    else if (filter === 'ASCIIHexDecode' || filter === 'AHx') data = asciiHex(data);
    else if (filter === 'ASCII85Decode' || filter === 'A85') data = ascii85(data);
    else if (filter === 'RunLengthDecode' || filter === 'RL') data = runLength(data, budget);
    else throw new UnreadableStream(`filter ${filter}`);
  }
  return data;
};

/** Whether the bytes are a PDF's body at all: objects and the end-of-file marker readers look for. */
const hasPdfStructure = (bytes: Buffer) =>
  /\d+\s+\d+\s+obj\b/.test(bytes.toString('latin1', 0, Math.min(bytes.length, 65_536))) &&
  bytes.lastIndexOf(END_OF_FILE) >= 0;

/** Why a PDF is refused, or undefined when it carries none of what screening refuses. */
export const pdfRefusal = (file: Uint8Array): ScreeningRefusal | undefined => {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (!hasPdfStructure(bytes)) return 'UNREADABLE';
  const found = new Set<ScreeningRefusal>();
  const streams = streamsOf(bytes);
  // Outside stream data every name counts; inside it, only the long ones (see shortNames).
  let from = 0;
  for (const stream of streams) {
    scanNames(bytes, from, stream.start, found, true);
    scanNames(bytes, stream.start, stream.end, found, false);
    from = stream.end;
  }
  scanNames(bytes, from, bytes.length, found, true);
  // An encrypted file's streams are ciphertext: nothing more to learn from them.
  if (found.has('PDF_ENCRYPTED')) return 'PDF_ENCRYPTED';
  const budget: Budget = { left: MAX_INFLATED_PDF_BYTES };
  try {
    for (const stream of streams) {
      const raw = bytes.subarray(stream.start, stream.end);
      const data = decodedStream(raw, stream.dictionary, budget);
      const objects = looksLikeObjectStream(data);
      // Raw data was read above already, for all but the short names.
      if (data !== raw || objects) scanNames(data, 0, data.length, found, objects);
    }
  } catch (error) {
    if (error instanceof UnreadableStream) return 'UNREADABLE';
    throw error;
  }
  return precedence.find((reason) => found.has(reason));
};
