import '#infra/local/local-env';
/**
 * The local runtime: DynamoDB Local, the same handlers in-process behind a local API gateway, and
 * the local identity provider (development tokens only when asked for), in one process. `main.ts` is its command line; tests start it in-process.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { JWK } from 'jose';
import { type ApiLambda, localApiGateway } from '#infra/local/api-gateway';
import { ensureCampaignTable } from '#infra/local/create-table';
import { ensurePrivateDirectory, privateFileMode } from '#infra/local/data-dir';
import { DevTokenIssuer } from '#infra/local/dev-tokens';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { ensureFirstAdmin, firstAdminLogLine } from '#infra/local/identity-provider/first-admin';
import { idTokenVerifier } from '#infra/local/identity-provider/id-token-verifier';
import {
  type IdentityProvider,
  newSigningKey,
  startIdentityProvider,
} from '#infra/local/identity-provider/provider';
import { keptTaskTokens } from '#infra/local/kept-task-tokens';
import { lambdaContext, localAccountId, localFunctionArn, localRegion } from '#infra/local/lambda-context';
import { type PostOffice, startPostOffice } from '#infra/local/mail-server';
import {
  type ObjectCreatedEvent,
  objectStorageDirectory,
  objectStoragePath,
  startObjectStorage,
} from '#infra/local/object-storage';
import { postOfficeUser } from '#infra/local/post-office-inbox';
import { LocalQueuePoller, type QueueHandler } from '#infra/local/queue-poller';
import { isLoopbackHost, mediaTypeOf, readBodyUpTo } from '#infra/local/requests';
import {
  auditAnchorsFile,
  postOfficeFile,
  type RuntimeRecord,
  runtimeRecordFile,
  secretsFile,
} from '#infra/local/runtime-record';
import type { SigningCredentials } from '#infra/local/signature-v4';
import { localStaticSite } from '#infra/local/static-site';
import { type LocalLambda, LocalStepFunctions } from '#infra/local/step-functions/engine';
import { LocalStreamPoller, type StreamHandler } from '#infra/local/stream-poller';
import {
  deliveryQueue,
  evidenceBucket,
  feeCaseWorkflow,
  functions,
  queues,
  routes,
  schedules,
  streamConsumers,
  workflows,
} from '#infra/system';
import { removePartialFiles, writeWholeFile } from '#shared/adapters/whole-file';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '#shared/domain/errors';
import { millisUntilChinaTime } from '#shared/domain/working-days';
import { resumeOpenCases } from '#shared/fee-case-workflow/resume';
import { securityHeaders } from '#shared/http/api-handler';
import { errorPayload } from '#shared/http/error-response';

export interface LocalRuntimeOptions {
  /** HTTP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Folder for DynamoDB data and local secrets, kept across restarts. */
  dataDir: string;
  dynamoPort?: number;
  /** Use an already running DynamoDB Local instead of starting one (tests). */
  dynamoEndpoint?: string;
  tableName?: string;
  /** Overrides of workflow settings (SLAs in working days), e.g. other SLAs in tests. */
  workflowSettings?: Record<string, string>;
  /**
   * For tests: multiplies the workflow's waits, so a wait until a due date weeks away ends in seconds
   * (the deadline check then finds it not yet due, unless the test moved the due date).
   */
  timeScale?: number;
  /** For tests: milliseconds before each retry, by state name. */
  retryIntervalOverrides?: Record<string, number | number[]>;
  /** Per-address rate limits of public lookups (default true); tests that look up many times turn them off. */
  rateLimits?: boolean;
  /** Resume open cases at start (default true). */
  resume?: boolean;
  /** Send e-mail through this SMTP server instead of the runtime's own (default: env SMTP_URL). */
  smtpUrl?: string;
  /** For tests: milliseconds before a failed queue message is handed out again, by receive count. */
  queueRetryDelayMs?: (receiveCount: number) => number;
  /** For tests: milliseconds before a failed screening is tried again (default 1000). */
  screeningRetryDelayMs?: number;
  /**
   * Answer `POST /local/token` (development tokens of any identity, accepted by the API beside the
   * provider's): tests, load and black-box scripts. Off by default (`LOCAL_DEV_TOKENS=1` in main.ts).
   */
  devTokens?: boolean;
  /** Absolute lifetime of a provider session, in seconds (default 12 hours). */
  sessionSeconds?: number;
  log?: (line: string) => void;
}

