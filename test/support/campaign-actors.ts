/**
 * The people of a campaign scenario, signed in against a test runtime: an enterprise complains, the
 * regulator of the association's province decides and verifies, the association reports.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { associationCode, claimsOf, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { openCaseTrustMs } from '#shared/file-complaint/recent-fee-standings';
import { eventually } from '#test/support/eventually';
import type { TestRuntime } from '#test/support/runtime';

export interface Scenario {
  enterprise: string;
  association: string;
  regulator: string;
  admin: string;
  enterpriseCode: string;
  associationCode: string;
}

let counter = 0;

/** Fresh identities (so cases never collide) in province 11, regulated by `agency`. */
export const newScenario = async (
  harness: TestRuntime,
  agency = 'MCA',
  province = '11',
): Promise<Scenario> => {
  counter += 1;
  const seed = (Math.floor(Math.random() * 90_000) * 100 + counter) % 10_000_000;
  const codes = {
    enterpriseCode: enterpriseCode(province, seed),
    associationCode: associationCode(province, seed),
  };
  const [enterprise, association, regulator, admin] = await Promise.all([
    harness.token(claimsOf.enterprise(codes.enterpriseCode)),
    harness.token(claimsOf.association(codes.associationCode)),
    harness.token(claimsOf.regulator(agency, province)),
    harness.token(claimsOf.admin()),
  ]);
  return { enterprise, association, regulator, admin, ...codes };
};

export const fileComplaint = async (
  harness: TestRuntime,
  scenario: Scenario,
  overrides: Partial<Parameters<typeof complaintBody>[0]> = {},
  token = scenario.enterprise,
) => {
  const response = await harness.request('POST', '/api/complaints', {
    token,
    body: complaintBody({ associationCode: scenario.associationCode, ...overrides }),
  });
  if (response.status !== 202) throw new Error(`complaint not accepted: ${response.status} ${response.text}`);
  return response.body as {
    complaintId: string;
    reference: string;
    caseId: string;
    joinedExistingCase: boolean;
  };
};

/**
 * Lets the moment pass in which intake still trusts the open case it last saw about a fee: a complaint
 * filed within it may join that case although it has just closed (docs/hot-fee.md). A case the test
 * runtime opens and closes within that moment would otherwise take a "later" complaint.
 */
export const pastOpenCaseTrust = () => sleep(openCaseTrustMs);

/** Waits until the case has an open task of `kind` visible to `token`, and returns it. */
export interface TaskSeen {
  taskId: string;
  caseId: string;
  kind: string;
  status: string;
  agency: string;
  province: string;
  dueAt: string;
  /** Working days left, for an open task. */
  dueWorkingDays?: number;
  createdAt: string;
  escalated: boolean;
  overdue: boolean;
}

export const openTaskOf = async (
  harness: TestRuntime,
  token: string,
  caseId: string,
  kind: string,
  /** How long to wait for it: longer where the workflow must first wait out a deadline. */
  patience: { timeoutMs?: number } = {},
): Promise<TaskSeen> => {
  const find = (body: { items?: TaskSeen[] }) =>
    (body.items ?? []).find((task) => task.caseId === caseId && task.kind === kind);
  const body = await eventually(
    async () =>
      (await harness.request<{ items?: TaskSeen[] }>('GET', `/api/tasks?kind=${kind}&limit=100`, { token }))
        .body,
    (seen) => find(seen) !== undefined,
    patience,
  );
  return find(body) as TaskSeen;
};

export const completeTask = (harness: TestRuntime, token: string, taskId: string, body: unknown) =>
  harness.request('POST', `/api/tasks/${encodeURIComponent(taskId)}/complete`, { token, body });

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely, by the fields they assert on
export const caseOf = async (harness: TestRuntime, token: string, caseId: string): Promise<any> =>
  (await harness.request('GET', `/api/cases/${caseId}`, { token })).body;

export const waitForStage = (harness: TestRuntime, token: string, caseId: string, stage: string) =>
  eventually(
    () => caseOf(harness, token, caseId),
    (detail) => detail.case?.stage === stage,
  );

export const decisions = {
  abolish: {
    verdict: 'UNLAWFUL',
    ruleIds: ['R01'],
    reason: 'Forced membership is prohibited',
    orderText: 'Stop making membership a condition of your services and refund the dues.',
    actions: ['ABOLISH', 'REFUND'],
  },
  refunded: (refundedFen: number) => ({
    abolished: true,
    refundedFen,
    evidence: [{ kind: 'REFUND_RECEIPT', reference: 'bank transfer 2026-12-01 #4411' }],
  }),
  accept: { accepted: true, note: 'Refund receipts checked' },
  reject: { accepted: false, note: 'Only half refunded' },
};

/**
 * Takes the case through the whole campaign: an unlawful decision abolishing the fee, the
 * association's refund of `refundedFen`, the regulator's verification; returns once it is CLOSED.
 */
export const closeWithRefund = async (
  harness: TestRuntime,
  scenario: Scenario,
  caseId: string,
  refundedFen: number,
) => {
  const review = await openTaskOf(harness, scenario.regulator, caseId, 'REVIEW');
  await completeTask(harness, scenario.regulator, review.taskId, decisions.abolish);
  const order = await openTaskOf(harness, scenario.association, caseId, 'RECTIFICATION');
  await completeTask(harness, scenario.association, order.taskId, decisions.refunded(refundedFen));
  const check = await openTaskOf(harness, scenario.regulator, caseId, 'VERIFICATION');
  await completeTask(harness, scenario.regulator, check.taskId, decisions.accept);
  return waitForStage(harness, scenario.regulator, caseId, 'CLOSED');
};
