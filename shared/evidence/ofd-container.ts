/**
 * An OFD file (GB/T 33190) is a ZIP container whose entry `OFD.xml`, at its root, is the document's
 * entry point. The ZIP's central directory (at its end) lists every entry; reading it is enough to
 * know whether `OFD.xml` is there, without inflating anything.
 */

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const MAX_END_RECORD_BYTES = 22 + 0xffff;

/** The entry names of a ZIP's central directory, or undefined when the bytes hold no readable one. */
export const zipEntryNames = (file: Uint8Array): string[] | undefined => {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const earliest = Math.max(0, bytes.length - MAX_END_RECORD_BYTES);
  let end = -1;
  for (let at = bytes.length - 22; at >= earliest; at--) {
    if (bytes.readUInt32LE(at) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) return undefined;
  const entries = bytes.readUInt16LE(end + 10);
  const directoryStart = bytes.readUInt32LE(end + 16);
  const names: string[] = [];
  let at = directoryStart;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > end || bytes.readUInt32LE(at) !== DIRECTORY_ENTRY) return undefined;
    const nameBytes = bytes.readUInt16LE(at + 28);
    const extraBytes = bytes.readUInt16LE(at + 30);
    const commentBytes = bytes.readUInt16LE(at + 32);
    if (at + 46 + nameBytes > end) return undefined;
    names.push(bytes.toString('utf8', at + 46, at + 46 + nameBytes));
    at += 46 + nameBytes + extraBytes + commentBytes;
  }
  return names;
};

export const isOfdContainer = (file: Uint8Array): boolean =>
  zipEntryNames(file)?.includes('OFD.xml') ?? false;
