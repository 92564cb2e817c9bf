import * as z from '#shared/domain/schema';

export const EarlierComplaintMessage = z.object({ complaintId: z.string() }).register(z.globalRegistry, {
  id: 'EarlierComplaint',
  description: "The enterprise's complaint about the case that counts; a repeat filing was added to it",
});

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
