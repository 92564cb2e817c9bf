/**
 * The classifier: evaluates every rule of a rulebook against a complaint's fee and facts and suggests
 * a verdict, the agency to route to, the actions to order and the refund basis. The regulator decides.
 */
import type { Agency } from '#shared/domain/principal';
import {
  type ClassificationInput,
  type Rule,
  type Rulebook,
  type RuleVerdict,
  rulebook,
} from '#shared/rulebook/rules';

export const defaultRulebook: Rulebook = rulebook;

export type SuggestedVerdict = RuleVerdict | 'UNDETERMINED';
export type SuggestedAction = 'ABOLISH' | 'REFUND' | 'ADJUST_TIERS' | 'PUBLISH_STANDARD' | 'REDUCE_PRICE';

export interface MatchedRule {
  id: string;
  title: string;
  citation: string;
  verdict: RuleVerdict;
  agency: Agency;
}

export interface Classification {
  rulebookVersion: string;
  verdict: SuggestedVerdict;
  /** Every matched rule in precedence order: UNLAWFUL before REGULATED, then by id. */
  rules: MatchedRule[];
  actions: SuggestedAction[];
  agency: Agency;
  refundBasisFen: number;
}

const DEFAULT_AGENCY: Agency = 'SAMR';
/** The only rule whose refund basis is the excess over the published standard, not the whole fee. */
const EXCESS_ONLY_RULE = 'R14';

const byPrecedence = (a: Rule, b: Rule): number => {
  if (a.verdict !== b.verdict) return a.verdict === 'UNLAWFUL' ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/** Without these a fee that fires no rule cannot be called lawful. */
function keyFactsKnown({ fee, facts }: ClassificationInput): boolean {
  return (
    facts.compulsory !== undefined &&
    facts.serviceProvided !== undefined &&
    facts.standardPublished !== undefined &&
    (fee.category !== 'MEMBERSHIP_DUES' || facts.duesAdoptedByAssembly !== undefined)
  );
}

function refundBasis(unlawful: readonly Rule[], input: ClassificationInput): number {
  if (unlawful.length === 0) return 0;
  const { amountFen, publishedStandardFen } = input.fee;
  if (unlawful.length === 1 && unlawful[0]?.id === EXCESS_ONLY_RULE && publishedStandardFen !== undefined) {
    return Math.max(0, amountFen - publishedStandardFen);
  }
  return amountFen;
}

export function classifyFee(input: ClassificationInput, book: Rulebook = defaultRulebook): Classification {
  const matched = book.rules.filter((rule) => rule.predicate(input)).sort(byPrecedence);
  const unlawful = matched.filter((rule) => rule.verdict === 'UNLAWFUL');
  const refundBasisFen = refundBasis(unlawful, input);

  let verdict: SuggestedVerdict;
  let actions: SuggestedAction[];
  if (unlawful.length > 0) {
    verdict = 'UNLAWFUL';
    actions = refundBasisFen > 0 ? ['ABOLISH', 'REFUND'] : ['ABOLISH'];
  } else if (matched.length > 0 || keyFactsKnown(input)) {
    // A REGULATED rule decided, or no rule fired on known facts: lawful, stays under supervision.
    verdict = 'REGULATED';
    actions = [...new Set(matched.flatMap((rule) => (rule.action === undefined ? [] : [rule.action])))];
  } else {
    verdict = 'UNDETERMINED';
    actions = [];
  }

  return {
    rulebookVersion: book.version,
    verdict,
    rules: matched.map(({ id, title, citation, verdict: ruleVerdict, agency }) => ({
      id,
      // The record and the API keep the English title; clients show the title in their language by id.
      title: title.en,
      citation,
      verdict: ruleVerdict,
      agency,
    })),
    actions,
    agency: matched[0]?.agency ?? DEFAULT_AGENCY,
    refundBasisFen,
  };
}
