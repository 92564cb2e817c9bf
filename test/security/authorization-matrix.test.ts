/**
 * Authorization matrix, generated from the one route description (`apiRoutes`): every route x every
 * caller x every object the route can name, against the expected statuses written below as a table.
 * Function level: 401 without a token, 403 for a role the route does not admit. Object level: 404
 * for what is not the caller's. Property level: complainant identity and contact only to those
 * entitled, and server-owned fields in bodies rejected.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationCode, complaintBody } from '#infra/local/campaign-fixtures';
import { accountItem } from '#shared/adapters/dynamodb/account-items';
import { attachUploadItem, DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { transact } from '#shared/adapters/dynamodb/table-io';
import { DynamoTypicalCaseStore } from '#shared/adapters/dynamodb/typical-case-store';
import type { UserAccount } from '#shared/domain/account';
import { canonicalJson } from '#shared/domain/case-event';
import type { EvidenceTarget } from '#shared/domain/evidence';
import { taskIdOf } from '#shared/domain/fee-task';
import { apiRoutes, type OperationId } from '#shared/http/routes';
import {
  type ActorName,
  actorNames,
  type Cast,
  type DrivenCase,
  driveToOpenTask,
  newCast,
  type TaskKind,
  validCompletion,
} from '#test/security/support';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';
import { declarationBody, registerAssociations } from '#test/support/self-inspection';

type ObjectName =
  | 'none'
  | 'complaint'
  | 'case'
  | 'notification'
  | TaskKind
  | 'unknown'
  /** The complainant's screened upload that nothing names yet. */
  | 'upload'
  /** Screened files on the evidence case: the complainant's (its complaint), the association's (its report), an official's (the decision). */
  | 'complaintFile'
  | 'reportFile'
  | 'decisionFile'
  /** A screened file the association attached to its declaration (a fee's basis document). */
  | 'declarationFile'
  /** An invited regulator of the national regulator's agency. */
  | 'user'
  /** An enterprise account that another account of the same credit code may be linked to. */
  | 'enterpriseAccount'
  /** The registered association the fee belongs to (its public fee list). */
  | 'association'
  /** A typical case: a draft (publishing), a published one (withdrawing, reading). */
  | 'typicalCase';
type Row = readonly [number, number, number, number, number, number, number, number, number, number];

/**
 * Expected status by operation, object and caller. Columns follow `actorNames`:
 * anonymous, enterprise (the complainant), another enterprise, regulator of the case's agency and
 * province, of another province, of another agency, national regulator (00) of the case's agency,
 * the association the fee belongs to, another association, campaign admin.
 */
