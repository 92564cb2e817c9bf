/**
 * Verifies the audit trail of every fee case in a campaign table: each case's events must be all there
 * (1..n), linked, each link made with the audit key (HMAC locally, KMS VerifyMac on AWS) or, for a
 * prefix written before the chain was keyed, the plain hash (reported as unkeyed), and end at the link
 * the case item records. The anchors outside the table must be whole (numbered without gaps, each
 * naming the one before, MAC'ed with the key), and every head they anchored must still be in its
 * case's chain with the same link: so dropping a case's latest events, or rebuilding its chain, is
 * detected even when the table was made to agree. A filing whose event the case journal has not
 * linked after ten minutes is reported as stalled. Prints one line per broken case or anchor chain,
 * stalled case and unkeyed prefix, then a summary; exits 0 intact, 1 broken or stalled, 2 usage or
 * connection error.
 *
 *   npm run audit:verify -- --endpoint http://127.0.0.1:3000 [--data-dir .local]      the local runtime
 *   npm run audit:verify -- --table NAME --anchors-bucket NAME --audit-key KEY [--region R]    on AWS
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { auditAnchorsFile, readRuntimeRecord, secretsFile } from '#infra/local/runtime-record';
import { S3AnchorLedger } from '#shared/adapters/anchor-ledger';
import { KmsAuditSeal, LocalKeyAuditSeal } from '#shared/adapters/audit-seal';
import { pendingCaseEventEntity } from '#shared/adapters/dynamodb/case-journal';
import { FileAnchorLedger } from '#shared/adapters/file-anchor-ledger';
import { S3Bucket } from '#shared/adapters/s3-bucket';
import { verifyAnchors } from '#shared/domain/audit-anchor';
import { type AuditSeal, type CaseEvent, verifyChain } from '#shared/domain/case-event';
import type { AnchorLedger } from '#shared/ports/anchors';

export interface BrokenTrail {
  caseId: string;
  /** The first event that does not verify (n + 1 when the latest events are gone; 0 for the case itself). */
  brokenAtSeq: number;
  reason: string;
}

export interface AuditReport {
  cases: number;
  events: number;
  anchors: number;
  broken: BrokenTrail[];
  /** Where the anchors outside the table stop verifying, if they do. */
  brokenAnchors?: { brokenAtAnchor: number; reason: string };
  /** Cases whose first events predate the keyed chain. */
  unkeyed: { caseId: string; events: number }[];
  /**
   * Cases with filings whose events the case journal has not linked into the trail for longer than it
   * ever takes (`stalledAfterMs`): their journal records failed, and the trail is not whole until they
   * are linked.
   */
  stalled: { caseId: string; events: number; since: string }[];
}

/** The case journal links a filing's event within a second or so; ten minutes means it never will. */
export const stalledAfterMs = 10 * 60_000;

/** Where the trails are read and how they are checked. */
export interface AuditSources {
  db: DynamoDBDocumentClient;
  tableName: string;
  seal: AuditSeal;
  ledger: Pick<AnchorLedger, 'all'>;
  /** The time pending events are judged at (default: now). */
  now?: Date;
}

type Item = Record<string, unknown>;

/** Table attributes that are keys, not part of the linked event. */
const keyAttributes = new Set([
  'pk',
  'sk',
  'entity',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
]);

const eventOf = (item: Item): CaseEvent =>
  Object.fromEntries(
    Object.entries(item).filter(([name]) => !keyAttributes.has(name)),
  ) as unknown as CaseEvent;

