import * as z from 'zod';

export const IntakeReceiptMessage = z
  .object({
    complaintId: z.string(),
    caseId: z.string(),
    status: z.literal('RECEIVED'),
    joinedExistingCase: z.boolean(),
  })
  .meta({ id: 'IntakeReceipt', description: 'The complaint was accepted; the case it belongs to' });
