import * as z from '#shared/domain/schema';

export const IntakeReceiptMessage = z
  .object({
    complaintId: z.string(),
    caseId: z.string(),
    status: z.literal('RECEIVED'),
    joinedExistingCase: z.boolean(),
  })
  .register(z.globalRegistry, {
    id: 'IntakeReceipt',
    description: 'The complaint was accepted; the case it belongs to',
  });
