/**
 * Shared by the security tests: the cast of callers (every role, with and without a claim on the
 * objects), driving a fresh case to an open task of a given kind, and table snapshots.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  associationCode,
  type ComplaintBodyOptions,
  claimsOf,
  complaintBody,
  enterpriseCode,
} from '#infra/local/campaign-fixtures';
import { canonicalJson } from '#shared/domain/case-event';
import { completeTask, decisions, openTaskOf } from '#test/support/campaign-actors';
import type { TestRuntime } from '#test/support/runtime';

export const actorNames = [
  'anonymous',
  'enterprise',
  'otherEnterprise',
  'regulator',
  'regulatorOtherProvince',
  'regulatorOtherAgency',
  'nationalRegulator',
  'association',
  'otherAssociation',
  'admin',
] as const;
export type ActorName = (typeof actorNames)[number];

export interface Cast {
  /** Bearer tokens by actor; `anonymous` has none. */
  tokens: Record<ActorName, string | undefined>;
  enterpriseCode: string;
  otherEnterpriseCode: string;
  associationCode: string;
  otherAssociationCode: string;
  agency: string;
  province: string;
}

let castCounter = 0;

/**
 * Everyone who might call: the enterprise that complains, the association its complaints are about,
 * the regulator of that association's agency and province, and one of each who has no claim.
 */
export const newCast = async (harness: TestRuntime, agency = 'MCA', province = '11'): Promise<Cast> => {
  castCounter += 1;
  const seed = (Math.floor(Math.random() * 40_000) * 100 + castCounter * 2) % 9_000_000;
  const codes = {
    enterpriseCode: enterpriseCode(province, seed),
    otherEnterpriseCode: enterpriseCode(province, seed + 1),
    associationCode: associationCode(province, seed),
    otherAssociationCode: associationCode(province, seed + 1),
  };
  const otherAgency = agency === 'SAMR' ? 'MCA' : 'SAMR';
  const otherProvince = province === '31' ? '44' : '31';
  const [
    enterprise,
    otherEnterprise,
    regulator,
    regulatorOtherProvince,
    regulatorOtherAgency,
    nationalRegulator,
    association,
    otherAssociation,
    admin,
  ] = await Promise.all([
    harness.token(claimsOf.enterprise(codes.enterpriseCode)),
    harness.token(claimsOf.enterprise(codes.otherEnterpriseCode)),
    harness.token(claimsOf.regulator(agency, province)),
    harness.token(claimsOf.regulator(agency, otherProvince)),
    harness.token(claimsOf.regulator(otherAgency, province)),
    harness.token(claimsOf.regulator(agency, '00')),
    harness.token(claimsOf.association(codes.associationCode)),
    harness.token(claimsOf.association(codes.otherAssociationCode)),
    harness.token(claimsOf.admin()),
  ]);
  return {
    tokens: {
      anonymous: undefined,
      enterprise,
      otherEnterprise,
      regulator,
      regulatorOtherProvince,
      regulatorOtherAgency,
      nationalRegulator,
      association,
      otherAssociation,
      admin,
    },
    ...codes,
    agency,
    province,
  };
};

const token = (cast: Cast, actor: ActorName): string => {
  const value = cast.tokens[actor];
  if (!value) throw new Error(`${actor} has no token`);
  return value;
};

export type TaskKind = 'REVIEW' | 'RECTIFICATION' | 'VERIFICATION' | 'INFO';

export interface DrivenCase {
  caseId: string;
  complaintId: string;
  /** The complaint's reference number. */
  reference: string;
  /** The open task of the kind asked for. */
  taskId: string;
}

const expectOk = (what: string, response: { status: number; text: string }) => {
  if (response.status !== 200) throw new Error(`${what}: ${response.status} ${response.text}`);
};

export type ComplaintOverrides = Partial<ComplaintBodyOptions>;

/**
 * Files a complaint (forced membership, so the case goes to MCA under R01) as the cast's enterprise
 * and takes the case through the workflow until a task of `kind` is open.
 */
export const driveToOpenTask = async (
  harness: TestRuntime,
  cast: Cast,
  kind: TaskKind,
  complaint: ComplaintOverrides = {},
): Promise<DrivenCase> => {
  const filed = await harness.request('POST', '/api/complaints', {
    token: token(cast, 'enterprise'),
    body: complaintBody({ associationCode: cast.associationCode, ...complaint }),
  });
  if (filed.status !== 202) throw new Error(`complaint: ${filed.status} ${filed.text}`);
  const { caseId, complaintId, reference } = filed.body as {
    caseId: string;
    complaintId: string;
    reference: string;
  };
  const review = await openTaskOf(harness, token(cast, 'regulator'), caseId, 'REVIEW');
  if (kind === 'REVIEW') return { caseId, complaintId, reference, taskId: review.taskId };
  if (kind === 'INFO') {
    expectOk(
      'needs info',
      await completeTask(harness, token(cast, 'regulator'), review.taskId, {
        verdict: 'NEEDS_INFO',
        ruleIds: [],
        reason: 'Was joining a condition of the licence?',
      }),
    );
    const info = await openTaskOf(harness, token(cast, 'enterprise'), caseId, 'INFO');
    return { caseId, complaintId, reference, taskId: info.taskId };
  }
  expectOk('review', await completeTask(harness, token(cast, 'regulator'), review.taskId, decisions.abolish));
  const order = await openTaskOf(harness, token(cast, 'association'), caseId, 'RECTIFICATION');
  if (kind === 'RECTIFICATION') return { caseId, complaintId, reference, taskId: order.taskId };
  expectOk(
    'rectification',
    await completeTask(harness, token(cast, 'association'), order.taskId, decisions.refunded(500_000)),
  );
  const verification = await openTaskOf(harness, token(cast, 'regulator'), caseId, 'VERIFICATION');
  return { caseId, complaintId, reference, taskId: verification.taskId };
};

/** A valid completion body for each task kind. */
export const validCompletion: Record<TaskKind, unknown> = {
  REVIEW: decisions.abolish,
  RECTIFICATION: decisions.refunded(500_000),
  VERIFICATION: decisions.accept,
  INFO: { facts: { compulsory: true }, note: 'Joining was a condition of the licence' },
};

export type Item = Record<string, unknown>;

/** Every item of the table, strongly consistent, in key order. */
export const scanAll = async (harness: TestRuntime): Promise<Item[]> => {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await harness.documentClient.send(
      new ScanCommand({ TableName: harness.tableName, ConsistentRead: true, ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.sort((a, b) =>
    `${a.pk}\u0000${a.sk}` < `${b.pk}\u0000${b.sk}`
      ? -1
      : `${a.pk}\u0000${a.sk}` > `${b.pk}\u0000${b.sk}`
        ? 1
        : 0,
  );
};

/** The whole table as one string (keys sorted): equal snapshots mean nothing was written. */
export const tableSnapshot = async (harness: TestRuntime): Promise<{ count: number; text: string }> => {
  const items = await scanAll(harness);
  return { count: items.length, text: canonicalJson(items) };
};
