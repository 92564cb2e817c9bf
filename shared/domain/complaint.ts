/**
 * The complaint an enterprise files about a fee (docs/data-model.md). Schemas are strict (unknown fields
 * are rejected), bounded, and free of transforms so `z.toJSONSchema` can publish them as OpenAPI.
 */
import { CreditCode, isValidCreditCode, Province, provinceOfCreditCode } from '#shared/domain/credit-code';
import { Attachments } from '#shared/domain/evidence';
import * as z from '#shared/domain/schema';
import { issueParams, namedPattern } from '#shared/domain/validation';

export const MAX_AMOUNT_FEN = 1_000_000_000_000;

/** The campaign's commitment to complainants: a decision on the fee within 15 working days of filing. */
export const decisionWorkingDays = 15;

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Today's date (YYYY-MM-DD) in China (UTC+8, no daylight saving), where fees are charged. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** A 1-`max` character name that is not blank and has at least one letter or digit. */
export const namedText = (max: number, description: string) =>
  z
    .string()
    .check(
      z.minLength(1, 'must not be empty'),
      z.maxLength(max, `must be at most ${max} characters`),
      namedPattern(
        'letters_or_digits',
        /[\p{L}\p{N}]/u,
        'must contain letters or digits, not only spaces or punctuation',
      ),
    )
    .register(z.globalRegistry, { description });

const fen = (description: string) =>
  z
    .int('must be a whole number of fen')
    .check(z.minimum(1, 'must be at least 1 fen'), z.maximum(MAX_AMOUNT_FEN, 'must be at most 10^12 fen'))
    .register(z.globalRegistry, { description });

export const feeCategories = [
  'MEMBERSHIP_DUES',
  'MEETING_TRAINING',
  'EXHIBITION',
  'RATING_AWARD',
  'QUALIFICATION_CERTIFICATION',
  'SPONSORSHIP_DONATION',
  'PUBLICATION_SUBSCRIPTION',
  'ADVERTISING',
  'DELEGATED_GOVERNMENT_SERVICE',
  'COUNCIL_POSITION',
  'MARKET_SERVICE',
  'OTHER',
] as const;

export const FeeCategory = z
  .enum(feeCategories)
  .register(z.globalRegistry, { id: 'FeeCategory', description: 'What the fee is charged for' });
export type FeeCategory = z.infer<typeof FeeCategory>;

export const FeePeriod = z
  .enum(['ONE_OFF', 'ANNUAL'])
  .register(z.globalRegistry, { id: 'FeePeriod', description: 'Charged once, or every year' });
export type FeePeriod = z.infer<typeof FeePeriod>;

export const ServiceProvided = z.enum(['YES', 'PARTIAL', 'NO']).register(z.globalRegistry, {
  id: 'ServiceProvided',
  description: 'Whether the service paid for was provided',
});
export type ServiceProvided = z.infer<typeof ServiceProvided>;

const fact = (description: string) => z.optional(z.boolean().register(z.globalRegistry, { description }));

export const ComplaintFacts = z
  .strictObject({
    compulsory: fact('The fee could not be refused'),
    forcedMembership: fact('Forced or disguised-forced joining, or members blocked from leaving'),
    governmentLinked: fact('Charged through statutory duties, delegated powers or government influence'),
    serviceProvided: z.optional(ServiceProvided),
    duplicateCharge: fact('Charged again for what dues already cover, or dues collected twice'),
    chargedByBranch: fact('Collected by a branch or representative office'),
    kickback: fact('Members recruited through fee kickbacks or commissions'),
    duesAdoptedByAssembly: fact('Dues standard adopted by the member assembly (2/3 present, secret ballot)'),
    duesTiers: z.optional(
      z
        .int('must be a whole number')
        .check(z.minimum(1, 'must be at least 1'), z.maximum(100, 'must be at most 100'))
        .register(z.globalRegistry, { description: 'Number of dues tiers' }),
    ),
    floatingDues: fact('Dues set as a floating rate rather than a fixed amount'),
    chargedAsNonMember: fact('Charged "dues" although not a member'),
    standardPublished: fact('The fee standard is published'),
    monopolyService: fact(
      'A service only this association can provide, priced above cost plus a small surplus',
    ),
  })
  .register(z.globalRegistry, {
    id: 'ComplaintFacts',
    description: 'What the complainant knows about the fee; leave out what is not known',
  });
