/**
 * Screening of one uploaded file's bytes against what the uploader declared (docs/evidence.md,
 * "Screening"): the bytes that may be shown to others, or why none may.
 */
import { fileTypeFromBuffer } from 'file-type';
import type { EvidenceContentType, ScreeningRefusal } from '#shared/domain/evidence';
import { isOfdContainer } from '#shared/evidence/ofd-container';
import { pdfRefusal } from '#shared/evidence/pdf-content';
import type { ImageSanitizer } from '#shared/evidence/ports';

export type Inspection =
  | { status: 'CLEAN'; bytes: Uint8Array }
  | { status: 'REFUSED'; reason: ScreeningRefusal };

/** What the magic bytes of each declared type are, as file-type names them (an OFD is a ZIP to it). */
const detectedAs: Record<EvidenceContentType, string> = {
  'application/pdf': 'application/pdf',
  'image/jpeg': 'image/jpeg',
  'image/png': 'image/png',
  'application/ofd': 'application/zip',
};

const refused = (reason: ScreeningRefusal): Inspection => ({ status: 'REFUSED', reason });
const clean = (bytes: Uint8Array): Inspection => ({ status: 'CLEAN', bytes });

export const inspectEvidence = async (
  bytes: Uint8Array,
  declared: { contentType: EvidenceContentType; size: number },
  images: ImageSanitizer,
): Promise<Inspection> => {
  if (bytes.length === 0 || bytes.length > declared.size) return refused('SIZE_MISMATCH');
  if ((await fileTypeFromBuffer(bytes))?.mime !== detectedAs[declared.contentType]) {
    return refused('TYPE_MISMATCH');
  }
  switch (declared.contentType) {
    case 'image/jpeg':
    case 'image/png': {
      const reencoded = await images.reencode(bytes, declared.contentType);
      return reencoded ? clean(reencoded) : refused('UNREADABLE');
    }
    case 'application/pdf': {
      const reason = pdfRefusal(bytes);
      return reason ? refused(reason) : clean(bytes);
    }
    case 'application/ofd':
      return isOfdContainer(bytes) ? clean(bytes) : refused('UNREADABLE');
  }
};
