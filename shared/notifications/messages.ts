/** Messages of the notification centre: the list, its query, and what marking one read answers. */
import { notificationKinds } from '#shared/domain/notification';
import { PageCursor, PageLimit } from '#shared/domain/paging';
import * as z from '#shared/domain/schema';

export const ListNotificationsQuery = z
  .strictObject({ limit: PageLimit, cursor: PageCursor })
  .register(z.globalRegistry, { id: 'ListNotificationsQuery' });

export const NotificationView = z
  .object({
    notificationId: z.string(),
    at: z.iso.datetime(),
    kind: z.enum(notificationKinds),
    title: z.string().register(z.globalRegistry, { description: "In the caller's language" }),
    body: z.string().register(z.globalRegistry, { description: "In the caller's language" }),
    read: z.boolean(),
    complaintId: z.optional(z.string()),
    caseId: z.optional(z.string()),
    taskId: z.optional(z.string()),
  })
  .register(z.globalRegistry, {
    id: 'NotificationView',
    description: 'One notification of the caller, rendered in the language of the request',
  });

export const NotificationList = z
  .object({
    items: z.array(NotificationView),
    cursor: z.nullable(z.string()),
    unread: z.int().check(z.minimum(0)).register(z.globalRegistry, {
      description: "The caller's unread notifications, all pages together",
    }),
  })
  .register(z.globalRegistry, { id: 'NotificationList' });

export const NotificationRead = z
  .object({ notification: NotificationView, unread: z.int().check(z.minimum(0)) })
  .register(z.globalRegistry, {
    id: 'NotificationRead',
    description: 'The notification, now read, and how many unread notifications the caller has left',
  });

export type NotificationView = z.infer<typeof NotificationView>;
export type NotificationList = z.infer<typeof NotificationList>;
export type NotificationRead = z.infer<typeof NotificationRead>;
