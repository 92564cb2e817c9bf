/**
 * Suggestions from the register as someone types an association's name or the start of its code:
 * the complaint form, the public association pages (docs/associations.md, "Suggestions").
 */
import { normalizeAssociationName } from '#shared/domain/fee-identity';
import { parseWith } from '#shared/domain/validation';
import type { RegisterIndexEntry, RegisterIndexSource } from '#shared/ports/associations';
import type { AssociationSuggestion } from '#shared/registry/messages';
import { AssociationSuggestionsQuery } from '#shared/registry/messages';

/** An index entry with its name normalized once, when the index is loaded. */
export interface SearchableEntry {
  entry: RegisterIndexEntry;
  normalizedName: string;
}

export const searchable = (entries: readonly RegisterIndexEntry[]): SearchableEntry[] =>
  entries.map((entry) => ({ entry, normalizedName: normalizeAssociationName(entry.name) }));

const CODE_PREFIX = /^[0-9A-HJ-NPQRTUWXY]{2,18}$/;

/**
 * Exact names first, then names starting with the text, then names containing it; within each, associations
 * in good standing first, then shorter names, then by code. A text that reads as the start of a credit code
 * also matches codes.
 */
export const matchRegister = (
  entries: readonly SearchableEntry[],
  text: string,
  limit: number,
): RegisterIndexEntry[] => {
  const wanted = normalizeAssociationName(text);
  const codePrefix = text.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  const byCode = CODE_PREFIX.test(codePrefix);
  const ranked: { rank: number; entry: RegisterIndexEntry }[] = [];
  for (const { entry, normalizedName } of entries) {
    let rank: number;
    if (wanted !== '' && normalizedName === wanted) rank = 0;
    else if (byCode && entry.creditCode.startsWith(codePrefix)) rank = 0;
    else if (wanted !== '' && normalizedName.startsWith(wanted)) rank = 1;
    else if (wanted !== '' && normalizedName.includes(wanted)) rank = 2;
    else continue;
    ranked.push({ rank: rank * 2 + (entry.status === 'ACTIVE' ? 0 : 1), entry });
  }
  return ranked
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        a.entry.name.length - b.entry.name.length ||
        a.entry.creditCode.localeCompare(b.entry.creditCode),
    )
    .slice(0, limit)
    .map(({ entry }) => entry);
};

/** Reads and keeps the searchable index, for `ttlMs` per container (the register changes by imports only). */
export const cachedSearchable = (source: RegisterIndexSource, ttlMs: number, now = Date.now) => {
  let cached: { at: number; entries: Promise<SearchableEntry[]> } | undefined;
  return (): Promise<SearchableEntry[]> => {
    if (!cached || now() - cached.at >= ttlMs) {
      const entries = source.entries().then(searchable);
      cached = { at: now(), entries };
      // A failed read is not kept: the next request tries again.
      entries.catch(() => {
        if (cached?.entries === entries) cached = undefined;
      });
    }
    return cached.entries;
  };
};

export const suggestAssociations = async (
  register: () => Promise<readonly SearchableEntry[]>,
  query: unknown,
): Promise<{ suggestions: AssociationSuggestion[] }> => {
  const { q, limit } = parseWith(AssociationSuggestionsQuery, query, 'query');
  const matches = matchRegister(await register(), q, limit ? Number(limit) : 10);
  return {
    suggestions: matches.map(({ creditCode, name, province, level, status }) => ({
      creditCode,
      name,
      province: province as AssociationSuggestion['province'],
      level,
      status,
    })),
  };
};