export interface LocalRuntime {
  url: string;
  port: number;
  dynamoEndpoint: string;
  tableName: string;
  stepFunctions: LocalStepFunctions;
  stateMachineArns: Record<string, string>;
  /** What the handlers sign engine requests with; the only credentials `/local/sfn` answers (tests use them). */
  engineCredentials: SigningCredentials;
  /**
   * Waits until every table change so far has reached the stream consumers; each consumer may take
   * `timeoutMs` (30 s by default) before it counts as stuck.
   */
  drainStreams(timeoutMs?: number): Promise<void>;
  /** Waits until every upload so far has been screened (the notification S3 sends on AWS). */
  drainScreening(): Promise<void>;
  /**
   * Waits until uploads are screened, the stream consumers are drained and every queued message is
   * handled or dead-lettered.
   */
  drainQueues(): Promise<void>;
  /** The SMTP server's web inbox and the SMS outbox page, with the password both ask for. */
  postOffice: { inboxUrl: string; outboxUrl: string; outboxDir: string; user: string; password: string };
  /** Runs every scheduled function now (the audit anchors), as its timer would; rejects if one fails. */
  runSchedules(): Promise<void>;
  /** The local OpenID Connect provider: its issuer, the portal's client id and its public keys. */
  identity: Pick<IdentityProvider, 'issuer' | 'clientId' | 'jwks'>;
  /**
   * Settles with how many open cases were resumed, once each has its workflow again. The API serves
   * before that (the start does not wait for it).
   */
  resumed: Promise<number>;
  dataDir: string;
  stop(): Promise<void>;
}

export class ApiPortInUseError extends Error {
  override name = 'ApiPortInUseError';
}

const repositoryRoot = resolve(import.meta.dirname, '../..');

/**
 * The handlers' credentials toward the engine, and all the engine answers: random, never the user's own
 * AWS credentials. Made once per process, since SDK clients keep the credentials they first read from
 * the environment and a runtime restarted in the same process (tests) keeps its handler modules.
 */
const engineCredentials: SigningCredentials = {
  accessKeyId: `LKIA${randomBytes(8).toString('hex').toUpperCase()}`,
  secretAccessKey: randomBytes(30).toString('base64'),
};

/** A token request is a few short fields. */
const maxTokenRequestBytes = 4 * 1024;

interface LocalSecrets {
  contactKey: string;
  tokenSecret: string;
  /** The audit chain's HMAC key (`npm run audit:verify` reads it here too). */
  auditKey: string;
  /** Opens the mail inbox and the SMS outbox pages, and lets the sender hand mail to the SMTP server. */
  postOfficePassword: string;
  /** The identity provider's ES256 key (private JWK) that signs ID tokens. */
  oidcSigningKey: JWK;
  /** Sign the identity provider's cookies. */
  oidcCookieKeys: string[];
  /** The first admin's one-time password, kept only until it is used (first-admin.ts). */
  firstAdminPassword?: string;
}

/**
 * Secrets are created once per data folder, so sealed contacts, tokens and audit links outlive a
 * restart; a folder from before one of them existed gets it added, the others kept.
 */
const loadSecrets = async (dataDir: string): Promise<LocalSecrets> => {
  const file = secretsFile(dataDir);
  const stored = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as Partial<LocalSecrets>)
    .catch(() => ({}) as Partial<LocalSecrets>);
  const newSecret = () => randomBytes(32).toString('base64');
  const secrets: LocalSecrets = {
    ...stored,
    contactKey: stored.contactKey ?? newSecret(),
    tokenSecret: stored.tokenSecret ?? newSecret(),
    auditKey: stored.auditKey ?? newSecret(),
    postOfficePassword: stored.postOfficePassword ?? randomBytes(18).toString('base64url'),
    oidcSigningKey: stored.oidcSigningKey ?? (await newSigningKey()),
    oidcCookieKeys: stored.oidcCookieKeys ?? [newSecret()],
  };
  if (Object.entries(secrets).some(([name, value]) => stored[name as keyof LocalSecrets] !== value)) {
    await saveSecrets(dataDir, secrets);
  }
  return secrets;
};

const saveSecrets = (dataDir: string, secrets: LocalSecrets) =>
  writeWholeFile(secretsFile(dataDir), JSON.stringify(secrets), { mode: privateFileMode });

