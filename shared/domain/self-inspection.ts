/**
 * Self-inspection (收费自查, docs/associations.md "Self-inspection"): each year an association declares
 * every fee it charges. Each declared fee is screened by the rulebook exactly as a complaint's fee and
 * facts are; a fee that fires a rule is suspect and opens a fee case of origin SELF_INSPECTION.
 */
import {
  type ComplaintFacts,
  ComplaintFacts as ComplaintFactsSchema,
  type Fee,
  FeeCategory,
  FeePeriod,
  MAX_AMOUNT_FEN,
  namedText,
  ServiceProvided,
  todayInChina,
} from '#shared/domain/complaint';
import { type AttachmentRecord, Attachments } from '#shared/domain/evidence';
import { normalizeFeeName } from '#shared/domain/fee-identity';
import * as z from '#shared/domain/schema';
import { issueParams } from '#shared/domain/validation';
import { type Classification, classifyFee } from '#shared/rulebook/evaluate';
import type { ClassificationInput } from '#shared/rulebook/rules';

/** What a fee rests on: a law, a regulation, the member assembly, the board (理事会), or nothing. */
export const feeBasisKinds = ['LAW', 'REGULATION', 'MEMBER_ASSEMBLY', 'BOARD_RESOLUTION', 'NONE'] as const;
export type FeeBasisKind = (typeof feeBasisKinds)[number];

/** The most fees one declaration lists; an association with more declares the rest as a new version. */
export const MAX_DECLARED_FEES = 50;

const fen = z
  .int('must be a whole number of fen')
  .check(z.minimum(1, 'must be at least 1 fen'), z.maximum(MAX_AMOUNT_FEN, 'must be at most 10^12 fen'));

export const FeeTier = z
  .strictObject({ label: namedText(100, 'The tier, e.g. 会长单位'), amountFen: fen })
  .register(z.globalRegistry, { id: 'FeeTier', description: 'One tier of a tiered fee (dues tiers)' });

export const FeeBasis = z
  .strictObject({
    kind: z.enum(feeBasisKinds),
    text: z.optional(z.string().check(z.maxLength(500, 'must be at most 500 characters'))),
  })
  .register(z.globalRegistry, {
    id: 'FeeBasis',
    description:
      'What the fee rests on (law, regulation, member assembly, board resolution, none) and its citation',
  });

export const DeclaredFeeInput = z
  .strictObject({
    name: namedText(200, 'Name of the fee as the association calls it'),
    category: FeeCategory,
    amountFen: z.optional(fen),
    tiers: z.optional(z.array(FeeTier).check(z.minLength(1), z.maxLength(20))),
    period: FeePeriod,
    basis: FeeBasis,
    compulsory: z.boolean().register(z.globalRegistry, { description: 'Members cannot refuse the fee' }),
    serviceProvided: ServiceProvided,
    facts: z.optional(ComplaintFactsSchema),
    attachments: z.optional(Attachments),
  })
  .check(
    z.superRefine((fee, ctx) => {
      if ((fee.amountFen === undefined) === (fee.tiers === undefined))
        ctx.addIssue({
          code: 'custom',
          path: ['amountFen'],
          message: 'give either an amount or tiers',
          params: issueParams('invalid'),
          input: fee,
        });
    }),
  )
  .register(z.globalRegistry, { id: 'DeclaredFeeInput', description: 'One fee the association charges' });
export type DeclaredFeeInput = z.infer<typeof DeclaredFeeInput>;

export const SelfInspectionInput = z
  .strictObject({
    year: z.int().check(z.minimum(2020), z.maximum(2100)),
    fees: z.array(DeclaredFeeInput).check(
      z.minLength(1, 'declare at least one fee'),
      z.maxLength(MAX_DECLARED_FEES, `must be at most ${MAX_DECLARED_FEES} fees`),
      z.superRefine((fees, ctx) => {
        const seen = new Set<string>();
        fees.forEach((fee, index) => {
          const identity = declaredFeeIdentity(fee);
          if (seen.has(identity))
            ctx.addIssue({
              code: 'custom',
              path: [index, 'name'],
              message: 'the same fee is declared twice',
              params: issueParams('not_unique'),
              input: fee.name,
            });
          seen.add(identity);
        });
      }),
    ),
  })
  .register(z.globalRegistry, {
    id: 'SelfInspectionInput',
    description: 'Body of POST /api/self-inspections',
  });
