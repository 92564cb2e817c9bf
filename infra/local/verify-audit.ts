/**
 * Verifies the audit trail of every fee case in a campaign table: each case's events must be all
 * there (1..n), unaltered, linked hash to hash, and end at the hash the case item records. Prints one
 * line per broken case and a summary; exits 1 if any case is broken.
 *
 *   npm run audit:verify -- --endpoint http://127.0.0.1:8000 [--table fee-campaign] [--region us-east-1]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type CaseEvent, verifyChain } from '#shared/domain/case-event';

export interface BrokenTrail {
  caseId: string;
  /** The first event that does not verify (n + 1 when the latest events are gone). */
  brokenAtSeq: number;
  reason: string;
}

export interface AuditReport {
  cases: number;
  events: number;
  broken: BrokenTrail[];
}

type Item = Record<string, unknown>;

/** Table attributes that are keys, not part of the hashed event. */
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

/** Reads every case and event of the table in one scan and checks each case's chain. */
export const verifyAuditTrails = async (
  db: DynamoDBDocumentClient,
  tableName: string,
): Promise<AuditReport> => {
  const lastHashByCase = new Map<string, string | undefined>();
  const eventsByCase = new Map<string, CaseEvent[]>();
  let events = 0;
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        ConsistentRead: true,
        FilterExpression: 'entity IN (:case, :event)',
        ExpressionAttributeValues: { ':case': 'FeeCase', ':event': 'CaseEvent' },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const caseId = String(item.caseId);
      if (item.entity === 'FeeCase') {
        lastHashByCase.set(caseId, typeof item.lastEventHash === 'string' ? item.lastEventHash : undefined);
      } else {
        events += 1;
        const list = eventsByCase.get(caseId) ?? [];
        list.push(eventOf(item));
        eventsByCase.set(caseId, list);
      }
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);

  const broken: BrokenTrail[] = [];
  for (const [caseId, lastEventHash] of lastHashByCase) {
    const verdict = verifyChain(eventsByCase.get(caseId) ?? [], lastEventHash);
    if (!verdict.intact) broken.push({ caseId, brokenAtSeq: verdict.brokenAtSeq, reason: verdict.reason });
  }
  // Events whose case item is gone: the trail can no longer be anchored.
  for (const caseId of eventsByCase.keys()) {
    if (!lastHashByCase.has(caseId)) broken.push({ caseId, brokenAtSeq: 0, reason: 'case item missing' });
  }
  broken.sort((a, b) => a.caseId.localeCompare(b.caseId));
  return { cases: new Set([...lastHashByCase.keys(), ...eventsByCase.keys()]).size, events, broken };
};

export const describeReport = (report: AuditReport): string[] => [
  ...report.broken.map(
    (trail) =>
      `BROKEN case ${trail.caseId}: ${trail.reason}${trail.brokenAtSeq > 0 ? ` at event ${trail.brokenAtSeq}` : ''}`,
  ),
  `${report.cases} case${report.cases === 1 ? '' : 's'}, ${report.events} event${report.events === 1 ? '' : 's'} checked: ${
    report.broken.length === 0 ? 'every audit trail is intact' : `${report.broken.length} broken`
  }`,
];

const usage =
  'usage: verify-audit --endpoint http://127.0.0.1:PORT [--table fee-campaign] [--region us-east-1]';

/** The command line; returns the exit code (0 intact, 1 broken, 2 usage or connection error). */
export const main = async (
  argv: readonly string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> => {
  let values: { endpoint?: string; table?: string; region?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        endpoint: { type: 'string' },
        table: { type: 'string', default: 'fee-campaign' },
        region: { type: 'string', default: 'us-east-1' },
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
  if (!values.endpoint) {
    err(`--endpoint is required (the DynamoDB Local of the runtime)\n${usage}`);
    return 2;
  }
  const client = new DynamoDBClient({
    endpoint: values.endpoint,
    region: values.region,
    // DynamoDB Local accepts any static credentials.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const report = await verifyAuditTrails(
      DynamoDBDocumentClient.from(client),
      values.table ?? 'fee-campaign',
    );
    for (const line of describeReport(report)) out(line);
    return report.broken.length === 0 ? 0 : 1;
  } catch (error) {
    err(`Could not read ${values.table} at ${values.endpoint}: ${(error as Error).message}`);
    return 2;
  } finally {
    client.destroy();
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
