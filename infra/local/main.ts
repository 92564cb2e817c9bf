/** `npm start`: the whole platform on one machine. */

import { DynamoDbLocalStartError, JavaMissingError, PortInUseError } from '#infra/local/dynamodb-local';
import { ApiPortInUseError, startLocalRuntime } from '#infra/local/runtime';
import * as z from '#shared/domain/schema';

/** Problems of the machine, told in one line instead of a stack trace. */
const machineProblems = [ApiPortInUseError, PortInUseError, JavaMissingError, DynamoDbLocalStartError];

const Settings = z.object({
  PORT: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(65535)), 3000),
  LOCAL_DATA_DIR: z._default(z.string().check(z.minLength(1)), '.local'),
  DYNAMODB_PORT: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(65535))),
  /** `1`: answer POST /local/token (development identities) for tests and scripts. */
  LOCAL_DEV_TOKENS: z._default(z.enum(['0', '1', '']), ''),
});

const settings = Settings.safeParse(process.env);
if (!settings.success) {
  console.error(`Invalid settings: ${z.prettifyError(settings.error)}`);
  process.exit(2);
}
const { PORT, LOCAL_DATA_DIR, DYNAMODB_PORT, LOCAL_DEV_TOKENS } = settings.data;
// Files made by this process and its DynamoDB Local child are the user's alone (0600, folders 0700).
process.umask(0o077);

try {
  const runtime = await startLocalRuntime({
    port: PORT,
    dataDir: LOCAL_DATA_DIR,
    dynamoPort: DYNAMODB_PORT,
    devTokens: LOCAL_DEV_TOKENS === '1',
    log: (line) => console.log(line),
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  console.log(`ready ${runtime.url}`);
} catch (error) {
  const known = machineProblems.some((problem) => error instanceof problem);
  console.error(known ? `Cannot start: ${(error as Error).message}` : error);
  process.exit(1);
}
