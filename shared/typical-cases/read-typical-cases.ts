/**
 * What anyone reads of typical cases (典型案例): the published ones, newest first, as JSON and as an
 * Atom 1.0 feed (RFC 4287). Only what was screened and published: texts, and the public facts of
 * the cases (association, fee, outcome, refunds), never anything about complainants.
 */
import { NotFoundError } from '#shared/domain/errors';
import { parseWith } from '#shared/domain/validation';
import {
  type PublicTypicalCase,
  type PublicTypicalCaseList,
  TypicalCasesQuery,
} from '#shared/typical-cases/messages';
import type { TypicalCase, TypicalCaseStore } from '#shared/typical-cases/ports';

/** Entries in the feed: the newest, as feed readers poll for what is new. */
export const FEED_ENTRIES = 50;

/** The public page of typical cases in the portal, and of one of them. */
export const typicalCasesPagePath = '/#/typical-cases';
export const typicalCasePagePath = (typicalCaseId: string) =>
  `${typicalCasesPagePath}/${encodeURIComponent(typicalCaseId)}`;
export const feedPath = '/api/public/typical-cases.atom';

/** The feed's own permanent id. */
const feedId = 'urn:uuid:5f0c7a0e-3d0b-4c1e-9a57-2f6b8d1e4c21';

const publicView = (typicalCase: TypicalCase): PublicTypicalCase => ({
  typicalCaseId: typicalCase.typicalCaseId,
  title: typicalCase.title,
  summary: typicalCase.summary,
  ...(typicalCase.lessons ? { lessons: typicalCase.lessons } : {}),
  publishedAt: typicalCase.publishedAt ?? typicalCase.createdAt,
  cases: typicalCase.cases,
});

export const listPublicTypicalCases = async (
  store: TypicalCaseStore,
  rawQuery: unknown,
): Promise<PublicTypicalCaseList> => {
  const query = parseWith(TypicalCasesQuery, rawQuery, 'query');
  const page = await store.listPublished(query.limit, query.cursor);
  return { items: page.items.map(publicView), cursor: page.cursor };
};

/** A published typical case; a draft, a withdrawn one and an unknown id are all simply not found. */
export const readPublicTypicalCase = async (
  store: TypicalCaseStore,
  typicalCaseId: string,
): Promise<PublicTypicalCase> => {
  const typicalCase = typicalCaseId.length <= 100 ? await store.get(typicalCaseId) : undefined;
  if (typicalCase?.status !== 'PUBLISHED') throw new NotFoundError('No such typical case');
  return publicView(typicalCase);
};

const xmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** What XML 1.0 cannot hold at all: most C0 controls, U+FFFE and U+FFFF, unpaired surrogates. */
const notInXml =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what XML 1.0 forbids.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text as XML character data: markup escaped, and characters XML 1.0 cannot hold at all left out. */
export const xmlText = (text: string): string =>
  text.replace(notInXml, '').replace(/[&<>"']/g, (char) => xmlEscapes[char] ?? char);

const element = (name: string, text: string, attributes = '') =>
  `<${name}${attributes}>${xmlText(text)}</${name}>`;

const feedTitle = { title: '典型案例 · 行业协会商会涉企收费治理', author: '行业协会商会涉企收费治理' };

const entryOf = (typicalCase: PublicTypicalCase): string => {
  const content = [typicalCase.summary, ...(typicalCase.lessons ? [typicalCase.lessons] : [])].join('\n\n');
  return [
    '<entry>',
    element('id', `urn:uuid:${typicalCase.typicalCaseId}`),
    element('title', typicalCase.title),
    element('published', typicalCase.publishedAt),
    element('updated', typicalCase.publishedAt),
    `<link rel="alternate" type="text/html" href="${xmlText(typicalCasePagePath(typicalCase.typicalCaseId))}"/>`,
    element('content', content, ' type="text"'),
    '</entry>',
  ].join('');
};

/**
 * The feed of the newest published typical cases. Links are relative to the feed's own address, as
 * RFC 4287 allows, so the feed is right behind whichever host serves it. `updated` is the newest
 * publication (or `now` for an empty feed).
 */
export const typicalCasesFeed = async (store: TypicalCaseStore, now: Date): Promise<string> => {
  const page = await store.listPublished(FEED_ENTRIES);
  const entries = page.items.map(publicView);
  const updated = entries[0]?.publishedAt ?? now.toISOString();
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
    element('id', feedId),
    element('title', feedTitle.title),
    element('updated', updated),
    `<author>${element('name', feedTitle.author)}</author>`,
    `<link rel="self" type="application/atom+xml" href="${feedPath}"/>`,
    `<link rel="alternate" type="text/html" href="${typicalCasesPagePath}"/>`,
    ...entries.map(entryOf),
    '</feed>\n',
  ].join('');
};