export type SelfInspectionInput = z.infer<typeof SelfInspectionInput>;

/** What the rulebook made of a declared fee: recorded as declared, or suspect with the case it opened. */
export type FeeScreening =
  | { result: 'DECLARED'; verdict: Classification['verdict'] }
  | { result: 'SUSPECT'; verdict: Classification['verdict']; ruleIds: string[]; caseId: string };

export type DeclaredFee = Omit<DeclaredFeeInput, 'attachments'> & {
  /** The documents the fee rests on, as the version that named them recorded them. */
  attachments?: AttachmentRecord[];
  screening: FeeScreening;
};

/** One version of an association's declaration for a year; earlier versions are kept. */
export interface Declaration {
  creditCode: string;
  associationName: string;
  year: number;
  version: number;
  declaredAt: string;
  /** The association account that declared. */
  declaredBy: string;
  /** Hash of the request body: the same body again is answered with this version. */
  requestHash: string;
  /** The rulebook version the fees were screened with. */
  rulebookVersion: string;
  fees: DeclaredFee[];
}

/** Fees are told apart as fee cases tell them apart: category and normalized name. */
export const declaredFeeIdentity = (fee: { name: string; category: string }): string =>
  `${fee.category}#${normalizeFeeName(fee.name)}`;

/** The highest amount the fee may come to: its amount, or its highest tier. */
export const highestAmountFen = (fee: Pick<DeclaredFeeInput, 'amountFen' | 'tiers'>): number =>
  fee.amountFen ?? Math.max(...(fee.tiers ?? []).map((tier) => tier.amountFen));

/**
 * The facts a declaration asserts, as a complaint would state them: the facts the association gave,
 * overridden by what the declaration's own fields say. Dues rest lawfully only on the member assembly:
 * dues declared on any other basis are not adopted by it (R12), and tiers count as dues tiers (R15).
 */
export const declaredFacts = (fee: DeclaredFeeInput): ComplaintFacts => {
  const dues = fee.category === 'MEMBERSHIP_DUES';
  return {
    ...fee.facts,
    compulsory: fee.compulsory,
    serviceProvided: fee.serviceProvided,
    ...(dues && fee.basis.kind === 'MEMBER_ASSEMBLY' ? { duesAdoptedByAssembly: true } : {}),
    ...(dues && (fee.basis.kind === 'BOARD_RESOLUTION' || fee.basis.kind === 'NONE')
      ? { duesAdoptedByAssembly: false }
      : {}),
    ...(fee.tiers ? { duesTiers: fee.tiers.length } : {}),
  };
};

/** The fee as a fee case and the rulebook know it, charged (at its highest) on the day it is declared. */
export const declaredCaseFee = (fee: DeclaredFeeInput, declaredAt: Date): Fee => ({
  name: fee.name,
  category: fee.category,
  amountFen: highestAmountFen(fee),
  chargedOn: todayInChina(declaredAt),
  period: fee.period,
});

/** The rulebook's input for a declared fee: the same shape a complaint's fee and facts take. */
export const screeningInput = (fee: DeclaredFeeInput, declaredAt: Date): ClassificationInput => ({
  fee: declaredCaseFee(fee, declaredAt),
  facts: declaredFacts(fee),
});

/** A declared fee is suspect when any rule fires on it; a fee no rule fires on is recorded as declared. */
export const screenDeclaredFee = (fee: DeclaredFeeInput, declaredAt: Date) => {
  const classification = classifyFee(screeningInput(fee, declaredAt));
  return { classification, suspect: classification.rules.length > 0 };
};

/**
 * When declarations for `year` are due: the end of 31 March of the next year, China time, unless the
 * campaign sets another month and day (`SELF_INSPECTION_DUE`, `MM-DD`, of the next year).
 */
export const declarationDueAt = (year: number, due = '03-31'): string =>
  new Date(`${year + 1}-${due}T23:59:59.999+08:00`).toISOString();

/** Whether a declaration lists the fee (normalized name and category). */
export const declares = (
  declaration: { fees: readonly { name: string; category: string }[] },
  fee: { name: string; category: string },
) => declaration.fees.some((declared) => declaredFeeIdentity(declared) === declaredFeeIdentity(fee));
