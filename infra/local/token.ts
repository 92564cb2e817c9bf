/**
 * `npm run token -- --user EMAIL [--password P] [--url URL]`: signs an account in through the local
 * identity provider and prints its ID token, for curl and scripts. The password comes from
 * --password, CAMPAIGN_PASSWORD or a prompt.
 */
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { SignInRefusedError, signIn } from '#infra/local/identity-provider/sign-in';

const { values } = parseArgs({
  options: { user: { type: 'string' }, password: { type: 'string' }, url: { type: 'string' } },
});
if (!values.user) {
  console.error('Usage: npm run token -- --user EMAIL [--password PASSWORD] [--url http://127.0.0.1:3000]');
  process.exit(2);
}
const url = values.url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
/** Asks on the terminal without echoing what is typed. */
const askPassword = async () => {
  process.stderr.write(`Password of ${values.user}: `);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const prompt = createInterface({ input: process.stdin, output: silent, terminal: true });
  const answer = await prompt.question('');
  prompt.close();
  process.stderr.write('\n');
  return answer;
};
const password = values.password ?? process.env.CAMPAIGN_PASSWORD ?? (await askPassword());

try {
  const tokens = await signIn({ url, email: values.user, password });
  console.log(tokens.idToken);
} catch (error) {
  console.error(
    error instanceof SignInRefusedError
      ? error.reason === 'password_change_required'
        ? 'This account still has a temporary password: sign in once in the portal and set your own.'
        : `Sign-in refused: ${error.message}`
      : `Cannot reach the runtime at ${url}: ${String(error)}`,
  );
  process.exit(1);
}
