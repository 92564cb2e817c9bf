/**
 * Screening of one uploaded file's bytes against what the uploader declared (docs/evidence.md,
 * "Screening"): the bytes that may be shown to others, or why none may.
 */
import type { EvidenceContentType, ScreeningRefusal } from '#shared/domain/evidence';
import { opensAs } from '#shared/evidence/magic-bytes';
import { isOfdContainer } from '#shared/evidence/ofd-container';
import { pdfRefusal } from '#shared/evidence/pdf-content';
import type { ImageSanitizer } from '#shared/evidence/ports';

export type Inspection =
  | { status: 'CLEAN'; bytes: Uint8Array }
  | { status: 'REFUSED'; reason: ScreeningRefusal };

const refused = (reason: ScreeningRefusal): Inspection => ({ status: 'REFUSED', reason });
const clean = (bytes: Uint8Array): Inspection => ({ status: 'CLEAN', bytes });

export const inspectEvidence = async (
  bytes: Uint8Array,
  declared: { contentType: EvidenceContentType; size: number },
  images: ImageSanitizer,
): Promise<Inspection> => {
  if (bytes.length === 0 || bytes.length > declared.size) return refused('SIZE_MISMATCH');
  if (!opensAs(bytes, declared.contentType)) return refused('TYPE_MISMATCH');
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
