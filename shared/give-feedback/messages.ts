/** Messages of closing feedback: the complainant's answer, and what it led to. */
import { ClosingFeedbackView } from '#shared/domain/closing-feedback';
import * as z from '#shared/domain/schema';

export const FeedbackReceipt = z
  .object({
    complaintId: z.string(),
    caseId: z.string(),
    feedback: ClosingFeedbackView,
    reopened: z.boolean().register(z.globalRegistry, {
      description: 'The refund did not arrive: the case went back to the regulator for verification',
    }),
  })
  .register(z.globalRegistry, {
    id: 'FeedbackReceipt',
    description: 'The feedback as recorded; repeating the same feedback answers the same receipt',
  });
export type FeedbackReceipt = z.infer<typeof FeedbackReceipt>;