// biome-ignore format: the table is easier to read aligned
const expected = {
  //                              anon  ent ent2  reg regP regA  nat  asc asc2 admin
  fileComplaint:    { none:          [401, 202, 202, 403, 403, 403, 403, 403, 403, 403] },
  listComplaints:   { none:          [401, 200, 200, 403, 403, 403, 403, 403, 403, 403] },
  getComplaint:     { complaint:     [401, 200, 404, 200, 404, 404, 200, 403, 403, 200],
                      unknown:       [401, 404, 404, 404, 404, 404, 404, 403, 403, 404] },
  // The complainant is refused with 409 (its case is not closed yet) and nothing changes.
  giveFeedback:     { complaint:     [401, 409, 404, 403, 403, 403, 403, 403, 403, 403],
                      unknown:       [401, 404, 404, 403, 403, 403, 403, 403, 403, 403] },
  // The complainant names its screened upload on its open complaint; nobody else's complaint is there.
  addComplaintAttachments: { complaint: [401, 200, 404, 403, 403, 403, 403, 403, 403, 403],
                      unknown:       [401, 404, 404, 403, 403, 403, 403, 403, 403, 403] },
  // Every role asks for a form for a purpose it uploads for (the refusals of others are unit-tested).
  createUpload:     { none:          [401, 201, 201, 201, 201, 201, 201, 201, 201, 201] },
  getUpload:        { upload:        [401, 200, 404, 404, 404, 404, 404, 404, 404, 404],
                      unknown:       [401, 404, 404, 404, 404, 404, 404, 404, 404, 404] },
  // docs/evidence.md, "Who may download"; the complainant did not disclose its identity, the decision
  // ordered rectification, and the other enterprise filed nothing on the evidence case.
  getFile:          { upload:        [401, 200, 404, 404, 404, 404, 404, 404, 404, 404],
                      complaintFile: [401, 200, 404, 200, 404, 404, 200, 404, 404, 200],
                      reportFile:    [401, 404, 404, 200, 404, 404, 200, 200, 404, 200],
                      decisionFile:  [401, 200, 404, 200, 404, 404, 200, 200, 404, 200],
                      // Read with the declaration: the association itself and every official.
                      declarationFile: [401, 404, 404, 200, 200, 200, 200, 200, 404, 200],
                      unknown:       [401, 404, 404, 404, 404, 404, 404, 404, 404, 404] },
  getCase:          { case:          [401, 403, 403, 200, 404, 404, 200, 200, 404, 200],
                      unknown:       [401, 403, 403, 404, 404, 404, 404, 404, 404, 404] },
  searchCases:      { none:          [401, 403, 403, 200, 200, 200, 200, 403, 403, 200] },
  getCaseLedger:    { none:          [401, 403, 403, 200, 200, 200, 200, 403, 403, 200] },
  listTasks:        { none:          [401, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  claimTask:        { REVIEW:        [401, 403, 403, 200, 404, 404, 404, 403, 403, 403],
                      RECTIFICATION: [401, 403, 403, 200, 404, 404, 404, 403, 403, 403],
                      VERIFICATION:  [401, 403, 403, 200, 404, 404, 404, 403, 403, 403],
                      INFO:          [401, 403, 403, 403, 404, 404, 404, 403, 403, 403],
                      unknown:       [401, 403, 403, 404, 404, 404, 404, 403, 403, 403] },
  releaseTask:      { REVIEW:        [401, 403, 403, 200, 404, 404, 404, 403, 403, 200],
                      RECTIFICATION: [401, 403, 403, 200, 404, 404, 404, 403, 403, 200],
                      VERIFICATION:  [401, 403, 403, 200, 404, 404, 404, 403, 403, 200],
                      INFO:          [401, 403, 403, 403, 404, 404, 404, 403, 403, 200],
                      unknown:       [401, 403, 403, 404, 404, 404, 404, 403, 403, 404] },
  completeTask:     { REVIEW:        [401, 404, 404, 200, 404, 404, 404, 404, 404, 403],
                      RECTIFICATION: [401, 404, 404, 200, 404, 404, 404, 200, 404, 403],
                      VERIFICATION:  [401, 404, 404, 200, 404, 404, 404, 404, 404, 403],
                      INFO:          [401, 200, 404, 403, 404, 404, 404, 404, 404, 403],
                      unknown:       [401, 404, 404, 404, 404, 404, 404, 404, 404, 403] },
  // The provincial regulator sees the task but does not direct work (403); the national one does.
  assignTask:       { REVIEW:        [401, 403, 403, 403, 404, 404, 200, 403, 403, 200],
                      RECTIFICATION: [401, 403, 403, 403, 404, 404, 200, 403, 403, 200],
                      VERIFICATION:  [401, 403, 403, 403, 404, 404, 200, 403, 403, 200],
                      INFO:          [401, 403, 403, 403, 404, 404, 409, 403, 403, 409],
                      unknown:       [401, 403, 403, 404, 404, 404, 404, 403, 403, 404] },
  // Only the association an open order is addressed to asks for more time on it.
  requestExtension: { RECTIFICATION: [401, 403, 403, 403, 403, 403, 403, 201, 404, 403],
                      REVIEW:        [401, 403, 403, 403, 403, 403, 403, 404, 404, 403],
                      unknown:       [401, 403, 403, 403, 403, 403, 403, 404, 404, 403] },
  // The national regulator sees the case but does not hold its review (403).
  transferCase:     { case:          [401, 403, 403, 200, 404, 404, 403, 403, 403, 200],
                      unknown:       [401, 403, 403, 404, 404, 404, 404, 403, 403, 404] },
  getMetrics:       { none:          [401, 403, 403, 200, 200, 200, 200, 403, 403, 200] },
  getPublicMetrics: { none:          [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  getOutcomesCsv:   { none:          [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  getNotificationSettings: { none:   [401, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  putNotificationSettings: { none:   [401, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  getCalendarYear:  { none:          [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  putCalendarYear:  { none:          [401, 403, 403, 403, 403, 403, 403, 403, 403, 200] },
  listNotifications:{ none:          [401, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  markNotificationRead: { notification: [401, 200, 404, 404, 404, 404, 404, 404, 404, 404],
                      unknown:       [401, 404, 404, 404, 404, 404, 404, 404, 404, 404] },
  getPublicProgress: { complaint:    [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
                      unknown:       [404, 404, 404, 404, 404, 404, 404, 404, 404, 404] },
  // A national regulator manages the regulators of its agency; provincial regulators manage nobody.
  listUsers:        { none:          [401, 403, 403, 403, 403, 403, 200, 403, 403, 200] },
  inviteUser:       { none:          [401, 403, 403, 403, 403, 403, 201, 403, 403, 201] },
  disableUser:      { user:          [401, 403, 403, 403, 403, 403, 200, 403, 403, 200],
                      unknown:       [401, 403, 403, 403, 403, 403, 404, 403, 403, 404] },
  enableUser:       { user:          [401, 403, 403, 403, 403, 403, 200, 403, 403, 200],
                      unknown:       [401, 403, 403, 403, 403, 403, 404, 403, 403, 404] },
  resetUserPassword: { user:         [401, 403, 403, 403, 403, 403, 200, 403, 403, 200],
                      unknown:       [401, 403, 403, 403, 403, 403, 404, 403, 403, 404] },
  linkEnterprise:   { enterpriseAccount: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
                      unknown:       [401, 403, 403, 403, 403, 403, 403, 403, 403, 404] },
  signOutEverywhere: { none:         [401, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  // Associations: the registry and its suggestions.
  // (rows of this part go below this line)
  importAssociationRegister: { none: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200] },
  suggestAssociations: { none: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  // Associations: self-inspection and public fee lists.
  // (rows of this part go below this line)
  // Both associations are in the register (an unregistered one is refused with 409, tested over HTTP).
  declareFees:      { none:          [401, 403, 403, 403, 403, 403, 403, 200, 200, 403] },
  // Associations read their own; officials name the association (the fee's).
  listSelfInspections: { none:       [401, 403, 403, 200, 200, 200, 200, 200, 200, 200] },
  getPublicAssociation: { association: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
                      unknown:       [404, 404, 404, 404, 404, 404, 404, 404, 404, 404] },
  // Associations: repeat offenders.
  // (rows of this part go below this line)
  getAssociationRanking: { none:     [401, 403, 403, 200, 200, 200, 200, 403, 403, 200] },
  // Associations: typical cases.
  // (rows of this part go below this line)
  // Only campaign admins write typical cases; a case that is not closed is refused (tested over HTTP).
  createTypicalCase: { unknown:      [401, 403, 403, 403, 403, 403, 403, 403, 403, 404] },
  listTypicalCases: { none:          [401, 403, 403, 403, 403, 403, 403, 403, 403, 200] },
  publishTypicalCase: { typicalCase: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
                      unknown:       [401, 403, 403, 403, 403, 403, 403, 403, 403, 404] },
  withdrawTypicalCase: { typicalCase: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
                      unknown:       [401, 403, 403, 403, 403, 403, 403, 403, 403, 404] },
  listPublicTypicalCases: { none:    [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  getPublicTypicalCase: { typicalCase: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
                      unknown:       [404, 404, 404, 404, 404, 404, 404, 404, 404, 404] },
  getTypicalCasesAtom: { none:       [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  getOpenApi:       { none:          [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
  getHealth:        { none:          [200, 200, 200, 200, 200, 200, 200, 200, 200, 200] },
} as const satisfies Record<OperationId, Partial<Record<ObjectName, Row>>>;

/** The role each caller signs in with (for checking the table against the route description). */
const roleOf: Record<ActorName, string> = {
  anonymous: 'anonymous',
  enterprise: 'enterprise',
  otherEnterprise: 'enterprise',
  regulator: 'regulator',
  regulatorOtherProvince: 'regulator',
  regulatorOtherAgency: 'regulator',
  nationalRegulator: 'regulator',
  association: 'association',
  otherAssociation: 'association',
  admin: 'campaign-admin',
};

/** A year far enough ahead that storing its notice changes no deadline the other cells meet. */
const storedYear = 2031;
const storedNotice = { holidays: ['2031-01-01'], workdays: [] };

const taskKinds = ['REVIEW', 'RECTIFICATION', 'VERIFICATION', 'INFO'] as const;
const unknownId = '00000000-0000-4000-8000-000000000000';
const unknownTaskId = `${unknownId}.review.1`;
/** Shaped like a notification id, but nobody's. */
const unknownNotificationId = '20260101000000000-AAAAAAAAAAAAAAAAAAAAAA';

let harness: TestRuntime;
let cast: Cast;
/** One open task of each kind, on its own case: every refusal is tried on these, and must leave them be. */
const shared = {} as Record<TaskKind, DrivenCase>;
/** Tasks the rightful caller claims and completes (a success changes the task, so each gets its own). */
const fresh = {} as Record<TaskKind, Partial<Record<ActorName, DrivenCase>>>;
const freshFor: [TaskKind, ActorName][] = [
  ['REVIEW', 'regulator'],
  ['RECTIFICATION', 'regulator'],
  ['RECTIFICATION', 'association'],
  ['VERIFICATION', 'regulator'],
  ['INFO', 'enterprise'],
  // Assigned by the national regulator, then by the campaign admin (who gives it to the same officer).
  ['REVIEW', 'nationalRegulator'],
  ['RECTIFICATION', 'nationalRegulator'],
  ['VERIFICATION', 'nationalRegulator'],
];
/** Cases the rightful callers transfer away (a transfer moves the case, so each gets its own). */
const transferable: Partial<Record<ActorName, DrivenCase>> = {};
const transferredBy = ['regulator', 'admin'] as const;
const assignment = { assignee: 'local:regulator:MCA:11:matrix-officer' };
const transfer = { agency: 'SAMR', province: '44', reason: 'Pricing is for market regulation (matrix)' };
/** The order whose association asks for more time (its own, since the report completes the other). */
let extensionTarget: DrivenCase;
/** A complaint whose complainant agreed to be named to the association. */
let disclosed: DrivenCase;
/**
 * Evidence: a case at its order whose files every download row reads (officials' downloads add to its
 * audit trail, so it is none of the shared cases), and an open complaint that the complainant attaches to.
 */
let evidenceCase: DrivenCase;
let attachTarget: DrivenCase;
const evidenceFiles = {} as Record<
  'upload' | 'complaintFile' | 'reportFile' | 'decisionFile' | 'declarationFile',
  string
>;
let attachableUploadId = '';
const uploadRequests: Record<string, object> = {
  enterprise: { purpose: 'COMPLAINT', fileName: '收费通知.pdf', contentType: 'application/pdf', size: 2048 },
  association: { purpose: 'RECTIFICATION', fileName: 'refund.png', contentType: 'image/png', size: 2048 },
  regulator: { purpose: 'DECISION', fileName: 'decision.ofd', contentType: 'application/ofd', size: 2048 },
  'campaign-admin': {
    purpose: 'DECISION',
    fileName: 'decision.pdf',
    contentType: 'application/pdf',
    size: 2048,
  },
};
/** A notification of the complainant (its complaint's receipt). */
let notificationId = '';
const contact = { name: 'Wang Wuming', phone: '+86 139 1111 2222', email: 'wang.wuming@example.com' };
const description = 'We had to join to keep our operating licence (matrix).';
/** Accounts: the invited regulator the managers change, and two enterprise accounts of one credit code. */
let userId = '';
const enterpriseAccounts = { linked: '', other: '' };
let invited = 0;
let sharedItemsBefore = '';
let filed = 0;
let cellsRun = 0;

const itemsOf = async (driven: DrivenCase[]) => {
  const get = async (pk: string, sk: string) =>
    (
      await harness.documentClient.send(
        new GetCommand({ TableName: harness.tableName, Key: { pk, sk }, ConsistentRead: true }),
      )
    ).Item;
  return canonicalJson(
    await Promise.all(
      driven.flatMap((d) => [get(`CASE#${d.caseId}`, 'CASE'), get(`TASK#${d.taskId}`, 'TASK')]),
    ),
  );
};

beforeAll(async () => {
  harness = await startTestRuntime();
  cast = await newCast(harness);
  const [sharedCases, freshCases, disclosedCase, transferableCases, extensionCase, evidence, attachable] =
    await Promise.all([
      Promise.all(
        taskKinds.map((kind) =>
          driveToOpenTask(harness, cast, kind, { feeName: `Shared ${kind} fee`, contact, description }),
        ),
      ),
      Promise.all(
        freshFor.map(([kind, actor]) =>
          driveToOpenTask(harness, cast, kind, { feeName: `Fresh ${kind} fee for ${actor}` }),
        ),
      ),
      driveToOpenTask(harness, cast, 'REVIEW', {
        feeName: 'Disclosed fee',
        contact,
        description,
        discloseIdentityToAssociation: true,
      }),
      Promise.all(
        transferredBy.map((actor) =>
          driveToOpenTask(harness, cast, 'REVIEW', { feeName: `Transferred fee for ${actor}` }),
        ),
      ),
      driveToOpenTask(harness, cast, 'RECTIFICATION', { feeName: 'Fresh fee for an extension' }),
      driveToOpenTask(harness, cast, 'RECTIFICATION', { feeName: 'Evidence fee' }),
      driveToOpenTask(harness, cast, 'REVIEW', { feeName: 'Fee with more evidence to come' }),
    ]);
  evidenceCase = evidence;
  attachTarget = attachable;
  await screenEvidence();
  await setUpAccounts();
  await registerAssociations(harness, [cast.associationCode, cast.otherAssociationCode]);
  await seedTypicalCases();
  disclosed = disclosedCase;
  extensionTarget = extensionCase;
  transferredBy.forEach((actor, i) => {
    transferable[actor] = transferableCases[i];
  });
  taskKinds.forEach((kind, i) => {
    shared[kind] = sharedCases[i] as DrivenCase;
  });
  freshFor.forEach(([kind, actor], i) => {
    fresh[kind] ??= {};
    fresh[kind][actor] = freshCases[i] as DrivenCase;
  });
  sharedItemsBefore = await itemsOf(Object.values(shared));
  await harness.runtime.drainStreams();
  const centre = await harness.request('GET', '/api/notifications', { token: cast.tokens.enterprise });
  notificationId = centre.body.items[0].notificationId;
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

/**
 * A file as screening and attaching leave it: asked for through the API by `actor`, then screened
 * CLEAN and named by `target` through the table's adapter, as the screener and the naming write do
 * (each has its own tests; here only who reads counts).
 */
const screenedFile = async (
  actor: ActorName,
  target?: EvidenceTarget,
  request = uploadRequests[roleOf[actor]],
): Promise<string> => {
  const asked = await harness.request('POST', '/api/uploads', { token: cast.tokens[actor], body: request });
  if (asked.status !== 201) throw new Error(`upload: ${asked.status} ${asked.text}`);
  const { uploadId } = asked.body as { uploadId: string };
  const uploads = new DynamoEvidenceUploads(harness.documentClient, harness.tableName);
  const at = new Date().toISOString();
  await uploads.recordScreening(uploadId, {
    status: 'CLEAN',
    storedSize: 2048,
    sha256: '0'.repeat(64),
    screenedAt: at,
  });
  const upload = await uploads.get(uploadId);
  if (target && upload) {
    const { owner, purpose } = upload;
    const outcome = await transact(harness.documentClient, [
      attachUploadItem(harness.tableName, { uploadId, owner, purpose, target, at }),
    ]);
    if (!outcome.committed) throw new Error(`attaching ${uploadId} failed`);
  }
  return uploadId;
};

const screenEvidence = async () => {
  const { caseId } = evidenceCase;
  const onTask = (taskId: string): EvidenceTarget => ({ kind: 'TASK', taskId, caseId });
  [
    evidenceFiles.upload,
    evidenceFiles.complaintFile,
    evidenceFiles.reportFile,
    evidenceFiles.decisionFile,
    evidenceFiles.declarationFile,
    attachableUploadId,
  ] = await Promise.all([
    screenedFile('enterprise'),
    screenedFile('enterprise', { kind: 'COMPLAINT', complaintId: evidenceCase.complaintId, caseId }),
    screenedFile('association', onTask(evidenceCase.taskId)),
    screenedFile('regulator', onTask(taskIdOf(caseId, 'REVIEW', 1))),
    screenedFile(
      'association',
      { kind: 'DECLARATION', creditCode: cast.associationCode, year: 2025, version: 1 },
      { purpose: 'DECLARATION', fileName: '章程.pdf', contentType: 'application/pdf', size: 2048 },
    ),
    screenedFile('enterprise'),
  ]);
};

/** An invitation of a regulator of the cast's agency, each to an address of its own. */
const regulatorInvitation = () => {
  invited += 1;
  return {
    role: 'regulator',
    email: `matrix-officer-${invited}-${Date.now()}@example.com`,
    name: `Matrix officer ${invited}`,
    agency: cast.agency,
    province: cast.province,
  };
};

/** Enterprise accounts sign themselves up through the identity provider; here they are put in place. */
const setUpAccounts = async () => {
  const invitedUser = await harness.request('POST', '/api/admin/users', {
    token: cast.tokens.admin,
    body: regulatorInvitation(),
  });
  if (invitedUser.status !== 201) throw new Error(`invite: ${invitedUser.status} ${invitedUser.text}`);
  userId = invitedUser.body.userId;
  const at = new Date().toISOString();
  for (const name of ['linked', 'other'] as const) {
    const account: UserAccount = {
      userId: `matrix-${name}-${cast.enterpriseCode}`,
      email: `matrix-${name}-${cast.enterpriseCode}@example.com`,
      name: `Matrix enterprise (${name})`,
      role: 'enterprise',
      creditCode: cast.enterpriseCode,
      enabled: true,
      state: 'CONFIRMED',
      createdAt: at,
      updatedAt: at,
    };
    await harness.documentClient.send(
      new PutCommand({ TableName: harness.tableName, Item: accountItem(account) }),
    );
    enterpriseAccounts[name] = account.userId;
  }
};

/** Typical cases as writing and publishing leave them (both have their own tests; here only who may call counts). */
const typicalCases = { draft: '', published: '', shown: '' };
const seedTypicalCases = async () => {
  const store = new DynamoTypicalCaseStore(harness.documentClient, harness.tableName);
  const at = new Date().toISOString();
  for (const [name, status] of [
    ['draft', 'DRAFT'],
    ['published', 'PUBLISHED'],
    ['shown', 'PUBLISHED'],
  ] as const) {
    const typicalCaseId = randomUUID();
    await store.save(
      {
        typicalCaseId,
        title: `矩阵典型案例（${name}）`,
        summary: '某协会违规收费已整改。',
        cases: [],
        status,
        createdAt: at,
        createdBy: 'local:admin',
        ...(status === 'PUBLISHED' ? { publishedAt: at, publishedBy: 'local:admin' } : {}),
      },
      undefined,
    );
    typicalCases[name] = typicalCaseId;
  }
};

interface Cell {
  operationId: OperationId;
  method: string;
  path: string;
  object: ObjectName;
  actor: ActorName;
  status: number;
}

const cells: Cell[] = apiRoutes.flatMap((route) =>
  Object.entries(expected[route.operationId] as Partial<Record<ObjectName, Row>>).flatMap(([object, row]) =>
    actorNames.map((actor, i) => ({
      operationId: route.operationId,
      method: route.method,
      path: route.path,
      object: object as ObjectName,
      actor,
      status: (row as Row)[i] as number,
    })),
  ),
);

/** The object a cell names: the shared objects for what changes nothing, a fresh task for a change. */
const objectId = (cell: Cell): string => {
  switch (cell.object) {
    case 'none':
      return '';
    case 'unknown':
      if (cell.path.startsWith('/api/notifications')) return unknownNotificationId;
      return cell.path.startsWith('/api/tasks') ? unknownTaskId : unknownId;
    case 'notification':
      return notificationId;
    case 'user':
      return userId;
    case 'enterpriseAccount':
      return enterpriseAccounts.linked;
    case 'association':
      return cast.associationCode;
    case 'typicalCase':
      return cell.operationId === 'publishTypicalCase'
        ? typicalCases.draft
        : cell.operationId === 'withdrawTypicalCase'
          ? typicalCases.published
          : typicalCases.shown;
    case 'complaint':
      return cell.operationId === 'addComplaintAttachments'
        ? attachTarget.complaintId
        : shared.REVIEW.complaintId;
    case 'upload':
    case 'complaintFile':
    case 'reportFile':
    case 'decisionFile':
    case 'declarationFile':
      return evidenceFiles[cell.object];
    case 'case': {
      if (cell.operationId !== 'transferCase' || cell.status >= 300) return shared.REVIEW.caseId;
      const target = transferable[cell.actor];
      if (!target) throw new Error(`no case for ${cell.actor} to transfer`);
      return target.caseId;
    }
    default: {
      // A campaign admin's release finds a shared task unclaimed and changes nothing (checked at the end).
      const changes = cell.status < 300 && !(cell.operationId === 'releaseTask' && cell.actor === 'admin');
      // An assignment's task is the national regulator's fresh one, which the admin assigns again.
      const assigner = cell.operationId === 'assignTask' ? 'nationalRegulator' : cell.actor;
      const target = !changes
        ? shared[cell.object]
        : cell.operationId === 'requestExtension'
          ? extensionTarget
          : fresh[cell.object]?.[assigner];
      if (!target)
        throw new Error(`no ${changes ? 'fresh' : 'shared'} ${cell.object} task for ${cell.actor}`);
      return target.taskId;
    }
  }
};

/** Public lookups name their object in the query: a complaint's reference and its enterprise's credit code. */
const queryOf = (cell: Cell): string => {
  if (cell.operationId === 'listSelfInspections')
    return roleOf[cell.actor] === 'association' ? '' : `?creditCode=${cast.associationCode}`;
  if (cell.operationId === 'suggestAssociations') return `?${new URLSearchParams({ q: '协会' })}`;
  if (cell.operationId !== 'getPublicProgress') return '';
  const reference = cell.object === 'unknown' ? '2026-11-999999' : shared.REVIEW.reference;
  return `?${new URLSearchParams({ reference, creditCode: cast.enterpriseCode })}`;
};

/** A register of one association, as a civil-affairs office publishes it. */
const registerFile = `社会组织名称,统一社会信用代码,登记级别,登记管理机关\r\n矩阵测试行业协会,${associationCode('11', 7_000_001)},省级,北京市民政局\r\n`;

const bodyOf = (cell: Cell): unknown => {
  if (cell.operationId === 'fileComplaint') {
    // Each accepted complaint opens a case of its own: a fresh association.
    filed += 1;
    return complaintBody({ associationCode: associationCode('11', 8_000_000 + filed) });
  }
  if (cell.operationId === 'completeTask') return validCompletion[cell.object as TaskKind];
  if (cell.operationId === 'putNotificationSettings')
    return { language: 'en', emailOptOut: true, smsOptOut: false };
  if (cell.operationId === 'putCalendarYear') return storedNotice;
  if (cell.operationId === 'giveFeedback') return { refundReceived: false, satisfaction: 1 };
  if (cell.operationId === 'assignTask') return assignment;
  if (cell.operationId === 'transferCase') return transfer;
  if (cell.operationId === 'requestExtension') return { days: 5, reason: 'Refunds take a month (matrix)' };
  if (cell.operationId === 'createUpload') return uploadRequests[roleOf[cell.actor]];
  if (cell.operationId === 'addComplaintAttachments') return { attachments: [attachableUploadId] };
  if (cell.operationId === 'inviteUser') return regulatorInvitation();
  if (cell.operationId === 'linkEnterprise') return { enterpriseOf: enterpriseAccounts.other };
  if (cell.operationId === 'declareFees') return declarationBody({ year: 2026 });
  if (cell.operationId === 'createTypicalCase')
    return { caseIds: [objectId(cell)], title: '矩阵典型案例', summary: '某协会违规收费已整改。' };
  return undefined;
};

describe('the expected-status table', () => {
  it('covers every route of the route description', () => {
    // Arrange
    const operations = apiRoutes.map((route) => route.operationId).sort();

    // Act
    const tabled = Object.keys(expected).sort();

    // Assert
    expect(tabled).toEqual(operations);
  });

  it('agrees with the roles each route admits: 401 without a token, 403 for a role not admitted', () => {
    // Arrange
    const disagreements: string[] = [];

    // Act
    for (const route of apiRoutes) {
      for (const [object, row] of Object.entries(expected[route.operationId])) {
        actorNames.forEach((actor, i) => {
          const status = (row as Row)[i];
          const admitted =
            route.access === 'public' || (route.access as readonly string[]).includes(roleOf[actor]);
          const fine =
            route.access === 'public'
              ? status === (object === 'unknown' ? 404 : 200)
              : actor === 'anonymous'
                ? status === 401
                : admitted
                  ? status !== 401 // an admitted role may still be refused one kind of task (403)
                  : status === 403;
          if (!fine) disagreements.push(`${route.operationId} ${object} ${actor}: ${status}`);
        });
      }
    }

    // Assert
    expect(disagreements).toEqual([]);
  });
});

describe.each(apiRoutes.map((route) => ({ route, label: `${route.method} ${route.path}` })))(
  '$label',
  ({ route }) => {
    const routeCells = cells.filter((cell) => cell.operationId === route.operationId);

    it.each(routeCells.map((cell) => ({ ...cell, name: `${cell.actor} on ${cell.object}` })))(
      '$name → $status',
      async (cell) => {
        // Arrange
        const token = cast.tokens[cell.actor];
        const path =
          cell.path
            .replace(/\{(id|creditCode)\}/, encodeURIComponent(objectId(cell)))
            .replace('{year}', cell.operationId === 'putCalendarYear' ? String(storedYear) : '2026') +
          queryOf(cell);
        const body = bodyOf(cell);
        // The register is imported as the file itself, not JSON.
        const file =
          cell.operationId === 'importAssociationRegister'
            ? { rawBody: registerFile, headers: { 'content-type': 'text/csv' } }
            : {};

        // Act
        const response = await harness.request(cell.method, path, { token, body, ...file });
        cellsRun += 1;

        // Assert
        expect(response.status, response.text.slice(0, 300)).toBe(cell.status);
        if (response.status >= 400) {
          expect(response.body).toEqual({
            error: { code: expect.any(String), message: expect.any(String) },
          });
        }
      },
    );
  },
);

describe('complainant identity and contact (property level)', () => {
  it.each(['enterprise', 'regulator', 'nationalRegulator', 'admin'] as const)(
    'shows %s the complainant credit code and contact',
    async (actor) => {
      // Arrange
      const path = `/api/complaints/${shared.REVIEW.complaintId}`;

      // Act
      const response = await harness.request('GET', path, { token: cast.tokens[actor] });

      // Assert
      expect(response.status).toBe(200);
      expect(response.body.complaint).toMatchObject({ enterpriseCreditCode: cast.enterpriseCode, contact });
    },
  );

  it('shows the association its case without anything that identifies a complainant who did not agree', async () => {
    // Arrange
    const path = `/api/cases/${shared.RECTIFICATION.caseId}`;

    // Act
    const response = await harness.request('GET', path, { token: cast.tokens.association });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body.complaints).toEqual([]);
    for (const secret of [cast.enterpriseCode, contact.name, contact.phone, contact.email, description])
      expect(response.text).not.toContain(secret);
    expect(response.body.tasks.map((task: { kind: string }) => task.kind)).toEqual(['RECTIFICATION']);
    expect(response.body.audit.filter((event: object) => 'data' in event)).toEqual([]);
  });

  it("shows the association no complainant's amount, charge date or filing date, nor the regulator's reason", async () => {
    // Arrange
    const path = `/api/cases/${shared.RECTIFICATION.caseId}`;

    // Act
    const response = await harness.request('GET', path, { token: cast.tokens.association });

    // Assert
    expect(response.status).toBe(200);
    expect(Object.keys(response.body.case.fee).sort()).toEqual(['category', 'name', 'period']);
    expect(response.body.case).not.toHaveProperty('openedAt');
    expect(response.body.classification.suggested).not.toHaveProperty('refundBasisFen');
    expect(response.body.classification.final).not.toHaveProperty('reason');
    expect(response.body.audit.map((event: { type: string }) => event.type)).not.toContain('CASE_OPENED');
  });

  it('names a complainant who agreed to the association, but never gives it the contact', async () => {
    // Arrange
    const path = `/api/cases/${disclosed.caseId}`;

    // Act
    const response = await harness.request('GET', path, { token: cast.tokens.association });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body.complaints).toEqual([
      expect.objectContaining({ enterpriseCreditCode: cast.enterpriseCode, description }),
    ]);
    for (const secret of [contact.name, contact.phone, contact.email])
      expect(response.text).not.toContain(secret);
  });

  it('gives regulators the credit code of every complainant of the case, never the contact', async () => {
    // Arrange
    const path = `/api/cases/${shared.REVIEW.caseId}`;

    // Act
    const response = await harness.request('GET', path, { token: cast.tokens.regulator });

    // Assert
    expect(response.body.complaints).toEqual([
      expect.objectContaining({ enterpriseCreditCode: cast.enterpriseCode, description }),
    ]);
    for (const secret of [contact.name, contact.phone, contact.email])
      expect(response.text).not.toContain(secret);
  });

  it.each(['OPEN', 'COMPLETED'])(
    'shows the association its %s orders without who works them or what was submitted',
    async (status) => {
      // Arrange
      const path = `/api/tasks?status=${status}&limit=100`;

      // Act
      const response = await harness.request('GET', path, { token: cast.tokens.association });

      // Assert
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeGreaterThan(0);
      for (const task of response.body.items) {
        expect(task.kind).toBe('RECTIFICATION');
        expect(task).not.toHaveProperty('assignee');
        expect(task).not.toHaveProperty('result');
      }
    },
  );
});

describe('lists show only what is the caller’s', () => {
  it.each([
    ['enterprise', true],
    ['otherEnterprise', false],
  ] as const)('lists the complaint to %s: %s', async (actor, listed) => {
    // Arrange
    const token = cast.tokens[actor];

    // Act
    const response = await harness.request('GET', '/api/complaints?limit=100', { token });

    // Assert
    expect(response.status).toBe(200);
    const ids = response.body.items.map((item: { complaintId: string }) => item.complaintId);
    expect(ids.includes(shared.REVIEW.complaintId)).toBe(listed);
  });

  // biome-ignore format: a table
  it.each([
    ['regulator',              'REVIEW',        true],
    ['regulatorOtherProvince', 'REVIEW',        false],
    ['regulatorOtherAgency',   'REVIEW',        false],
    ['nationalRegulator',      'REVIEW',        false],
    ['association',            'RECTIFICATION', true],
    ['otherAssociation',       'RECTIFICATION', false],
    ['enterprise',             'INFO',          true],
    ['otherEnterprise',        'INFO',          false],
  ] as const)('puts the open %s task of kind %s in the inbox: %s', async (actor, kind, listed) => {
    // Arrange
    const token = cast.tokens[actor];

    // Act
    const response = await harness.request('GET', `/api/tasks?kind=${kind}&limit=100`, { token });

    // Assert
    expect(response.status).toBe(200);
    const ids = response.body.items.map((task: { taskId: string }) => task.taskId);
    expect(ids.includes(shared[kind].taskId)).toBe(listed);
  });

  it('lets a campaign admin open any inbox', async () => {
    // Arrange
    const path = `/api/tasks?agency=${cast.agency}&province=${cast.province}&kind=REVIEW&limit=100`;

    // Act
    const response = await harness.request('GET', path, { token: cast.tokens.admin });

    // Assert
    expect(response.body.items.map((task: { taskId: string }) => task.taskId)).toContain(
      shared.REVIEW.taskId,
    );
  });

  it.each(['regulator', 'association', 'enterprise'] as const)(
    'refuses %s the choice of another inbox with 400',
    async (actor) => {
      // Arrange
      const path = '/api/tasks?agency=SAMR&province=44';

      // Act
      const response = await harness.request('GET', path, { token: cast.tokens[actor] });

      // Assert
      expect(response.status).toBe(400);
      expect(response.body.error.details.map((issue: { path: string }) => issue.path)).toEqual(['agency']);
    },
  );

  it.each([
    ['another province', '?province=44'],
    ['another agency', '?agency=SAMR'],
    ['a category breakdown', '?category=MEMBERSHIP_DUES'],
  ])('refuses a provincial regulator the metrics of %s with 403', async (_what, query) => {
    // Arrange
    const token = cast.tokens.regulator;

    // Act
    const response = await harness.request('GET', `/api/metrics${query}`, { token });

    // Assert
    expect(response.status).toBe(403);
  });
});

describe('server-owned fields in bodies', () => {
  it.each([
    'status',
    'caseId',
    'complaintId',
    'enterpriseCreditCode',
    'version',
    'filedAt',
    'joinedExistingCase',
  ])('rejects a complaint that sets %s with 400 naming it', async (field) => {
    // Arrange
    const body = { ...complaintBody({ associationCode: cast.associationCode }), [field]: 'CLOSED' };

    // Act
    const response = await harness.request('POST', '/api/complaints', {
      token: cast.tokens.enterprise,
      body,
    });

    // Assert
    expect(response.status).toBe(400);
    expect(response.body.error.details).toContainEqual({
      path: field,
      code: 'unknown_field',
      message: 'unknown field',
    });
  });

  const actorFor: Record<TaskKind, ActorName> = {
    REVIEW: 'regulator',
    RECTIFICATION: 'association',
    VERIFICATION: 'regulator',
    INFO: 'enterprise',
  };
  const serverOwned = ['assignee', 'status', 'taskId', 'caseId', 'kind', 'completedAt', 'version', 'result'];

  it.each(taskKinds.flatMap((kind) => serverOwned.map((field) => ({ kind, field }))))(
    'rejects a $kind completion that sets $field with 400 naming it',
    async ({ kind, field }) => {
      // Arrange
      const body = { ...(validCompletion[kind] as object), [field]: 'local:someone-else' };

      // Act
      const response = await harness.request('POST', `/api/tasks/${shared[kind].taskId}/complete`, {
        token: cast.tokens[actorFor[kind]],
        body,
      });

      // Assert
      expect(response.status).toBe(400);
      expect(response.body.error.details).toContainEqual({
        path: field,
        code: 'unknown_field',
        message: 'unknown field',
      });
    },
  );
});

describe('refusals', () => {
  it('left every task they were tried on open, unclaimed and unchanged, and its case too', async () => {
    // Arrange
    // The matrix's refusals and the rejected bodies above were all tried on the shared tasks.
    const refusals = cells.filter(
      (cell) => cell.status >= 400 && taskKinds.includes(cell.object as TaskKind),
    );

    // Act
    const after = await itemsOf(Object.values(shared));

    // Assert
    console.log(
      `authorization matrix: ${cells.length} cells (${apiRoutes.length} routes x ${actorNames.length} callers x objects), ${cellsRun} run, ${refusals.length} refusals on tasks left them unchanged`,
    );
    expect(refusals.length).toBeGreaterThan(50);
    expect(after).toBe(sharedItemsBefore);
    expect(JSON.parse(after).filter((item: { entity: string }) => item.entity === 'Task')).toEqual(
      taskKinds.map(() => expect.objectContaining({ status: 'OPEN' })),
    );
  });
});
