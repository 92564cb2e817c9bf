/**
 * The one description of the system. The CDK app (`infra/aws`) and the local runtime (`infra/local`)
 * both iterate it, so the two cannot drift: a test proves they serve the same routes with the same
 * functions.
 */

import { pendingCaseEventEntity } from '#shared/adapters/dynamodb/case-journal';
import { countedEntities, notificationEntity } from '#shared/adapters/dynamodb/items';
import { REVIEW_SLA_DAYS, VERIFICATION_SLA_DAYS } from '#shared/domain/fee-task';
import type { SecondReviewPolicy } from '#shared/domain/second-review';
import { type ApiRoute, apiRoutes, type OperationId } from '#shared/http/routes';

/** The single table: keys, secondary indexes, stream and TTL, as both runtimes create it. */
export const campaignTable = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [
    /** complaints of one enterprise, newest first */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** task inbox by agency, province and status, by due date */
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** work of one association (its fee cases and rectification orders) */
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /** every task by status, by due date: the campaign admin's national inbox, without a scan */
    { indexName: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
  ],
  timeToLiveAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
} as const;

/** What a function may touch; CDK turns it into least-privilege grants. */
export interface FunctionAccess {
  /** Absent for the user pool's triggers, which touch no table. */
  table?: 'read' | 'readWrite';
  /** Complainant contact details: sealing on intake, opening for those allowed to read them. */
  contactKey?: 'encrypt' | 'decrypt';
  /** The fee-case state machine: starting executions, or answering its callbacks. */
  workflow?: 'start' | 'callback';
  /** The audit chain's HMAC key: linking new events (writers), or verifying links (readers). */
  auditKey?: 'mac' | 'verify';
  /** The audit anchors outside the table: appending them (the anchorer), or reading them (verifiers). */
  auditAnchors?: 'append' | 'read';
  /** The notification delivery queue: sending messages to it (its consumer's grants come with the queue). */
  deliveryQueue?: 'send';
  /** Sending e-mail (SES, from the campaign's identity) and SMS (End User Messaging, its origination identity). */
  messaging?: 'send';
  /**
   * The evidence bucket (and its KMS key): presigning upload forms for `incoming/` and download links
   * for `evidence/` (the API), moving incoming files to `evidence/` or `quarantine/` (the screener),
   * deleting what expired (the sweeper).
   */
  evidence?: 'presign' | 'screen' | 'sweep';
  /**
   * The account directory: on AWS the user pool's admin APIs (create, disable, enable, reset, update
   * attributes, global sign-out, list); locally the account items in the table and the campaign's SMTP.
   * `enrol`: only adding a confirmed user to a group (the pool's post-confirmation trigger, AWS only).
   */
  accounts?: 'manage' | 'enrol';
}

export interface FunctionDescription {
  /** Logical name, also the suffix of the deployed function name. */
  name: string;
  /** Entry file, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  memoryMiB: number;
  timeoutSeconds: number;
  access: FunctionAccess;
  /** The API operations this function serves. */
  operations: readonly OperationId[];
  /** Settings of the campaign the function reads at cold start, beside those its access brings. */
  environment?: Readonly<Record<string, string>>;
  /**
   * Packages with native code that a bundle cannot hold: on AWS they are installed beside the bundle,
   * built for Linux x86_64, and the function runs on x86_64.
   */
  nativeModules?: readonly 'sharp'[];
  /**
   * The user pool runs the function at this step of a sign-up (AWS only; the local identity provider
   * checks sign-ups itself). It serves no route.
   */
  userPoolTrigger?: 'preSignUp' | 'postConfirmation';
}

/**
 * Declarations of the fees charged in year Y are due by this month and day (`MM-DD`) of year Y+1,
 * China time (docs/associations.md, "Self-inspection").
 */
export const SELF_INSPECTION_DUE = '03-31';

/** ¥100,000: an UNLAWFUL decision on a fee whose complainants claimed this much or more is confirmed by a second regulator. */
export const SECOND_REVIEW_THRESHOLD_FEN = 10_000_000;

/**
 * Four eyes (复核), per agency: `threshold` (from SECOND_REVIEW_THRESHOLD_FEN claimed), `always`, or
 * `off`. The tasks API applies it when a review is completed (docs/workflow.md, "Four eyes").
 */
