/**
 * Pagination cursors are the last evaluated key, base64url-encoded. A cursor is only accepted for
 * the partition it came from, so a crafted one cannot page through someone else's items.
 */
import { ValidationError } from '#shared/domain/errors';
import * as z from '#shared/domain/schema';

const LastKey = z.record(
  z.string().check(z.regex(/^(pk|sk|gsi\dpk|gsi\dsk)$/)),
  z.string().check(z.maxLength(1024)),
);

export const encodeCursor = (lastKey: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify(lastKey)).toString('base64url');

/**
 * A cursor must be a whole key of what is read, or DynamoDB refuses the start key (a 500): exactly
 * `pk` and `sk` for a scan (no `expectedPartition`); for an index query, those plus the index's own
 * pair (`partitionAttribute`, e.g. `gsi1pk`, and its sort key), whose partition is `expectedPartition`.
 */
export const decodeCursor = (
  cursor: string,
  expectedPartition?: string,
  partitionAttribute?: string,
): Record<string, string> => {
  const invalid = (cause?: unknown) =>
    new ValidationError(
      'The cursor is not valid',
      [{ path: 'cursor', code: 'unknown_cursor', message: 'unknown cursor' }],
      {
        cause,
      },
    );
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw invalid(cause);
  }
  const parsed = LastKey.safeParse(decoded);
  if (!parsed.success) throw invalid();
  const names = Object.keys(parsed.data).sort();
  const attribute =
    expectedPartition === undefined
      ? undefined
      : (partitionAttribute ?? names.find((name) => name.endsWith('pk') && name !== 'pk'));
  if (expectedPartition !== undefined && (!attribute || parsed.data[attribute] !== expectedPartition))
    throw invalid();
  const expectedNames = [
    'pk',
    'sk',
    ...(attribute ? [attribute, attribute.replace(/pk$/, 'sk')] : []),
  ].sort();
  if (names.join() !== expectedNames.join()) throw invalid();
  return parsed.data;
};
