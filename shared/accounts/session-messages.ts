/** What signing out everywhere answers. Apart from user management: every role may do it. */
import * as z from '#shared/domain/schema';

export const SignedOut = z
  .object({
    signedOutAt: z.iso.datetime(),
  })
  .register(z.globalRegistry, {
    id: 'SignedOut',
    description:
      'Every session and refresh token of the account has ended; ID tokens already issued lapse at their expiry (at most one hour)',
  });
export type SignedOut = z.infer<typeof SignedOut>;