export const secondReviewPolicy = {
  SAMR: { mode: 'threshold', thresholdFen: SECOND_REVIEW_THRESHOLD_FEN },
  MCA: { mode: 'threshold', thresholdFen: SECOND_REVIEW_THRESHOLD_FEN },
  NDRC: { mode: 'threshold', thresholdFen: SECOND_REVIEW_THRESHOLD_FEN },
} as const satisfies SecondReviewPolicy;

export const functions = [
  {
    name: 'complaints-api',
    entry: 'functions/api/complaints.ts',
    description: 'Files complaints: seals the contact, joins or opens the case',
    memoryMiB: 512,
    timeoutSeconds: 10,
    // The case journal links the filing's event and starts a new case's workflow, from the stream.
    access: { table: 'readWrite', contactKey: 'encrypt' },
    operations: ['fileComplaint'],
  },
  {
    name: 'complaint-followups-api',
    entry: 'functions/api/complaint-followups.ts',
    description:
      "An enterprise's later evidence for its open case, and closing feedback (which may reopen verification)",
    memoryMiB: 512,
    timeoutSeconds: 10,
    // Both write case events; feedback that reopens verification starts a fresh execution.
    access: { table: 'readWrite', workflow: 'start', auditKey: 'mac' },
    operations: ['giveFeedback', 'addComplaintAttachments'],
  },
  {
    name: 'complaint-reads-api',
    entry: 'functions/api/complaint-reads.ts',
    description: "An enterprise's complaints, and one complaint with its case and timeline",
    memoryMiB: 512,
    timeoutSeconds: 10,
    access: { table: 'read', contactKey: 'decrypt' },
    operations: ['listComplaints', 'getComplaint'],
  },
  {
    name: 'tasks-api',
    entry: 'functions/api/tasks.ts',
    description: 'Task inbox: list, claim, release, complete; extension requests',
    memoryMiB: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', workflow: 'callback', auditKey: 'mac' },
    operations: [
      'listTasks',
      'claimTask',
      'releaseTask',
      'completeTask',
      'requestExtension',
      'assignTask',
      'transferCase',
    ],
    environment: { SECOND_REVIEW_POLICY: JSON.stringify(secondReviewPolicy) },
  },
  {
    name: 'cases-api',
    entry: 'functions/api/cases.ts',
    description: 'Reads a fee case with its tasks and audit trail; case search and the ledger',
    memoryMiB: 512,
    timeoutSeconds: 10,
    access: { table: 'read', auditKey: 'verify', auditAnchors: 'read' },
    operations: ['getCase', 'searchCases', 'getCaseLedger'],
  },
  {
    name: 'progress-api',
    entry: 'functions/api/public-progress.ts',
    description: "A complaint's progress for anyone holding its reference and credit code",
    memoryMiB: 256,
    timeoutSeconds: 5,
    access: { table: 'read' },
    operations: ['getPublicProgress'],
  },
  {
    name: 'evidence-api',
    entry: 'functions/api/evidence.ts',
    description: 'Evidence uploads (presigned POST forms), their screening status, and download links',
    memoryMiB: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', evidence: 'presign' },
    operations: ['createUpload', 'getUpload', 'getFile'],
  },
  {
    name: 'evidence-screener',
    entry: 'functions/storage/evidence-screening.ts',
    description:
      'Screens each uploaded file: type by magic bytes, image metadata removed, PDF active content refused',
    memoryMiB: 1024,
    timeoutSeconds: 60,
    access: { table: 'readWrite', evidence: 'screen' },
    operations: [],
    // Images are decoded and re-encoded with sharp (libvips).
    nativeModules: ['sharp'],
  },
  {
    name: 'evidence-sweeper',
    entry: 'functions/schedules/evidence-sweep.ts',
    description: 'Deletes uploads nothing named within 24 hours, with their files',
    memoryMiB: 256,
    timeoutSeconds: 300,
    access: { table: 'readWrite', evidence: 'sweep' },
    operations: [],
  },
  {
    name: 'case-steps',
    entry: 'functions/workflow/case-steps.ts',
    description: 'Automated steps of the fee-case workflow',
    memoryMiB: 512,
    timeoutSeconds: 30,
    access: { table: 'readWrite', workflow: 'callback', auditKey: 'mac' },
    operations: [],
  },
  {
    name: 'metrics-api',
    entry: 'functions/api/metrics.ts',
    description: 'Campaign metrics, the ranking of associations and the open-data export',
    memoryMiB: 512,
    timeoutSeconds: 29,
    access: { table: 'read' },
    operations: ['getMetrics', 'getPublicMetrics', 'getOutcomesCsv', 'getAssociationRanking'],
  },
  {
    name: 'metrics-aggregator',
    entry: 'functions/streams/case-metrics.ts',
    description: 'Turns case and task changes into campaign and association figures, exactly once',
    memoryMiB: 512,
    timeoutSeconds: 60,
    access: { table: 'readWrite' },
    operations: [],
  },
  {
    name: 'case-journal',
    entry: 'functions/streams/case-journal.ts',
    description:
      "Links filings' pending events into their cases' audit chains and counts, starts new cases' workflows",
    memoryMiB: 512,
    timeoutSeconds: 60,
    access: { table: 'readWrite', workflow: 'start', auditKey: 'mac' },
    operations: [],
  },
  {
    name: 'audit-anchorer',
    entry: 'functions/schedules/audit-anchors.ts',
    description: 'Anchors the heads of the audit chains that advanced outside the table',
    memoryMiB: 512,
    timeoutSeconds: 300,
    access: { table: 'readWrite', auditKey: 'mac', auditAnchors: 'append' },
    operations: [],
  },
  {
    name: 'notification-settings-api',
    entry: 'functions/api/notification-settings.ts',
    description: "Each user's notification settings: addresses, language, opt-outs",
    memoryMiB: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
    operations: ['getNotificationSettings', 'putNotificationSettings'],
  },
  {
    name: 'notification-dispatcher',
    entry: 'functions/streams/notification-dispatch.ts',
    description: 'Queues each new notification for delivery',
    memoryMiB: 256,
    timeoutSeconds: 30,
    access: { table: 'read', deliveryQueue: 'send' },
    operations: [],
  },
  {
    name: 'notification-sender',
    entry: 'functions/queues/notification-delivery.ts',
    description: 'Delivers notifications by e-mail and SMS, exactly once per channel and address',
    memoryMiB: 512,
    timeoutSeconds: 30,
    access: { table: 'readWrite', contactKey: 'decrypt', messaging: 'send' },
    operations: [],
  },
  {
    name: 'users-api',
    entry: 'functions/api/users.ts',
    description:
      "User management (invite, deactivate, reactivate, reset, link) and the caller's sign-out everywhere",
    memoryMiB: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', auditKey: 'mac', accounts: 'manage' },
    operations: [
      'listUsers',
      'inviteUser',
      'disableUser',
      'enableUser',
      'resetUserPassword',
      'linkEnterprise',
      'signOutEverywhere',
    ],
  },
  {
    name: 'pre-sign-up',
    entry: 'functions/cognito/pre-sign-up.ts',
    description: 'Lets enterprises with a valid credit code sign themselves up to the user pool, nobody else',
    memoryMiB: 256,
    timeoutSeconds: 5,
    access: {},
    operations: [],
    userPoolTrigger: 'preSignUp',
  },
  {
    name: 'post-confirmation',
    entry: 'functions/cognito/post-confirmation.ts',
    description: 'Puts an enterprise that signed itself up and confirmed its e-mail in the enterprise group',
    memoryMiB: 256,
    timeoutSeconds: 5,
    access: { accounts: 'enrol' },
    operations: [],
    userPoolTrigger: 'postConfirmation',
  },
  {
    name: 'calendar-api',
    entry: 'functions/api/calendar.ts',
    description: 'The working-day calendar: holiday notices read by anyone, stored by campaign admins',
    memoryMiB: 256,
    timeoutSeconds: 5,
    access: { table: 'readWrite' },
    operations: ['getCalendarYear', 'putCalendarYear'],
  },
  {
    name: 'notifications-api',
    entry: 'functions/api/notifications.ts',
    description: "The caller's notification centre: list, unread count, mark read",
    memoryMiB: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite' },
    operations: ['listNotifications', 'markNotificationRead'],
  },
  {
    name: 'notifier',
    entry: 'functions/streams/notifier.ts',
    description: 'Turns new audit events into notifications, once per event and recipient',
    memoryMiB: 512,
    timeoutSeconds: 60,
    access: { table: 'readWrite' },
    operations: [],
  },
  {
    name: 'deadline-reminder',
    entry: 'functions/schedules/deadline-reminders.ts',
    description: 'Reminds associations and offices of tasks due within a few working days',
    memoryMiB: 512,
    timeoutSeconds: 300,
    access: { table: 'readWrite' },
    operations: [],
  },
  // Associations: the registry and its suggestions.
  // (functions of this part go below this line)
  {
    name: 'registry-api',
    entry: 'functions/api/registry.ts',
    description: 'Imports the association register (CSV or XLSX) and suggests registered associations',
    // An import of 20,000 rows parses the file and writes in parallel batches: memory buys CPU.
    memoryMiB: 1024,
    timeoutSeconds: 29,
    access: { table: 'readWrite' },
    operations: ['importAssociationRegister', 'suggestAssociations'],
  },
  // Associations: self-inspection and public fee lists.
  // (functions of this part go below this line)
  {
    name: 'self-inspections-api',
    entry: 'functions/api/self-inspections.ts',
    description:
      'Fee self-inspections: declarations screened by the rulebook, suspect fees opening cases in the workflow',
    memoryMiB: 512,
    timeoutSeconds: 29,
    access: { table: 'readWrite' },
    operations: ['declareFees', 'listSelfInspections'],
  },
  {
    name: 'public-associations-api',
    entry: 'functions/api/public-associations.ts',
    description: "An association's public fee list: register entry, declared fees, closed cases' outcomes",
    memoryMiB: 256,
    timeoutSeconds: 10,
    access: { table: 'read' },
    operations: ['getPublicAssociation'],
  },
  {
    name: 'declaration-deadline',
    entry: 'functions/schedules/declaration-deadline.ts',
    description:
      'After the self-inspection deadline, opens a task for the regulators per association that has not declared',
    memoryMiB: 512,
    timeoutSeconds: 900,
    access: { table: 'readWrite' },
    operations: [],
    environment: { SELF_INSPECTION_DUE },
  },
  // Associations: repeat offenders.
  // (functions of this part go below this line)
  // Associations: typical cases.
  // (functions of this part go below this line)
  {
    name: 'typical-cases-api',
    entry: 'functions/api/typical-cases.ts',
    description:
      "Typical cases for campaign admins: write, publish, withdraw; opens the cases' contacts only to screen the texts for them",
    memoryMiB: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', contactKey: 'decrypt' },
    operations: ['createTypicalCase', 'listTypicalCases', 'publishTypicalCase', 'withdrawTypicalCase'],
  },
  {
    name: 'public-typical-cases-api',
    entry: 'functions/api/public-typical-cases.ts',
    description: 'Published typical cases for anyone, as JSON and as an Atom feed',
    memoryMiB: 256,
    timeoutSeconds: 5,
    access: { table: 'read' },
    operations: ['listPublicTypicalCases', 'getPublicTypicalCase', 'getTypicalCasesAtom'],
  },
  {
    name: 'meta-api',
    entry: 'functions/api/meta.ts',
    description: 'OpenAPI document and liveness',
    memoryMiB: 256,
    timeoutSeconds: 5,
    access: { table: 'read' },
    operations: ['getOpenApi', 'getHealth'],
  },
] as const satisfies readonly FunctionDescription[];

