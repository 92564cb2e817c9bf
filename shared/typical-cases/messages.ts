/**
 * Messages of typical cases (典型案例): what a campaign admin writes about closed cases, the drafts and
 * publications as admins list them, and what the public reads (no complainant in any of it).
 */
import { FeeCategory } from '#shared/domain/complaint';
import { outcomes } from '#shared/domain/fee-case';
import { PageCursor, PageLimit } from '#shared/domain/paging';
import { Reference } from '#shared/domain/reference';
import * as z from '#shared/domain/schema';
import { issueParams, namedPattern } from '#shared/domain/validation';
import { AssociationView } from '#shared/domain/views';

/** A typical case tells about at most this many closed cases. */
export const MAX_CASES_PER_TYPICAL_CASE = 10;

const prose = (max: number, description: string) =>
  z
    .string()
    .check(
      z.minLength(1, 'must not be empty'),
      z.maxLength(max, `must be at most ${max} characters`),
      namedPattern('not_blank', /\S/, 'must not be blank'),
    )
    .register(z.globalRegistry, { description });

export const TypicalCaseInput = z
  .strictObject({
    caseIds: z
      .array(z.string().check(z.minLength(1), z.maxLength(100)))
      .check(
        z.minLength(1, 'name at least one closed case'),
        z.maxLength(MAX_CASES_PER_TYPICAL_CASE, `name at most ${MAX_CASES_PER_TYPICAL_CASE} cases`),
        z.refine((ids) => new Set(ids).size === ids.length, {
          message: 'name each case once',
          params: issueParams('not_unique'),
        }),
      )
      .register(z.globalRegistry, { description: 'The closed cases the typical case tells about' }),
    title: prose(100, 'Headline, e.g. 某市行业协会强制入会收取会费案'),
    summary: prose(4000, 'What happened and how it was handled, anonymized: no complainant named'),
    lessons: z.optional(prose(2000, 'What other associations and enterprises should take from it')),
    publish: z._default(
      z.boolean().register(z.globalRegistry, {
        description: 'Publish at once (true) or keep it as a draft to publish later (false)',
      }),
      false,
    ),
  })
  .register(z.globalRegistry, {
    id: 'TypicalCaseInput',
    description:
      'Body of POST /api/admin/typical-cases. Refused (400 `identifies_complainant`) when the title, summary or lessons name a complainant of the cases',
  });
export type TypicalCaseInput = z.infer<typeof TypicalCaseInput>;

export const typicalCaseStatuses = ['DRAFT', 'PUBLISHED', 'WITHDRAWN'] as const;
export type TypicalCaseStatus = (typeof typicalCaseStatuses)[number];

/** What the public learns of a case a typical case tells about: what the open data publishes too. */
export const TypicalCaseFacts = z
  .object({
    caseId: z.string(),
    reference: z.optional(Reference),
    association: AssociationView,
    fee: z.object({ name: z.string(), category: FeeCategory, amountFen: z.int() }),
    outcome: z.enum(outcomes),
    closedAt: z.string(),
    refundedFen: z.int(),
    reducedAnnualFen: z.int(),
  })
  .register(z.globalRegistry, {
    id: 'TypicalCaseFacts',
    description: 'A closed case as a typical case shows it: association, fee, outcome, refunds',
  });
export type TypicalCaseFacts = z.infer<typeof TypicalCaseFacts>;

const published = {
  typicalCaseId: z.string(),
  title: z.string(),
  summary: z.string(),
  lessons: z.optional(z.string()),
  cases: z.array(TypicalCaseFacts),
};

export const PublicTypicalCase = z
  .object({ ...published, publishedAt: z.string() })
  .register(z.globalRegistry, {
    id: 'PublicTypicalCase',
    description: 'A published typical case (典型案例)',
  });
export type PublicTypicalCase = z.infer<typeof PublicTypicalCase>;

/** A page of a list, newest first; `cursor` reads on. */
const newestFirst = <Item extends z.ZodMiniType>(item: Item, id: string, what: string) =>
  z.object({ items: z.array(item), cursor: z.nullable(z.string()) }).register(z.globalRegistry, {
    id,
    description: `${what}, newest first; \`cursor\` reads on (null on the last page)`,
  });

export const PublicTypicalCaseList = newestFirst(
  PublicTypicalCase,
  'PublicTypicalCaseList',
  'Published typical cases',
);
export type PublicTypicalCaseList = z.infer<typeof PublicTypicalCaseList>;

export const TypicalCaseView = z
  .object({
    ...published,
    status: z.enum(typicalCaseStatuses),
    createdAt: z.string(),
    publishedAt: z.optional(z.string()),
    withdrawnAt: z.optional(z.string()),
  })
  .register(z.globalRegistry, {
    id: 'TypicalCaseView',
    description: 'A typical case as campaign admins see it: draft, published or withdrawn',
  });
export type TypicalCaseView = z.infer<typeof TypicalCaseView>;

export const TypicalCaseList = newestFirst(TypicalCaseView, 'TypicalCaseList', 'Every typical case');

export const TypicalCasesQuery = z
  .strictObject({ limit: PageLimit, cursor: PageCursor })
  .register(z.globalRegistry, { id: 'TypicalCasesQuery' });

export const TypicalCasesAtom = z.string().register(z.globalRegistry, {
  id: 'TypicalCasesAtom',
  description:
    'An Atom 1.0 feed (RFC 4287) of the 50 newest published typical cases, each entry linking to its public page',
});
