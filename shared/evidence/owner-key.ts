/**
 * The uploader's part of an incoming key (`evidenceObjectKeys.incoming`). Apart from
 * shared/domain/evidence.ts because it needs node:crypto, and the portal's bundle imports the domain.
 */
import { hash } from 'node:crypto';

/**
 * The first 32 hex digits of the SHA-256 of the uploader's subject, so the bucket binds a file to its
 * uploader without a sign-in id in any key.
 */
export const evidenceOwnerKey = (subject: string): string => hash('sha256', subject, 'hex').slice(0, 32);