export type FunctionName = (typeof functions)[number]['name'];

export interface RouteDescription extends ApiRoute {
  function: FunctionName;
}

/** Every API route with the function that serves it. */
export const routes: RouteDescription[] = apiRoutes.map((route) => {
  const owner = functions.find((fn) => (fn.operations as readonly string[]).includes(route.operationId));
  if (!owner) throw new Error(`No function serves ${route.operationId}`);
  return { ...route, function: owner.name };
});

/**
 * Workflows: an ASL file deployed as it is, with `${Name}` substitutions filled in by CDK
 * (`definitionSubstitutions`) and by the local engine alike.
 */
/**
 * API answers of at least this many bytes go gzip-compressed to a caller that accepts it: API
 * Gateway's minimum compression size on AWS, the local gateway here. A case list or case view is
 * tens of KiB of JSON and a few after gzip, which a phone on a slow network notices.
 */
export const apiMinCompressionBytes = 1024;

export interface WorkflowDescription {
  name: string;
  /** ASL file relative to the repository root. */
  definition: string;
  /** Substitution name -> function (its ARN is substituted). */
  functionArns: Record<string, FunctionName>;
  /** Substitution name -> value: SLAs in working days, the heartbeat in seconds. */
  settings: Record<string, string>;
}

export const feeCaseWorkflow = {
  name: 'fee-case',
  definition: 'workflows/fee-case.asl.json',
  functionArns: { CaseStepsFunctionArn: 'case-steps' },
  settings: {
    ReviewSlaWorkingDays: String(REVIEW_SLA_DAYS),
    InfoSlaWorkingDays: '15',
    VerificationSlaWorkingDays: String(VERIFICATION_SLA_DAYS),
    SecondReviewSlaWorkingDays: '5',
    // Rectification runs as many working days as the order says (default DEFAULT_RECTIFICATION_DAYS).
    HeartbeatSeconds: String(86_400),
  },
} as const satisfies WorkflowDescription;

