/**
 * Each signed-in user's notification settings: read (the defaults until they save), and replaced as a
 * whole. An enterprise is reached at its complaint's contact, so an address or phone it sends is
 * refused rather than silently dropped.
 */
import { ValidationError } from '#shared/domain/errors';
import { recipientOfPrincipal as recipientOf } from '#shared/domain/notification';
import { defaultNotificationSettings, NotificationSettings } from '#shared/domain/notification-settings';
import type { Principal } from '#shared/domain/principal';
import { parseWith } from '#shared/domain/validation';
import type { NotificationSettingsStore } from '#shared/notification-settings/ports';

type SignedIn = Exclude<Principal, { role: 'anonymous' }>;

export const getNotificationSettings = async (
  store: NotificationSettingsStore,
  principal: SignedIn,
): Promise<NotificationSettings> =>
  (await store.get(recipientOf(principal), principal.subject)) ?? defaultNotificationSettings;

export const saveNotificationSettings = async (
  store: NotificationSettingsStore,
  principal: SignedIn,
  body: unknown,
  now: Date = new Date(),
): Promise<NotificationSettings> => {
  const settings = parseWith(NotificationSettings, body, 'notification settings');
  if (principal.role === 'enterprise' && (settings.email !== undefined || settings.phone !== undefined)) {
    const fields = (['email', 'phone'] as const).filter((field) => settings[field] !== undefined);
    throw new ValidationError(
      "An enterprise is reached at its complaint's contact: give only the language and the opt-outs",
      fields.map((field) => ({
        path: field,
        code: 'unknown_field',
        message: 'not for enterprises: notices go to the contact given in the complaint',
      })),
    );
  }
  await store.put(recipientOf(principal), principal.subject, settings, now);
  return settings;
};
