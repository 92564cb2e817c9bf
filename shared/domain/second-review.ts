/**
 * Four eyes (复核): which UNLAWFUL decisions a second regulator of the agency must confirm before the
 * rectification order goes out. Each agency has one rule: always, from a claimed amount on, or never.
 * The rules are set in the system description (`infra/system.ts`) and reach the tasks API as its
 * environment (`SECOND_REVIEW_POLICY`), checked at cold start.
 */
import type { FinalDecision } from '#shared/domain/fee-case';
import { type Agency, agencies } from '#shared/domain/principal';
import * as z from '#shared/domain/schema';

/**
 * The policy's schema, built when the tasks API loads its configuration: every function's config module
 * imports this one, and a schema built at import would cost each of them at cold start.
 */
export const SecondReviewPolicy = () => {
  const rule = z.discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('always') }),
    /** From `thresholdFen` on (the case's claimed amount, in fen), a second regulator confirms. */
    z.strictObject({ mode: z.literal('threshold'), thresholdFen: z.int().check(z.minimum(0)) }),
    z.strictObject({ mode: z.literal('off') }),
  ]);
  return z.strictObject(
    Object.fromEntries(agencies.map((agency) => [agency, rule])) as Record<Agency, typeof rule>,
  );
};
export type SecondReviewPolicy = z.infer<ReturnType<typeof SecondReviewPolicy>>;

/** Whether the decision needs a second regulator before it becomes final. */
export const needsSecondReview = (
  policy: SecondReviewPolicy | undefined,
  agency: Agency,
  verdict: FinalDecision['verdict'],
  claimedFen: number,
): boolean => {
  const rule = policy?.[agency];
  if (verdict !== 'UNLAWFUL' || !rule) return false;
  switch (rule.mode) {
    case 'always':
      return true;
    case 'threshold':
      return claimedFen >= rule.thresholdFen;
    case 'off':
      return false;
  }
};
