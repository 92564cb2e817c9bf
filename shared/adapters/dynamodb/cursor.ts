/**
 * Pagination cursors are the last evaluated key, base64url-encoded. A cursor is only accepted for
 * the partition it came from, so a crafted one cannot page through someone else's items.
 */
import * as z from 'zod';
import { ValidationError } from '#shared/domain/errors';

const LastKey = z.record(z.string().regex(/^(pk|sk|gsi\dpk|gsi\dsk)$/), z.string().max(1024));

export const encodeCursor = (lastKey: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify(lastKey)).toString('base64url');

/** Without `expectedPartition` (scans), any well-formed key of the table is accepted. */
export const decodeCursor = (cursor: string, expectedPartition?: string): Record<string, string> => {
  const invalid = (cause?: unknown) =>
    new ValidationError('The cursor is not valid', [{ path: 'cursor', message: 'unknown cursor' }], {
      cause,
    });
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw invalid(cause);
  }
  const parsed = LastKey.safeParse(decoded);
  if (!parsed.success) throw invalid();
  const partitions = Object.entries(parsed.data).filter(([name]) => name.endsWith('pk') && name !== 'pk');
  if (expectedPartition !== undefined && !partitions.some(([, value]) => value === expectedPartition))
    throw invalid();
  return parsed.data;
};
