/**
 * The one description of the system. The CDK app (`infra/aws`) and the local runtime (`infra/local`)
 * both iterate it, so the two cannot drift: a test proves they serve the same routes with the same
 * functions.
 */

import { countedEntities } from '#shared/adapters/dynamodb/items';
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
  table: 'read' | 'readWrite';
  /** Complainant contact details: sealing on intake, opening for those allowed to read them. */
  contactKey?: 'encrypt' | 'decrypt';
  /** The fee-case state machine: starting executions, or answering its callbacks. */
  workflow?: 'start' | 'callback';
  /** The audit chain's HMAC key: linking new events (writers), or verifying links (readers). */
  auditKey?: 'mac' | 'verify';
  /** The audit anchors outside the table: appending them (the anchorer), or reading them (verifiers). */
  auditAnchors?: 'append' | 'read';
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
}

export const functions = [
  {
    name: 'complaints-api',
    entry: 'functions/api/complaints.ts',
    description: 'Files complaints: seals the contact, joins or opens the case, starts its workflow',
    memoryMiB: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', contactKey: 'encrypt', workflow: 'start', auditKey: 'mac' },
    operations: ['fileComplaint'],
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
    description: 'Task inbox: list, claim, release, complete',
    memoryMiB: 512,
    timeoutSeconds: 10,
    access: { table: 'readWrite', workflow: 'callback', auditKey: 'mac' },
    operations: ['listTasks', 'claimTask', 'releaseTask', 'completeTask'],
  },
  {
    name: 'cases-api',
    entry: 'functions/api/cases.ts',
    description: 'Reads a fee case with its tasks and audit trail',
    memoryMiB: 512,
    timeoutSeconds: 10,
    access: { table: 'read', auditKey: 'verify', auditAnchors: 'read' },
    operations: ['getCase'],
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
    description: 'Campaign metrics and the open-data export',
    memoryMiB: 512,
    timeoutSeconds: 29,
    access: { table: 'read' },
    operations: ['getMetrics', 'getPublicMetrics', 'getOutcomesCsv'],
  },
  {
    name: 'metrics-aggregator',
    entry: 'functions/streams/case-metrics.ts',
    description: 'Turns case and task changes into campaign counters, exactly once',
    memoryMiB: 512,
    timeoutSeconds: 60,
    access: { table: 'readWrite' },
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
export interface WorkflowDescription {
  name: string;
  /** ASL file relative to the repository root. */
  definition: string;
  /** Substitution name -> function (its ARN is substituted). */
  functionArns: Record<string, FunctionName>;
  /** Substitution name -> value; SLAs in seconds. */
  settings: Record<string, string>;
}

const day = 86_400;

export const feeCaseWorkflow = {
  name: 'fee-case',
  definition: 'workflows/fee-case.asl.json',
  functionArns: { CaseStepsFunctionArn: 'case-steps' },
  settings: {
    ReviewSlaSeconds: String(15 * day),
    InfoSlaSeconds: String(15 * day),
    VerificationSlaSeconds: String(10 * day),
    // Rectification runs as long as the order says (default 30 days: DEFAULT_RECTIFICATION_DAYS).
    HeartbeatSeconds: String(day),
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
] as const satisfies readonly StreamConsumerDescription[];

/** Functions run on a timer: on AWS an EventBridge rule, locally a timer of the runtime (and once at stop). */
export interface ScheduleDescription {
  name: string;
  function: FunctionName;
  everyMinutes: number;
}

export const schedules = [
  { name: 'audit-anchors', function: 'audit-anchorer', everyMinutes: 15 },
] as const satisfies readonly ScheduleDescription[];