type ScheduledLambda = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/** What an EventBridge schedule rule hands its target. */
const scheduledEvent = (scheduleName: string) => ({
  version: '0',
  id: randomBytes(16).toString('hex'),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: localAccountId,
  time: new Date().toISOString(),
  region: localRegion,
  resources: [`arn:aws:events:${localRegion}:${localAccountId}:rule/${scheduleName}`],
  detail: {},
});

const listen = (server: Server, port: number) =>
  new Promise<number>((resolvePort, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new ApiPortInUseError(`Port ${port} on 127.0.0.1 is already in use: set PORT to a free port`)
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolvePort(typeof address === 'object' && address ? address.port : port);
    });
  });

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...securityHeaders });
  res.end(JSON.stringify(body));
};

/**
 * JSON only: a web page can POST text/plain or a form to loopback without asking, but not
 * application/json. Read up to 4 KiB.
 */
const readTokenRequest = async (req: IncomingMessage, res: ServerResponse): Promise<unknown> => {
  if (mediaTypeOf(req) !== 'application/json') {
    throw new UnsupportedMediaTypeError('Send the token request as application/json');
  }
  const body = await readBodyUpTo(req, res, maxTokenRequestBytes);
  if (body === undefined) {
    throw new PayloadTooLargeError(`A token request is at most ${maxTokenRequestBytes} bytes`);
  }
  const text = body.toString('utf8');
  try {
    return text ? JSON.parse(text) : {};
  } catch (cause) {
    throw new ValidationError(
      'The body is not valid JSON',
      [{ path: '', code: 'malformed_json', message: 'malformed JSON' }],
      {
        cause,
      },
    );
  }
};