/** Reads every case and event of the table in one scan, every anchor, and checks them all. */
export const verifyAuditTrails = async ({
  db,
  tableName,
  seal,
  ledger,
  now = new Date(),
}: AuditSources): Promise<AuditReport> => {
  const lastHashByCase = new Map<string, string | undefined>();
  const eventsByCase = new Map<string, CaseEvent[]>();
  const stalledByCase = new Map<string, { events: number; since: string }>();
  const stalledBefore = new Date(now.getTime() - stalledAfterMs).toISOString();
  let events = 0;
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        ConsistentRead: true,
        FilterExpression: 'entity IN (:case, :event, :pending)',
        ExpressionAttributeValues: {
          ':case': 'FeeCase',
          ':event': 'CaseEvent',
          ':pending': pendingCaseEventEntity,
        },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const caseId = String(item.caseId);
      if (item.entity === 'FeeCase') {
        lastHashByCase.set(caseId, typeof item.lastEventHash === 'string' ? item.lastEventHash : undefined);
      } else if (item.entity === pendingCaseEventEntity) {
        const at = String(item.at);
        if (at >= stalledBefore) continue;
        const stalled = stalledByCase.get(caseId);
        stalledByCase.set(caseId, {
          events: (stalled?.events ?? 0) + 1,
          since: stalled && stalled.since < at ? stalled.since : at,
        });
      } else {
        events += 1;
        const list = eventsByCase.get(caseId) ?? [];
        list.push(eventOf(item));
        eventsByCase.set(caseId, list);
      }
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);

  const anchors = await ledger.all();
  const anchorsVerdict = await verifyAnchors(anchors, seal);
  const headsByCase = new Map<string, { seq: number; link: string }[]>();
  for (const anchor of anchors) {
    for (const head of anchor.heads) {
      headsByCase.set(head.caseId, [...(headsByCase.get(head.caseId) ?? []), head]);
    }
  }

  const broken: BrokenTrail[] = [];
  const unkeyed: AuditReport['unkeyed'] = [];
  // One case at a time: on AWS each link is a KMS call, and a case's links are checked together.
  for (const [caseId, lastLink] of lastHashByCase) {
    const verdict = await verifyChain(eventsByCase.get(caseId) ?? [], seal, {
      lastLink,
      anchoredHeads: headsByCase.get(caseId) ?? [],
    });
    if (!verdict.intact) broken.push({ caseId, brokenAtSeq: verdict.brokenAtSeq, reason: verdict.reason });
    else if (verdict.unkeyedEvents) unkeyed.push({ caseId, events: verdict.unkeyedEvents });
  }
  // Events whose case item is gone: the trail can no longer be checked against its case.
  for (const caseId of eventsByCase.keys()) {
    if (!lastHashByCase.has(caseId)) broken.push({ caseId, brokenAtSeq: 0, reason: 'case item missing' });
  }
  // An anchored case with nothing left in the table.
  for (const caseId of headsByCase.keys()) {
    if (!lastHashByCase.has(caseId) && !eventsByCase.has(caseId)) {
      broken.push({ caseId, brokenAtSeq: 0, reason: 'anchored case missing' });
    }
  }
  broken.sort((a, b) => a.caseId.localeCompare(b.caseId));
  return {
    cases: new Set([...lastHashByCase.keys(), ...eventsByCase.keys()]).size,
    events,
    anchors: anchors.length,
    broken,
    ...(anchorsVerdict.intact
      ? {}
      : { brokenAnchors: { brokenAtAnchor: anchorsVerdict.brokenAtAnchor, reason: anchorsVerdict.reason } }),
    unkeyed,
    stalled: [...stalledByCase]
      .map(([caseId, stalled]) => ({ caseId, ...stalled }))
      .sort((a, b) => a.caseId.localeCompare(b.caseId)),
  };
};

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

export const describeReport = (report: AuditReport): string[] => {
  const problems = [
    ...(report.brokenAnchors ? ['the anchors are broken'] : []),
    ...(report.broken.length > 0 ? [`${report.broken.length} broken`] : []),
    ...(report.stalled.length > 0 ? [`${report.stalled.length} with filings not linked`] : []),
  ];
  return [
    ...(report.brokenAnchors
      ? [`BROKEN anchors: ${report.brokenAnchors.reason} at anchor ${report.brokenAnchors.brokenAtAnchor}`]
      : []),
    ...report.broken.map(
      (trail) =>
        `BROKEN case ${trail.caseId}: ${trail.reason}${trail.brokenAtSeq > 0 ? ` at event ${trail.brokenAtSeq}` : ''}`,
    ),
    ...report.stalled.map(
      (trail) =>
        `STALLED case ${trail.caseId}: ${plural(trail.events, 'filing')} not linked into its trail since ${trail.since} (the case journal's records failed: see its dead letters)`,
    ),
    ...report.unkeyed.map(
      (trail) =>
        `UNKEYED case ${trail.caseId}: its first ${plural(trail.events, 'event')} predate the keyed chain (plain SHA-256: verified, but anyone with table access could have rewritten them)`,
    ),
    `${plural(report.cases, 'case')}, ${plural(report.events, 'event')}, ${plural(report.anchors, 'anchor')} checked: ${
      problems.length === 0 ? 'every audit trail is intact' : problems.join(', ')
    }`,
  ];
};

