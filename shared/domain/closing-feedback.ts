/**
 * What the complainant says once its case is closed: whether the refund arrived and how the case was
 * handled. We count what enterprises confirm, not only what officials record.
 */
import type { FeeCase } from '#shared/domain/fee-case';
import * as z from '#shared/domain/schema';
import { namedPattern } from '#shared/domain/validation';

/** How long after its case closed a complainant may still give feedback. */
export const FEEDBACK_DAYS = 30;

export const satisfactionLevels = [1, 2, 3, 4, 5] as const;
export type Satisfaction = (typeof satisfactionLevels)[number];

export const ClosingFeedbackInput = z
  .strictObject({
    refundReceived: z.nullable(
      z.boolean().register(z.globalRegistry, {
        description:
          'Whether the refund the association reported arrived; null when no refund was due. `false` reopens verification',
      }),
    ),
    satisfaction: z
      .int('must be a whole number from 1 to 5')
      .check(z.minimum(1, 'must be at least 1'), z.maximum(5, 'must be at most 5'))
      .register(z.globalRegistry, {
        description:
          'How the case was handled: 5 very satisfied, 4 satisfied, 3 fair, 2 dissatisfied, 1 very dissatisfied',
      }),
    comment: z.optional(
      z
        .string()
        .check(
          z.minLength(1, 'must not be empty'),
          z.maxLength(1000, 'must be at most 1000 characters'),
          namedPattern('not_blank', /\S/, 'must not be blank'),
        )
        .register(z.globalRegistry, {
          description:
            'In the complainant’s words; read by the regulators of the case, never by the association',
        }),
    ),
  })
  .register(z.globalRegistry, {
    id: 'ClosingFeedbackInput',
    description: 'Body of POST /api/complaints/{id}/feedback: given once, within 30 days of closure',
  });
export type ClosingFeedbackInput = z.infer<typeof ClosingFeedbackInput>;

/** Feedback as recorded on the complaint. */
export interface ClosingFeedback {
  refundReceived: boolean | null;
  satisfaction: Satisfaction;
  comment?: string;
  givenAt: string;
}

/**
 * What the feedback of a case's complainants adds up to, kept on the case so that the counters of
 * its scopes move with it (never a comment, never who said what).
 */
export interface FeedbackTally {
  refundsConfirmed: number;
  refundsDisputed: number;
  /** Answers per level, index 0 for level 1. */
  satisfaction: [number, number, number, number, number];
}

export const emptyTally = (): FeedbackTally => ({
  refundsConfirmed: 0,
  refundsDisputed: 0,
  satisfaction: [0, 0, 0, 0, 0],
});

export const tallyWith = (tally: FeedbackTally | undefined, feedback: ClosingFeedback): FeedbackTally => {
  const next = structuredClone(tally ?? emptyTally());
  if (feedback.refundReceived === true) next.refundsConfirmed += 1;
  if (feedback.refundReceived === false) next.refundsDisputed += 1;
  next.satisfaction[feedback.satisfaction - 1] = (next.satisfaction[feedback.satisfaction - 1] ?? 0) + 1;
  return next;
};

/** A complaint as far as feedback on it goes: a repeat filing counts for nothing, and gives none. */
interface FeedbackSubject {
  repeatOf?: unknown;
  feedback?: ClosingFeedback;
}

/**
 * The last moment feedback is taken, 30 days after the case closed: on the enterprise's complaint
 * that counts, without feedback yet, while its case is closed. Undefined otherwise.
 */
export const feedbackWindow = (
  complaint: FeedbackSubject,
  feeCase: Pick<FeeCase, 'stage' | 'closedAt'>,
): string | undefined =>
  !complaint.repeatOf && !complaint.feedback && feeCase.stage === 'CLOSED' && feeCase.closedAt
    ? new Date(Date.parse(feeCase.closedAt) + FEEDBACK_DAYS * 86_400_000).toISOString()
    : undefined;

/** Until when the complainant may still give feedback; undefined when it may not (any more). */
export const feedbackOpenUntil = (
  complaint: FeedbackSubject,
  feeCase: Pick<FeeCase, 'stage' | 'closedAt'>,
  now: Date,
): string | undefined => {
  const until = feedbackWindow(complaint, feeCase);
  return until && Date.parse(until) >= now.getTime() ? until : undefined;
};

export const ClosingFeedbackView = z
  .object({
    refundReceived: z.nullable(z.boolean()),
    satisfaction: z.int(),
    comment: z.optional(z.string()),
    givenAt: z.iso.datetime(),
  })
  .register(z.globalRegistry, {
    id: 'ClosingFeedback',
    description:
      "The complainant's feedback after closure; its comment only for the complainant and regulators",
  });
