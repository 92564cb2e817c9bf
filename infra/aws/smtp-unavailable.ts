/**
 * What the functions' bundles get in place of nodemailer. On AWS e-mail goes through SES; SMTP is the
 * local runtime's channel to its own mail server, and nodemailer was 236 KiB of the notification
 * sender's bundle (`npm run bench`). Bundling only: locally and in tests the real nodemailer sends.
 */
export const createTransport = (): never => {
  throw new Error('SMTP_URL is for the local runtime: on AWS e-mail is sent through SES');
};
