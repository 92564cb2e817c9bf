/** Where users' notification settings are kept, by party and user. */
import type { NotificationRecipient } from '#shared/domain/notification';
import type { NotificationSettings } from '#shared/domain/notification-settings';

export interface NotificationSettingsStore {
  get(recipient: NotificationRecipient, subject: string): Promise<NotificationSettings | undefined>;
  put(
    recipient: NotificationRecipient,
    subject: string,
    settings: NotificationSettings,
    savedAt: Date,
  ): Promise<void>;
}
