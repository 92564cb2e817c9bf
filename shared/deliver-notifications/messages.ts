/** The delivery queue's message: one notification, as the notification writer stored it. */
import { notificationKinds } from '#shared/domain/notification';
import { agencies } from '#shared/domain/principal';
import * as z from '#shared/domain/schema';

const Recipient = z.discriminatedUnion('party', [
  // A complainant's notice names no enterprise: the sender finds it through the complaint.
  z.object({ party: z.literal('enterprise') }),
  z.object({ party: z.literal('association'), creditCode: z.string() }),
  z.object({ party: z.literal('office'), agency: z.enum(agencies), province: z.string() }),
  z.object({ party: z.literal('campaign-admins') }),
]);

export const DeliveryMessage = z
  .object({
    notification: z.object({
      notificationId: z.string().check(z.minLength(1)),
      recipient: Recipient,
      kind: z.enum(notificationKinds),
      at: z.string(),
      read: z.boolean(),
      complaintId: z.optional(z.string()),
      caseId: z.optional(z.string()),
      taskId: z.optional(z.string()),
      // Rendered by the templates, which know each parameter; the record was checked when written.
      params: z.looseObject({}),
    }),
  })
  .register(z.globalRegistry, {
    id: 'DeliveryMessage',
    description: 'A notification waiting to be delivered by e-mail and SMS',
  });
