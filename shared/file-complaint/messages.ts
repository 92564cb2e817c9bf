import * as z from '#shared/domain/schema';
import { EarlierComplaintMessage } from '#shared/domain/views';

export const IntakeReceiptMessage = z
  .object({
    complaintId: z.string(),
    caseId: z.string(),
    status: z.literal('RECEIVED'),
    joinedExistingCase: z.boolean(),
    repeatOf: z.optional(EarlierComplaintMessage),
  })
  .register(z.globalRegistry, {
    id: 'IntakeReceipt',
    description:
      'The complaint was accepted; the case it belongs to and, for a repeat filing, the earlier complaint it adds to',
  });
