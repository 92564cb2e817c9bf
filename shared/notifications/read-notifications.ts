/**
 * The notification centre: every signed-in caller reads the notifications of its own party (its
 * enterprise, its association, its office, the campaign admins), rendered in the caller's language,
 * and marks them read. Another party's notification is not found, exactly like one that does not exist.
 */
import { NotFoundError } from '#shared/domain/errors';
import type { OfficeLanguage } from '#shared/domain/handling-office';
import {
  type Notification,
  type NotificationRecipient,
  notificationIdPattern,
  recipientOfPrincipal,
} from '#shared/domain/notification';
import { notificationText } from '#shared/domain/notification-text';
import type { Principal } from '#shared/domain/principal';
import { parseWith } from '#shared/domain/validation';
import {
  ListNotificationsQuery,
  type NotificationList,
  type NotificationRead,
  type NotificationView,
} from '#shared/notifications/messages';
import type { NotificationStore } from '#shared/notifications/ports';

export const notificationView = (notification: Notification, language: OfficeLanguage): NotificationView => {
  const { title, body } = notificationText(notification, language);
  return {
    notificationId: notification.notificationId,
    at: notification.at,
    kind: notification.kind,
    title,
    body,
    read: notification.read,
    ...(notification.complaintId ? { complaintId: notification.complaintId } : {}),
    ...(notification.caseId ? { caseId: notification.caseId } : {}),
    ...(notification.taskId ? { taskId: notification.taskId } : {}),
  };
};

const recipientOf = (principal: Principal): NotificationRecipient => {
  // The route admits signed-in roles only; an anonymous caller never gets here.
  if (principal.role === 'anonymous') throw new NotFoundError('No notifications');
  return recipientOfPrincipal(principal);
};

export const listNotifications = async (
  store: NotificationStore,
  principal: Principal,
  query: unknown,
  language: OfficeLanguage,
): Promise<NotificationList> => {
  const { limit, cursor } = parseWith(ListNotificationsQuery, query, 'query');
  const page = await store.list(recipientOf(principal), limit, cursor);
  return {
    items: page.items.map((notification) => notificationView(notification, language)),
    cursor: page.cursor,
    unread: page.unread,
  };
};

export const markNotificationRead = async (
  store: NotificationStore,
  principal: Principal,
  notificationId: string,
  language: OfficeLanguage,
): Promise<NotificationRead> => {
  const notFound = () => new NotFoundError('Notification not found');
  if (!notificationIdPattern.test(notificationId)) throw notFound();
  const marked = await store.markRead(recipientOf(principal), notificationId);
  if (!marked) throw notFound();
  return { notification: notificationView(marked.notification, language), unread: marked.unread };
};
