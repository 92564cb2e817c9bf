/**
 * Images re-encoded with sharp (libvips). sharp writes no metadata unless asked (`withMetadata`,
 * `keepExif`, `keepIccProfile`...), so a plain re-encode drops EXIF, XMP, IPTC and ICC alike; `rotate()`
 * first turns the pixels as the EXIF orientation said, since the orientation goes with the rest.
 */
import sharp from 'sharp';
import type { ImageSanitizer, ScreenedImageType } from '#shared/evidence/ports';

/**
 * Quality close to what cameras and phones write, so text on a photographed receipt stays legible.
 * Huffman tables are not optimised: that second pass doubled the CPU time of a 12-megapixel photo
 * (256 -> 128 ms) for 2% fewer bytes (`npm run bench -- evidence-screening`).
 */
const jpegOptions = { quality: 90, optimiseCoding: false } as const;

/**
 * Pixels an image may have: more than any phone writes by default (12-50 MP) or an A4 scan at 600 dpi
 * (35 MP). A 10 MB PNG of one colour can declare far more (sharp's own limit, 268 MP, is a gigabyte
 * of pixels), and the screener has 1 GB of memory in all.
 */
export const MAX_IMAGE_PIXELS = 100_000_000;

export class SharpImageSanitizer implements ImageSanitizer {
  async reencode(image: Uint8Array, type: ScreenedImageType): Promise<Uint8Array | undefined> {
    // failOn 'error': a truncated or corrupt image is refused rather than re-encoded half grey.
    const decoded = sharp(image, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS }).rotate();
    const encoded = type === 'image/jpeg' ? decoded.jpeg(jpegOptions) : decoded.png();
    try {
      return new Uint8Array(await encoded.toBuffer());
    } catch {
      return undefined;
    }
  }
}