export const workflows = [feeCaseWorkflow] as const satisfies readonly WorkflowDescription[];

/** Consumers of the table's stream: on AWS an event source mapping, locally the stream poller. */
export interface StreamConsumerDescription {
  name: string;
  function: FunctionName;
  /** Only records whose new or old image has one of these `entity` values are delivered. */
  entities: readonly string[];
  batchSize: number;
  /** Attempts for a failing record before it goes to the dead-letter destination. */
  maxRetries: number;
}

export const streamConsumers = [
  {
    name: 'case-metrics',
    function: 'metrics-aggregator',
    entities: countedEntities,
    batchSize: 100,
    maxRetries: 5,
  },
  {
    name: 'case-journal',
    function: 'case-journal',
    // Pending events (filings', new cases' openings) and cases, whose office the fee's pointer follows.
    entities: ['FeeCase', pendingCaseEventEntity],
    batchSize: 100,
    maxRetries: 5,
  },
  {
    name: 'notification-dispatch',
    function: 'notification-dispatcher',
    entities: [notificationEntity],
    batchSize: 100,
    maxRetries: 5,
  },
  {
    name: 'notifications',
    function: 'notifier',
    entities: ['CaseEvent'],
    batchSize: 50,
    maxRetries: 5,
  },
] as const satisfies readonly StreamConsumerDescription[];

