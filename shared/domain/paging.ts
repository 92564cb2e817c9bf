/** How lists are read a page at a time, the same for every list the campaign serves. */
import * as z from '#shared/domain/schema';

/** A page size given in a query string: digits, 1-100, 20 when absent. */
export const PageLimit = z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20);

/** An opaque paging cursor, as the previous page returned it. */
export const PageCursor = z.optional(z.string().check(z.minLength(1), z.maxLength(2048)));