const usage = [
  'usage: verify-audit [--endpoint http://127.0.0.1:3000] [--data-dir DIR] [--table NAME]',
  '         the local runtime whose data folder is DIR (default: LOCAL_DATA_DIR, else .local)',
  '       verify-audit --table NAME --anchors-bucket NAME --audit-key KEY_ARN [--region REGION]',
  '         on AWS, with credentials that may scan the table, read the bucket and use kms:VerifyMac',
].join('\n');

class UsageError extends Error {}

/** The sources to verify, the client to close afterwards, and how to name where they are. */
interface Target {
  client: DynamoDBClient;
  where: string;
  sources: AuditSources;
}

interface Options {
  endpoint?: string | undefined;
  'data-dir'?: string | undefined;
  table?: string | undefined;
  'anchors-bucket'?: string | undefined;
  'audit-key'?: string | undefined;
  region?: string | undefined;
}

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/**
 * The local runtime's table, key and anchors, found in its data folder: `--endpoint` may name the
 * runtime (its URL or its API) or the DynamoDB Local it started; either is checked against the record
 * the runtime left there.
 */
const localSources = async (values: Options): Promise<Target> => {
  const dataDir = values['data-dir'] ?? process.env.LOCAL_DATA_DIR ?? '.local';
  const record = await readRuntimeRecord(dataDir);
  if (!record) {
    throw new UsageError(
      `No local runtime has started on the data folder ${dataDir}: start it (npm start) or pass --data-dir`,
    );
  }
  const endpoint = values.endpoint ?? record.url;
  if (![record.url, record.dynamoEndpoint].map(originOf).includes(originOf(endpoint))) {
    throw new UsageError(
      `${endpoint} is not the runtime of ${dataDir} (${record.url}, DynamoDB Local ${record.dynamoEndpoint}): pass its --data-dir`,
    );
  }
  const secrets = await readFile(secretsFile(dataDir), 'utf8').then(
    (text) => JSON.parse(text) as { auditKey?: string },
    () => ({}) as { auditKey?: string },
  );
  if (!secrets.auditKey) throw new UsageError(`${secretsFile(dataDir)} holds no audit key`);
  const client = new DynamoDBClient({
    endpoint: record.dynamoEndpoint,
    region: 'us-east-1',
    // DynamoDB Local accepts any static credentials.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    client,
    where: `${record.dynamoEndpoint} (the runtime at ${record.url})`,
    sources: {
      db: DynamoDBDocumentClient.from(client),
      tableName: values.table ?? record.tableName,
      seal: new LocalKeyAuditSeal(secrets.auditKey),
      ledger: new FileAnchorLedger(auditAnchorsFile(dataDir)),
    },
  };
};

const awsSources = (values: Options): Target => {
  const bucket = values['anchors-bucket'];
  if (!bucket || !values.table || !values['audit-key']) {
    throw new UsageError('--anchors-bucket needs --table and --audit-key (the stack outputs)');
  }
  const region = values.region ? { region: values.region } : {};
  const client = new DynamoDBClient(region);
  const kms = new KMSClient(region);
  return {
    client,
    where: `DynamoDB and s3://${bucket}`,
    sources: {
      db: DynamoDBDocumentClient.from(client),
      tableName: values.table,
      seal: new KmsAuditSeal(kms, values['audit-key']),
      ledger: new S3AnchorLedger(new S3Bucket(new S3Client(region), bucket)),
    },
  };
};

/** The command line; returns the exit code (0 intact, 1 broken, 2 usage or connection error). */
export const main = async (
  argv: readonly string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> => {
  let values: Options & { help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        endpoint: { type: 'string' },
        'data-dir': { type: 'string' },
        table: { type: 'string' },
        'anchors-bucket': { type: 'string' },
        'audit-key': { type: 'string' },
        region: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    err(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    out(usage);
    return 0;
  }
  let target: Target;
  try {
    target = values['anchors-bucket'] ? awsSources(values) : await localSources(values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`${error.message}\n${usage}`);
    return 2;
  }
  try {
    const report = await verifyAuditTrails(target.sources);
    for (const line of describeReport(report)) out(line);
    return report.broken.length === 0 && !report.brokenAnchors && report.stalled.length === 0 ? 0 : 1;
  } catch (error) {
    err(`Could not read ${target.sources.tableName} at ${target.where}: ${(error as Error).message}`);
    return 2;
  } finally {
    target.client.destroy();
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
