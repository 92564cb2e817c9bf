/**
 * How a signed-in user wants to be told: the address and phone their notifications go to, the
 * language they are written in, and whether they opted out of e-mail or SMS. Legally required notices
 * are sent whatever the opt-outs say. An enterprise is reached at the contact of its complaint, so its
 * users choose only the language and the opt-outs.
 */
import * as z from '#shared/domain/schema';
import { namedPattern } from '#shared/domain/validation';

export const notificationLanguages = ['zh-CN', 'en'] as const;
export type NotificationLanguage = (typeof notificationLanguages)[number];

export const NotificationSettings = z
  .strictObject({
    email: z.optional(
      z.email('must be an email address').check(z.maxLength(254, 'must be at most 254 characters')),
    ),
    phone: z.optional(
      z
        .string()
        .check(
          namedPattern(
            'phone',
            /^\+[1-9]\d{6,14}$/,
            'must be a phone number in international form, such as +8613800138000',
          ),
        ),
    ),
    language: z.enum(notificationLanguages),
    emailOptOut: z.boolean(),
    smsOptOut: z.boolean(),
  })
  .register(z.globalRegistry, {
    id: 'NotificationSettings',
    description:
      "Where and in which language the caller's notifications are delivered; legally required notices ignore the opt-outs. Enterprises are reached at their complaint's contact and give no address here.",
  });
export type NotificationSettings = z.infer<typeof NotificationSettings>;

/** What applies before a user saves anything: Chinese, no opt-out, no address. */
export const defaultNotificationSettings: NotificationSettings = {
  language: 'zh-CN',
  emailOptOut: false,
  smsOptOut: false,
};
