/**
 * The ranking of associations for regulators and admins (docs/associations.md, "Repeat offenders"):
 * every association with figures in the caller's province (or everywhere), read at once and sorted,
 * a page at a time. The cursor is the last position taken, so a page never repeats or skips an
 * association whose figures did not move in between.
 */
import { NATIONAL_PROVINCE } from '#shared/domain/credit-code';
import { ForbiddenRoleError, ValidationError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import * as z from '#shared/domain/schema';
import { parseWith } from '#shared/domain/validation';
import {
  type AssociationFigures,
  compareRank,
  positionOf,
  type RankingSort,
} from '#shared/metrics/association-figures';
import { type AssociationRanking, AssociationRankingQuery } from '#shared/metrics/ranking-messages';

export interface AssociationFiguresReader {
  /** The figures of every association of a province, or of every province when none is given. */
  ranked(province?: string): Promise<AssociationFigures[]>;
}

/** The province a caller ranks (none: every province), checked against what the caller may see. */
export const rankingProvinceFor = (
  principal: Principal,
  province: string | undefined,
): string | undefined => {
  if (principal.role === 'campaign-admin') return province;
  if (principal.role !== 'regulator')
    throw new ForbiddenRoleError('Only regulators and admins rank associations');
  if (principal.province === NATIONAL_PROVINCE) return province;
  if (province && province !== principal.province)
    throw new ForbiddenRoleError('Regulators rank the associations of their own province');
  return principal.province;
};

const RankCursor = z.strictObject({
  sort: z.string(),
  province: z.nullable(z.string()),
  figure: z.nullable(z.number()),
  cases: z.int(),
  creditCode: z.string().check(z.maxLength(18)),
});

const encodeCursor = (cursor: z.infer<typeof RankCursor>) =>
  Buffer.from(JSON.stringify(cursor)).toString('base64url');

const decodeCursor = (cursor: string, sort: RankingSort, province: string | null) => {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = RankCursor.safeParse(decoded);
  // A cursor of another sort or province would continue the wrong list.
  if (!parsed.success || parsed.data.sort !== sort || parsed.data.province !== province) {
    throw new ValidationError('The cursor is not valid for this ranking', [
      { path: 'cursor', code: 'unknown_cursor', message: 'unknown cursor' },
    ]);
  }
  return parsed.data;
};

export const rankAssociations = async (
  reader: AssociationFiguresReader,
  principal: Principal,
  rawQuery: unknown,
): Promise<AssociationRanking> => {
  const query = parseWith(AssociationRankingQuery, rawQuery, 'query');
  const province = rankingProvinceFor(principal, query.province) ?? null;
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, query.sort, province);
  const ranked = (await reader.ranked(province ?? undefined))
    .map((figures) => ({ figures, position: positionOf(figures, query.sort) }))
    .sort((a, b) => compareRank(a.position, b.position));
  const start = after ? ranked.findIndex(({ position }) => compareRank(position, after) > 0) : 0;
  const from = start < 0 ? ranked.length : start;
  const page = ranked.slice(from, from + query.limit);
  const last = page.at(-1);
  return {
    sort: query.sort,
    province,
    total: ranked.length,
    items: page.map(({ figures }, i) => ({ rank: from + i + 1, ...figures })),
    cursor:
      last && from + page.length < ranked.length
        ? encodeCursor({ sort: query.sort, province, ...last.position })
        : null,
  };
};