/**
 * Work queues: on AWS an SQS queue with a dead-letter queue and an event source mapping that reports
 * partial batch failures; locally a durable file queue under LOCAL_DATA_DIR feeding the same handler
 * with the same event shape.
 */
export interface QueueDescription {
  name: string;
  /** The function that consumes it. */
  function: FunctionName;
  batchSize: number;
  /** Receives of a message before it moves to the dead letters. */
  maxReceives: number;
  /** How long a received message stays hidden: well above the function's timeout, as SQS advises. */
  visibilityTimeoutSeconds: number;
}

export const deliveryQueue = {
  name: 'notification-delivery',
  function: 'notification-sender',
  batchSize: 10,
  maxReceives: 5,
  visibilityTimeoutSeconds: 180,
} as const satisfies QueueDescription;

export const queues = [deliveryQueue] as const satisfies readonly QueueDescription[];

/**
 * Functions run on a timer: every few minutes (on AWS an EventBridge rule) or once a day at a China
 * time (on AWS an EventBridge Scheduler schedule in Asia/Shanghai); locally a timer of the runtime
 * (and once at stop).
 */
export type ScheduleDescription = {
  name: string;
  function: FunctionName;
} & ({ everyMinutes: number } | { dailyAtChinaTime: `${number}:${number}` });

export const schedules = [
  { name: 'audit-anchors', function: 'audit-anchorer', everyMinutes: 15 },
  { name: 'evidence-sweep', function: 'evidence-sweeper', everyMinutes: 60 },
  // Before the working day starts (China time), so reminders are waiting when offices open.
  { name: 'deadline-reminders', function: 'deadline-reminder', dailyAtChinaTime: '07:30' },
  // Self-inspection: the day after the deadline has passed, and every day until a run went through.
  { name: 'declaration-deadline', function: 'declaration-deadline', dailyAtChinaTime: '06:00' },
] as const satisfies readonly ScheduleDescription[];

/**
 * The evidence bucket: on AWS a private, KMS-encrypted, versioned S3 bucket whose object-created
 * events under `incoming/` invoke the screener; locally an S3-compatible server behind the runtime's
 * port (`/local/s3`), whose gateway checks the upload form's policy and hands the same event to the
 * same handler.
 */
export const evidenceBucket = {
  name: 'evidence',
  screening: { prefix: 'incoming/', function: 'evidence-screener' },
} as const satisfies { name: string; screening: { prefix: string; function: FunctionName } };