export const startLocalRuntime = async (options: LocalRuntimeOptions): Promise<LocalRuntime> => {
  const log = options.log ?? (() => undefined);
  // Every SDK client of this process signs with the engine's credentials, never the user's own.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: engineCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: engineCredentials.secretAccessKey,
  });
  delete process.env.AWS_SESSION_TOKEN;
  const dataDir = resolve(options.dataDir);
  const widerMode = await ensurePrivateDirectory(dataDir);
  if (widerMode !== undefined) log(`Data folder      ${dataDir} was ${widerMode.toString(8)}; now 700`);
  const secrets = await loadSecrets(dataDir);
  const tokens = options.devTokens
    ? new DevTokenIssuer(Buffer.from(secrets.tokenSecret, 'base64'))
    : undefined;

  // Bind the port first: a taken port is reported before anything else is started.
  let dispatch: Parameters<typeof createServer>[1] = (_req, res) =>
    sendJson(res, 503, { error: { code: 'STARTING', message: 'The local runtime is starting' } });
  let port = options.port;
  const server = createServer((req, res) => {
    // Before anything else, in every phase: a page on a rebinding domain names itself in Host.
    if (!isLoopbackHost(req.headers.host, port)) {
      res.setHeader('connection', 'close');
      sendJson(res, 421, {
        error: {
          code: 'MISDIRECTED_REQUEST',
          message: `This runtime answers to 127.0.0.1:${port}, localhost:${port} and [::1]:${port} only`,
        },
      });
      return;
    }
    dispatch?.(req, res);
  });
  port = await listen(server, options.port);

  const dynamo = options.dynamoEndpoint
    ? { endpoint: options.dynamoEndpoint, stop: async () => undefined }
    : await startDynamoDbLocal({ port: options.dynamoPort, dataDir: join(dataDir, 'dynamodb') }).catch(
        async (error) => {
          server.close();
          throw error;
        },
      );
  log(`DynamoDB Local   ${dynamo.endpoint} (data in ${join(dataDir, 'dynamodb')})`);
  // Files are written whole under temporary names (shared/adapters/whole-file.ts); a kill leaves some.
  await removePartialFiles(dataDir);

  // The post office keeps its ports per data folder: the inbox URL stays the same across restarts, and
  // so does the SMTP address a sender read at its cold start (tests restart in one process).
  const postOfficePorts = await readFile(postOfficeFile(dataDir), 'utf8')
    .then((text) => JSON.parse(text) as { smtpPort: number; inboxPort: number; outboxPort: number })
    .catch(() => undefined);
  const outboxDir = join(dataDir, 'outbox');
  let postOffice: PostOffice;
  try {
    postOffice = await startPostOffice({
      mailDir: join(dataDir, 'mail'),
      outboxDir,
      password: secrets.postOfficePassword,
      ...postOfficePorts,
    }).catch(() =>
      startPostOffice({ mailDir: join(dataDir, 'mail'), outboxDir, password: secrets.postOfficePassword }),
    );
  } catch (error) {
    server.close();
    await dynamo.stop();
    throw error;
  }
  const portOf = (url: string) => Number(new URL(url).port);
  await writeWholeFile(
    postOfficeFile(dataDir),
    JSON.stringify({
      smtpPort: portOf(postOffice.smtpUrl),
      inboxPort: portOf(postOffice.inboxUrl),
      outboxPort: portOf(postOffice.outboxUrl),
    }),
    { mode: privateFileMode },
  );
  const smtpUrl = options.smtpUrl ?? process.env.SMTP_URL ?? postOffice.smtpUrl;
  log(
    `Mail inbox       ${postOffice.inboxUrl} (user ${postOfficeUser}, password postOfficePassword in ${secretsFile(dataDir)})`,
  );
  log(
    smtpUrl === postOffice.smtpUrl
      ? `SMTP             ${new URL(postOffice.smtpUrl).host} (e-mails land in the inbox above)`
      : `SMTP             SMTP_URL: ${new URL(smtpUrl).host}`,
  );
  log(`SMS outbox       ${postOffice.outboxUrl} (same password; files in ${outboxDir})`);

  const tableName = options.tableName ?? 'fee-campaign';
  Object.assign(process.env, {
    MAIL_FROM: process.env.MAIL_FROM ?? 'noreply@fee-campaign.localhost',
    SMTP_URL: smtpUrl,
    LOCAL_OUTBOX_DIR: outboxDir,
    LOCAL_DELIVERY_QUEUE_DIR: join(dataDir, 'queues', deliveryQueue.name),
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    TABLE_NAME: tableName,
    LOCAL_CONTACT_KEY: secrets.contactKey,
    LOCAL_AUDIT_KEY: secrets.auditKey,
    LOCAL_AUDIT_ANCHORS_FILE: auditAnchorsFile(dataDir),
  });
  const created = await ensureCampaignTable(new DynamoDBClient({ endpoint: dynamo.endpoint }), tableName);
  log(`Table            ${tableName} (${created})`);

  // Imported once the environment names DynamoDB Local, as a handler's cold start would.
  const { documentClient } = await import('#shared/adapters/dynamodb/document-client');
  const { SmtpEmailSender } = await import('#shared/adapters/email-senders');
  const identity = startIdentityProvider({
    port,
    client: documentClient,
    tableName,
    keys: { signingKey: secrets.oidcSigningKey, cookieKeys: secrets.oidcCookieKeys },
    email: new SmtpEmailSender(smtpUrl, process.env.MAIL_FROM as string),
    log,
    ...(options.sessionSeconds === undefined ? {} : { sessionSeconds: options.sessionSeconds }),
  });
  const firstAdminPassword = await ensureFirstAdmin(identity.accounts, secrets.firstAdminPassword);
  if (firstAdminPassword !== secrets.firstAdminPassword) {
    const { firstAdminPassword: _used, ...kept } = secrets;
    await saveSecrets(dataDir, firstAdminPassword ? { ...kept, firstAdminPassword } : kept);
  }
  const verifyIdToken = idTokenVerifier({ ...identity, audience: identity.clientId });

  // The handlers reach the engine through the real SFN client, pointed here.
  const stateMachineArns = Object.fromEntries(
    workflows.map((workflow) => [
      workflow.name,
      `arn:aws:states:${localRegion}:${localAccountId}:stateMachine:${workflow.name}`,
    ]),
  );
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${port}/local/sfn`,
    STATE_MACHINE_ARN: stateMachineArns[feeCaseWorkflow.name],
    // The evidence bucket behind this port; the SDK addresses a bucket by path on an IP endpoint.
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}${objectStoragePath}`,
    EVIDENCE_BUCKET: evidenceBucket.name,
    // The portal's address, named in the account store's invitation and reset e-mails.
    SIGN_IN_URL: process.env.SIGN_IN_URL ?? `http://127.0.0.1:${port}/`,
    // s3rver cannot read the checksum trailers the SDK adds to every write by default.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
  });

  // The campaign settings the system description gives its functions (four eyes), as CDK sets them;
  // the functions share this process, hence one environment.
  for (const fn of functions) if ('environment' in fn) Object.assign(process.env, fn.environment);

  // Handlers read their configuration at import, as on a Lambda cold start: import after the env is set.
  const handlers = new Map<string, ApiLambda>();
  const lambdas = new Map<string, LocalLambda>();
  for (const fn of functions) {
    const module = (await import(pathToFileURL(join(repositoryRoot, fn.entry)).href)) as {
      handler: ApiLambda;
    };
    handlers.set(fn.name, module.handler);
    lambdas.set(localFunctionArn(fn.name), module.handler as LocalLambda);
  }
  const api = localApiGateway({
    routes,
    functions,
    handlers,
    verifyToken: async (token) => (await verifyIdToken(token)) ?? tokens?.verify(token),
    ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }),
  });
  // The engine keeps executions, and so the names taken, in memory only: after a restart every start
  // of a case (the resume below, a redelivered opening) uses the execution name and resume point its
  // case item records, so the starts of one case meet on one name (docs/workflow.md). The tokens of
  // the waits still pending are kept, so a resumed wait hands its task the token it already has.
  const stepFunctions = new LocalStepFunctions({
    keptTokens: await keptTaskTokens(join(dataDir, `task-tokens-${tableName}.jsonl`)),
    region: localRegion,
    accountId: localAccountId,
    lambdas,
    retryIntervalOverrides: options.retryIntervalOverrides,
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    log,
    credentials: engineCredentials,
  });
  for (const workflow of workflows) {
    const definition = await readFile(join(repositoryRoot, workflow.definition), 'utf8');
    const substitutions: Record<string, string> = {
      ...workflow.settings,
      ...options.workflowSettings,
      ...Object.fromEntries(
        Object.entries(workflow.functionArns).map(([key, fn]) => [key, localFunctionArn(fn)]),
      ),
    };
    stepFunctions.createStateMachine(workflow.name, definition, substitutions);
  }

  const screener = functions.find((fn) => fn.name === evidenceBucket.screening.function);
  const screen = handlers.get(evidenceBucket.screening.function) as unknown as
    | ((event: ObjectCreatedEvent, context: ReturnType<typeof lambdaContext>) => Promise<unknown>)
    | undefined;
  if (!screener || !screen) throw new Error('The evidence bucket has no screening function');
  const objectStorage = await startObjectStorage({
    directory: objectStorageDirectory(dataDir),
    bucket: evidenceBucket.name,
    credentials: engineCredentials,
    origin: `http://127.0.0.1:${port}`,
    screeningPrefix: evidenceBucket.screening.prefix,
    screen: (event) =>
      screen(event, lambdaContext(screener.name, screener.timeoutSeconds, screener.memoryMiB)),
    ...(options.screeningRetryDelayMs === undefined
      ? {}
      : { screeningRetryDelayMs: options.screeningRetryDelayMs }),
    log,
  });

  const site = localStaticSite({
    // The redirect URI is the origin the browser used (the Host was checked to be loopback).
    config: (req) => identity.siteConfig(`http://${req.headers.host}`, tokens !== undefined),
  });
  const serve: typeof dispatch = async (req, res) => {
    try {
      if (await stepFunctions.handle(req, res)) return;
      if (await objectStorage.handle(req, res)) return;
      if (await api(req, res)) return;
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (await identity.handle(req, res)) return;
      if (tokens && path === '/local/token' && req.method === 'POST') {
        sendJson(res, 200, tokens.issue(await readTokenRequest(req, res)));
        return;
      }
      if (await site(req, res)) return;
      sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `Nothing at ${path}` } });
    } catch (error) {
      const { status, body } = errorPayload(error);
      if (!res.headersSent) sendJson(res, status, body);
    }
  };
  // Until the stream consumers run only the engine answers; the API then serves while open cases
  // are still being resumed (see the resume below).
  dispatch = async (req, res) => {
    if (await stepFunctions.handle(req, res)) return;
    sendJson(res, 503, { error: { code: 'STARTING', message: 'The local runtime is starting' } });
  };
  log(`API              http://127.0.0.1:${port}/api`);
  log(`Sign-in          ${identity.issuer} (discovery ${identity.issuer}/.well-known/openid-configuration)`);
  if (tokens) {
    log(
      `WARNING          LOCAL_DEV_TOKENS is on: POST http://127.0.0.1:${port}/local/token mints any identity`,
    );
  }
  log(
    `Step Functions   http://127.0.0.1:${port}/local/sfn (${workflows.map((w) => w.definition).join(', ')})`,
  );
  log(
    `Evidence files   http://127.0.0.1:${port}${objectStoragePath} (data in ${objectStorageDirectory(dataDir)})`,
  );

  const pollers = streamConsumers.map((consumer) => {
    const fn = functions.find((candidate) => candidate.name === consumer.function);
    const handler = handlers.get(consumer.function);
    if (!fn || !handler) throw new Error(`Stream consumer ${consumer.name} has no function`);
    return new LocalStreamPoller({
      endpoint: dynamo.endpoint,
      tableName,
      consumer,
      fn,
      handler: handler as unknown as StreamHandler,
      checkpointFile: join(dataDir, `stream-${tableName}-${consumer.name}.json`),
      deadLetterFile: join(dataDir, `dead-letters-${consumer.name}.jsonl`),
      log,
    });
  });
  for (const poller of pollers) await poller.start();
  log(`Streams          ${streamConsumers.map((consumer) => consumer.name).join(', ')}`);

  const queuePollers = queues.map((queue) => {
    const fn = functions.find((candidate) => candidate.name === queue.function);
    const handler = handlers.get(queue.function);
    if (!fn || !handler) throw new Error(`Queue ${queue.name} has no function`);
    return new LocalQueuePoller({
      dir: join(dataDir, 'queues', queue.name),
      queue,
      fn,
      handler: handler as unknown as QueueHandler,
      retryDelayMs: options.queueRetryDelayMs,
      log,
    });
  });
  for (const poller of queuePollers) poller.start();
  log(
    `Queues           ${queues.map((queue) => `${queue.name} (in ${join(dataDir, 'queues', queue.name)})`).join(', ')}`,
  );

  // Scheduled functions run on timers here (EventBridge rules on AWS), one run at a time.
  const scheduled = schedules.map((schedule) => {
    const fn = functions.find((candidate) => candidate.name === schedule.function);
    const handler = handlers.get(schedule.function) as unknown as ScheduledLambda | undefined;
    if (!fn || !handler) throw new Error(`Schedule ${schedule.name} has no function`);
    return {
      schedule,
      run: () =>
        handler(scheduledEvent(schedule.name), lambdaContext(fn.name, fn.timeoutSeconds, fn.memoryMiB)),
    };
  });
  let scheduleRuns: Promise<unknown> = Promise.resolve();
  const runScheduled = (runs: typeof scheduled) => {
    const done = scheduleRuns.then(async () => {
      for (const { run } of runs) await run();
    });
    scheduleRuns = done.catch(() => undefined);
    return done;
  };
  const runLogged = (entry: (typeof scheduled)[number]) =>
    void runScheduled([entry]).catch((error) =>
      log(`Schedule ${entry.schedule.name} failed (tried again at its next run): ${String(error)}`),
    );
  // A daily schedule waits for its China time, then runs every 24 hours; the others at their rate.
  const timers: NodeJS.Timeout[] = [];
  for (const entry of scheduled) {
    const { schedule } = entry;
    if ('everyMinutes' in schedule) {
      timers.push(setInterval(() => runLogged(entry), schedule.everyMinutes * 60_000).unref());
      continue;
    }
    const first = setTimeout(
      () => {
        runLogged(entry);
        timers.push(setInterval(() => runLogged(entry), 86_400_000).unref());
      },
      millisUntilChinaTime(schedule.dailyAtChinaTime, new Date()),
    ).unref();
    timers.push(first);
  }
  const cadence = (schedule: (typeof schedules)[number]) =>
    'everyMinutes' in schedule
      ? `every ${schedule.everyMinutes} min`
      : `daily at ${schedule.dailyAtChinaTime} China time`;
  log(
    `Schedules        ${schedules.map((schedule) => `${schedule.name} ${cadence(schedule)}`).join(', ')} (audit anchors in ${auditAnchorsFile(dataDir)})`,
  );

  // The engine keeps executions in memory: every case still open continues from its recorded stage,
  // under its recorded execution's name (which the journal, starting a new case, uses too).
  // The API serves meanwhile, so that a restart with thousands of open cases is not minutes of 503s:
  // a task completed before its case is resumed is recorded and replayed when the resumed workflow
  // re-opens the task, and one completed while the task is re-armed loses a version check and is sent
  // to the new token (shared/tasks/tasks.ts, shared/fee-case-workflow/steps.ts `openTask`).
  const stopResuming = new AbortController();
  let resumed: Promise<number> = Promise.resolve(0);
  if (options.resume ?? true) {
    const { DynamoCaseStore } = await import('#shared/adapters/dynamodb/case-store');
    const { documentClient } = await import('#shared/adapters/dynamodb/document-client');
    const { sfnClient, StepFunctionsFeeCaseWorkflow } = await import('#shared/adapters/step-functions');
    const { LocalKeyAuditSeal } = await import('#shared/adapters/audit-seal');
    resumed = resumeOpenCases({
      store: new DynamoCaseStore(documentClient, tableName, new LocalKeyAuditSeal(secrets.auditKey)),
      workflow: new StepFunctionsFeeCaseWorkflow(sfnClient, stateMachineArns[feeCaseWorkflow.name] as string),
      signal: stopResuming.signal,
      engineRestarted: true,
    }).then(
      ({ resumed: count, failed }) => {
        log(`Resumed          ${count} open case${count === 1 ? '' : 's'}`);
        if (failed.length > 0)
          log(
            `Not resumed      ${failed.length} open case${failed.length === 1 ? '' : 's'} (failed every try; resumed at the next start): ${failed
              .slice(0, 10)
              .map(({ caseId, error }) => `${caseId} (${error})`)
              .join(', ')}${failed.length > 10 ? ', …' : ''}`,
          );
        return count;
      },
      (error: unknown) => {
        // Cases not resumed now are resumed at the next start.
        log(`Resuming open cases failed: ${String(error)}`);
        return 0;
      },
    );
  }
  dispatch = serve;
  // Uploads stored before a crash whose screening never ran (the engine's resume above is the same
  // for workflows): screened now that the storage answers the screener.
  const unscreened = await objectStorage.redeliverUnscreened();
  if (unscreened > 0)
    log(`Rescreening      ${unscreened} upload${unscreened === 1 ? '' : 's'} left unscreened`);
  if (firstAdminPassword) log(firstAdminLogLine(firstAdminPassword));
  const record: RuntimeRecord = {
    url: `http://127.0.0.1:${port}`,
    dynamoEndpoint: dynamo.endpoint,
    tableName,
  };
  await writeWholeFile(runtimeRecordFile(dataDir), JSON.stringify(record), { mode: privateFileMode });

  // One consumer's writes feed another (audit events become notifications, which are queued for
  // delivery), so the pollers are drained in two rounds: the second finds what the first fed.
  const drainStreams = async (timeoutMs?: number) => {
    for (let round = 0; round < 2; round++) for (const poller of pollers) await poller.drain(timeoutMs);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    dynamoEndpoint: dynamo.endpoint,
    tableName,
    stepFunctions,
    stateMachineArns,
    engineCredentials,
    drainStreams,
    drainScreening: () => objectStorage.drainScreening(),
    drainQueues: async () => {
      await objectStorage.drainScreening();
      await drainStreams();
      for (const poller of queuePollers) await poller.drain();
    },
    postOffice: {
      inboxUrl: postOffice.inboxUrl,
      outboxUrl: postOffice.outboxUrl,
      outboxDir,
      user: postOfficeUser,
      password: secrets.postOfficePassword,
    },
    runSchedules: async () => {
      await runScheduled(scheduled);
    },
    identity: { issuer: identity.issuer, clientId: identity.clientId, jwks: identity.jwks },
    resumed,
    stop: async () => {
      stopResuming.abort();
      await resumed;
      await stepFunctions.stop();
      await objectStorage.stop();
      for (const poller of pollers) await poller.stop();
      for (const poller of queuePollers) await poller.stop();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      for (const timer of timers) clearTimeout(timer);
      // Once more at stop: what changed since the last run is anchored before the process ends.
      await runScheduled(scheduled).catch((error) => log(`Schedules at stop failed: ${String(error)}`));
      await postOffice.stop();
      await dynamo.stop();
    },
  };
};
