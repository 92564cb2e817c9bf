/**
 * The fee case: one per (association, fee) while it is open. Its item is the source of truth for
 * where the case stands; complaints about the same fee join it.
 */
import type { CaseOrigin } from '#shared/domain/association';
import type { FeedbackTally } from '#shared/domain/closing-feedback';
import type { ComplaintFacts, Fee } from '#shared/domain/complaint';
import type { TaskKind } from '#shared/domain/fee-task';
import type { Agency } from '#shared/domain/principal';
import type { Classification } from '#shared/rulebook/evaluate';

export const stages = [
  'RECEIVED',
  'CLASSIFIED',
  'UNDER_REVIEW',
  'INFO_REQUESTED',
  'RECTIFYING',
  'VERIFYING',
  'CLOSED',
] as const;
export type Stage = (typeof stages)[number];

export const outcomes = ['ABOLISHED', 'REGULATED', 'DISMISSED'] as const;
export type Outcome = (typeof outcomes)[number];

/** `undeclared`: a complaint about a fee its association left out of its self-inspection declaration. */
export type CaseFlag = 'overdue' | 'escalated' | 'attention' | 'undeclared';

export interface FeeCase {
  caseId: string;
  /** Its reference number, from the same sequence as complaints' (absent on cases opened before). */
  reference?: string;
  feeKey: string;
  association: { name: string; creditCode?: string; province: string };
  fee: Fee;
  /** Province that routes the case: the association's. */
  province: string;
  /** Agency the case is routed to, once classified. */
  agency?: Agency;
  stage: Stage;
  verdict?: string;
  outcome?: Outcome;
  flags: CaseFlag[];
  complaintCount: number;
  enterpriseCount: number;
  claimedFen: number;
  refundedFen: number;
  reducedAnnualFen: number;
  openedAt: string;
  updatedAt: string;
  closedAt?: string;
  /** The closed case about the same fee that this one follows, if any. */
  previousCaseId?: string;
  /** Absent on cases opened by complaints (and on every case opened before self-inspection). */
  origin?: CaseOrigin;
  /**
   * For a case opened by a self-inspection: the declaration it came from and the facts the declaration
   * asserts, which the rulebook reads as it reads a complaint's.
   */
  declaration?: { year: number; version: number; facts: ComplaintFacts };
  /** What the rulebook suggested and what the regulator decided. */
  classification?: { suggested: Classification; final?: FinalDecision };
  /** Facts the complainant supplied later, in answer to a request for information. */
  supplementaryFacts?: ComplaintFacts;
  order?: RectificationOrder;
  /** The latest report of the association, pending or past verification. */
  rectification?: RectificationRecord;
  /** The task the case is (or was last) waiting on. */
  currentTask?: { taskId: string; kind: TaskKind };
  /** Counts the tasks opened per kind, so task ids are stable on resume. */
  taskRounds?: Partial<Record<TaskKind, number>>;
  /** How often the workflow was resumed; part of the resumed execution's name. */
  resumeCount?: number;
  enterprisesHelped?: number;
  /** What its complainants said after closure, added up. */
  feedback?: FeedbackTally;
  /** The latest time a complainant's "refund not received" reopened its verification. */
  reopened?: Reopening;
  decidedAt?: string;
  /** When the case was last transferred (转办): from then on its office is the one chosen, not the rulebook's. */
  transferredAt?: string;
  version: number;
  eventSeq: number;
  lastEventHash: string;
}

export interface Reopening {
  /** How often the case was reopened. */
  times: number;
  /** The VERIFICATION task the reopening opened. */
  taskId: string;
  /** The `resumeCount` whose execution the reopening started. */
  execution: number;
  at: string;
}

export interface FinalDecision {
  verdict: 'UNLAWFUL' | 'REGULATED' | 'DISMISSED' | 'NEEDS_INFO';
  ruleIds: string[];
  /** The regulator's internal reasoning: for regulators only (for NEEDS_INFO, the question to the complainant). */
  reason: string;
  actions: string[];
  /** What the order tells the association, as the regulator wrote it. */
  orderText?: string;
  rectificationDays?: number;
  decidedAt: string;
  /**
   * Four eyes: an UNLAWFUL decision waiting for a second regulator's confirmation. Until then the case
   * has no `verdict` (nothing counts it, nobody outside the office learns it); a refusal drops it.
   */
  awaitingSecondReview?: true;
}

export interface RectificationOrder {
  actions: string[];
  rectificationDays: number;
  issuedAt: string;
  dueAt: string;
  /** The text addressed to the association (absent on orders issued before there was one). */
  orderText?: string;
}

const verdictWording: Partial<Record<FinalDecision['verdict'], string>> = {
  UNLAWFUL: 'The regulator found this fee unlawful',
  REGULATED: 'The regulator found this fee lawful but in need of regulation',
};

const actionWording: Record<string, string> = {
  ABOLISH: 'abolish the fee',
  REFUND: 'refund what was charged',
  REDUCE_PRICE: 'reduce the price',
  PUBLISH_STANDARD: 'publish the fee standard',
  ADJUST_TIERS: 'reduce the dues tiers to at most four',
};

/** The neutral wording of an order whose regulator wrote no text for the association. */
export const standardOrderText = (verdict: string, actions: readonly string[]): string =>
  `${verdictWording[verdict as FinalDecision['verdict']] ?? 'The regulator decided on this fee'}. ` +
  `Within the period set, the association is to: ${actions.map((action) => actionWording[action] ?? action).join('; ')}.`;

/**
 * What the order tells the association: the regulator's text for it, or the standard wording; never
 * the regulator's internal reason.
 */
export const orderTextOf = (decision: Pick<FinalDecision, 'verdict' | 'actions' | 'orderText'>): string =>
  decision.orderText ?? standardOrderText(decision.verdict, decision.actions);

export interface RectificationRecord {
  abolished: boolean;
  refundedFen: number;
  /** As the association reported it (0 is a figure); absent when it reported none. */
  reducedAnnualFen?: number;
  evidence: { kind: string; reference: string }[];
  note?: string;
  reportedAt: string;
  accepted?: boolean;
}

/** Facts of every complaint in filing order (a known value is never erased by an unknown one), then the answers to information requests. */
export const mergedFacts = (
  complaintFacts: readonly ComplaintFacts[],
  supplementary?: ComplaintFacts,
): ComplaintFacts => {
  const merged: Record<string, unknown> = {};
  for (const facts of [...complaintFacts, supplementary ?? {}]) {
    for (const [name, value] of Object.entries(facts)) if (value !== undefined) merged[name] = value;
  }
  return merged as ComplaintFacts;
};

/**
 * The facts a case is classified on: for a self-inspection case its declaration's first (as the
 * association asserted them), then every complaint's, then the answers to information requests.
 */
export const caseFacts = (
  feeCase: Pick<FeeCase, 'declaration' | 'supplementaryFacts'>,
  complaintFacts: readonly ComplaintFacts[],
): ComplaintFacts =>
  mergedFacts(
    [...(feeCase.declaration ? [feeCase.declaration.facts] : []), ...complaintFacts],
    feeCase.supplementaryFacts,
  );
