/** What screening needs besides the upload records and the bucket (shared/ports/evidence.ts). */

export type ScreenedImageType = 'image/jpeg' | 'image/png';

export interface ImageSanitizer {
  /**
   * The image decoded and encoded again in its own type, upright and without any metadata (EXIF with
   * GPS position, camera and author, XMP, IPTC, ICC profile and comments), or undefined when it cannot
   * be decoded.
   */
  reencode(image: Uint8Array, type: ScreenedImageType): Promise<Uint8Array | undefined>;
}
