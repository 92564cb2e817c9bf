import { Reference } from '#shared/domain/reference';
import * as z from '#shared/domain/schema';
import { EarlierComplaintMessage, HandlingOfficeView } from '#shared/domain/views';

export const IntakeReceiptMessage = z
  .object({
    complaintId: z.string(),
    reference: Reference,
    caseId: z.string(),
    status: z.literal('RECEIVED'),
    joinedExistingCase: z.boolean(),
    repeatOf: z.optional(EarlierComplaintMessage),
    handlingOffice: z.optional(HandlingOfficeView),
    decisionDueAt: z.optional(
      z.iso.datetime().register(z.globalRegistry, {
        description: 'When a decision on the fee is due: 15 working days from filing, China time',
      }),
    ),
  })
  .register(z.globalRegistry, {
    id: 'IntakeReceipt',
    description:
      'The complaint was submitted: its reference, the case it belongs to, the office expected to handle it, ' +
      'when a decision is due and, for a repeat filing, the earlier complaint it adds to',
  });