export type ComplaintFacts = z.infer<typeof ComplaintFacts>;

export const AssociationRef = z
  .strictObject({
    name: namedText(200, 'Name of the association or chamber of commerce'),
    creditCode: z.optional(CreditCode),
    province: z.optional(Province),
  })
  .check(
    z.superRefine((association, ctx) => {
      const { creditCode, province } = association;
      if (creditCode === undefined && province === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: "give the association's credit code or its province",
          params: issueParams('code_or_province'),
          input: association,
        });
      } else if (
        creditCode !== undefined &&
        province !== undefined &&
        // An invalid code already has its own issue; only a valid one has a province to compare.
        isValidCreditCode(creditCode) &&
        provinceOfCreditCode(creditCode) !== province
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['province'],
          message: "does not match the province of the association's credit code",
          params: issueParams('province_mismatch'),
          input: province,
        });
      }
    }),
  )
  .register(z.globalRegistry, {
    id: 'AssociationRef',
    description: 'The association that charged the fee; a credit code or a province is required',
  });
export type AssociationRef = z.infer<typeof AssociationRef>;

export const Fee = z
  .strictObject({
    name: namedText(200, 'Name of the fee as the association calls it'),
    category: FeeCategory,
    amountFen: fen('Amount charged, in fen (1 yuan = 100 fen)'),
    chargedOn: z.iso
      // Abort so a malformed date is not also reported as being in the future.
      .date({ message: 'must be a real date written YYYY-MM-DD', abort: true })
      .check(
        z.refine((day) => day <= todayInChina(), {
          message: 'must not be in the future',
          params: issueParams('future_date'),
        }),
      )
      .register(z.globalRegistry, {
        description: 'Day the fee was charged (YYYY-MM-DD, China time), not in the future',
      }),
    period: FeePeriod,
    publishedStandardFen: z.optional(fen('The published standard for this fee, in fen, when there is one')),
  })
  .register(z.globalRegistry, { id: 'Fee', description: 'The fee complained about' });
export type Fee = z.infer<typeof Fee>;

export const Contact = z
  .strictObject({
    name: namedText(200, 'Contact person'),
    phone: z
      .string()
      .check(
        z.minLength(7, 'must be at least 7 characters'),
        z.maxLength(20, 'must be at most 20 characters'),
        namedPattern(
          'phone',
          /^(?=(?:\D*\d){7})[0-9 +-]+$/,
          'must be a phone number: at least 7 digits, spaces, + and -',
        ),
      ),
    email: z.optional(
      z.email('must be an email address').check(z.maxLength(254, 'must be at most 254 characters')),
    ),
  })
  .register(z.globalRegistry, {
    id: 'Contact',
    description: 'How the regulator reaches the complainant; encrypted at rest',
  });
export type Contact = z.infer<typeof Contact>;

export const ComplaintInput = z
  .strictObject({
    association: AssociationRef,
    fee: Fee,
    facts: z._default(ComplaintFacts, {}),
    description: z
      .string()
      .check(
        z.minLength(1, 'must not be empty'),
        z.maxLength(4000, 'must be at most 4000 characters'),
        namedPattern('not_blank', /\S/, 'must not be blank'),
      )
      .register(z.globalRegistry, { description: 'What happened, in the complainant’s words' }),
    contact: Contact,
    attachments: z.optional(Attachments),
    discloseIdentityToAssociation: z._default(
      z
        .boolean()
        .register(z.globalRegistry, { description: 'Whether the association may learn who complained' }),
      false,
    ),
  })
  .register(z.globalRegistry, { id: 'ComplaintInput', description: 'Body of POST /api/complaints' });
/** A parsed complaint (defaults applied). */
export type ComplaintInput = z.infer<typeof ComplaintInput>;
/** A complaint as a client sends it (defaulted fields optional). */
export type ComplaintInputBody = z.input<typeof ComplaintInput>;
