/**
 * Whether a file's first bytes are those of the type its uploader declared. The campaign accepts four
 * types, so it reads their signatures itself instead of bundling a detector of hundreds of formats
 * (file-type and its readers were 50 KiB of the screening function's bundle).
 */
import type { EvidenceContentType } from '#shared/domain/evidence';

const signatures: Record<EvidenceContentType, readonly number[]> = {
  // "%PDF"
  'application/pdf': [0x25, 0x50, 0x44, 0x46],
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  // An OFD file is a ZIP archive ("PK\3\4"); isOfdContainer looks inside it.
  'application/ofd': [0x50, 0x4b, 0x03, 0x04],
};

const chunkType = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));

/**
 * An animated PNG announces its animation (`acTL`) before its first image data (`IDAT`). It is not a
 * PNG to the screening: re-encoding would keep one frame of what the uploader meant to show.
 */
const isAnimatedPng = (bytes: Uint8Array): boolean => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Each chunk: length (4 bytes), type (4), data, CRC (4); the first follows the 8-byte signature.
  for (let at = 8; at + 8 <= bytes.length; at += 12 + view.getUint32(at)) {
    const type = chunkType(bytes, at + 4);
    if (type === 'acTL') return true;
    if (type === 'IDAT' || type === 'IEND') return false;
  }
  return false;
};

export const opensAs = (bytes: Uint8Array, declared: EvidenceContentType): boolean =>
  signatures[declared].every((byte, index) => bytes[index] === byte) &&
  !(declared === 'image/png' && isAnimatedPng(bytes));
