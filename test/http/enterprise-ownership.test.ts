/**
 * A complaint belongs to the enterprise account that filed it, not to whoever claims the same credit
 * code (docs/data-model.md, "Ownership"): on the local runtime, with development tokens of several
 * accounts of one credit code. Unlinked, they never see each other's complaints, tasks or notices;
 * linked (the same `custom:enterpriseId`, as an admin's link sets it), they share them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationCode, claimsOf, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { completeTask, openTaskOf } from '#test/support/campaign-actors';
import { eventually } from '#test/support/eventually';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

const PROVINCE = '11';

let api: TestRuntime;
let regulator: string;

beforeAll(async () => {
  api = await startTestRuntime();
  regulator = await api.token(claimsOf.regulator('MCA', PROVINCE));
});

afterAll(async () => {
  await api?.stop();
});

// Every test works on an enterprise and an association of its own, so cases never collide.
let last = 0;
const newEnterprise = () => {
  last += 1;
  return {
    creditCode: enterpriseCode(PROVINCE, 7_000 + last),
    association: associationCode(PROVINCE, 7_000 + last),
  };
};

/** Signs in an enterprise account; the token's subject is the account's id, which another may be linked to. */
const signIn = async (creditCode: string, request: { account?: string; enterpriseId?: string } = {}) => {
  const response = await api.request<{ token: string; claims: Record<string, string> }>(
    'POST',
    '/local/token',
    {
      body: { role: 'enterprise', creditCode, ...request },
    },
  );
  if (response.status !== 200) throw new Error(`token: ${response.text}`);
  return { token: response.body.token, accountId: response.body.claims.sub as string };
};

/** A new enterprise with two accounts of its own, not linked. */
const twoAccounts = async () => {
  const { creditCode, association } = newEnterprise();
  const [first, second] = await Promise.all([
    signIn(creditCode, { account: 'first' }),
    signIn(creditCode, { account: 'second' }),
  ]);
  return { association, first, second };
};

/** A new enterprise whose second account an admin linked to its first: the same enterpriseId. */
const linkedAccounts = async () => {
  const { creditCode, association } = newEnterprise();
  const first = await signIn(creditCode, { account: 'first' });
  const linked = await signIn(creditCode, { account: 'linked', enterpriseId: first.accountId });
  return { association, first, linked };
};

const file = async (
  token: string,
  association: string,
  idempotencyKey?: string,
  body = complaintBody({ associationCode: association }),
) => {
  const response = await api.request<{ complaintId: string; caseId: string; joinedExistingCase: boolean }>(
    'POST',
    '/api/complaints',
    {
      token,
      body,
      ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
    },
  );
  if (response.status !== 202) throw new Error(`complaint not accepted: ${response.status} ${response.text}`);
  return response.body;
};

const readComplaint = (token: string, complaintId: string) =>
  api.request('GET', `/api/complaints/${complaintId}`, { token });

const ownComplaintIds = async (token: string): Promise<string[]> => {
  const response = await api.request<{ items: { complaintId: string }[] }>('GET', '/api/complaints', {
    token,
  });
  expect(response.status, response.text).toBe(200);
  return response.body.items.map((item) => item.complaintId);
};

const noticesAbout = async (token: string, complaintId: string): Promise<unknown[]> => {
  const response = await api.request<{ items: { complaintId?: string }[] }>('GET', '/api/notifications', {
    token,
  });
  expect(response.status, response.text).toBe(200);
  return response.body.items.filter((item) => item.complaintId === complaintId);
};

const infoTasksOf = async (token: string, caseId: string): Promise<unknown[]> => {
  const response = await api.request<{ items: { caseId: string }[] }>(
    'GET',
    '/api/tasks?kind=INFO&limit=100',
    {
      token,
    },
  );
  expect(response.status, response.text).toBe(200);
  return response.body.items.filter((task) => task.caseId === caseId);
};

/** The regulator asks the complainant for information: an INFO task addressed to the filing account. */
const askForInformation = async (caseId: string) => {
  const review = await openTaskOf(api, regulator, caseId, 'REVIEW');
  const decided = await completeTask(api, regulator, review.taskId, {
    verdict: 'NEEDS_INFO',
    ruleIds: [],
    reason: 'Was membership a condition of the licence?',
  });
  expect(decided.status, decided.text).toBe(200);
};

describe('two accounts of one credit code, not linked', () => {
  it('tells the other account that the complaint does not exist', async () => {
    // Arrange
    const { association, first, second } = await twoAccounts();
    const { complaintId } = await file(first.token, association);

    // Act
    const [own, others] = await Promise.all([
      readComplaint(first.token, complaintId),
      readComplaint(second.token, complaintId),
    ]);

    // Assert
    expect(own.status).toBe(200);
    expect(others.status).toBe(404);
  });

  it("lists none of the other account's complaints", async () => {
    // Arrange
    const { association, first, second } = await twoAccounts();
    const { complaintId } = await file(first.token, association);

    // Act
    const [own, others] = await Promise.all([ownComplaintIds(first.token), ownComplaintIds(second.token)]);

    // Assert
    expect(own).toEqual([complaintId]);
    expect(others).toEqual([]);
  });

  it('keeps the complaint from the development identity of the credit code, which signs in without an account', async () => {
    // Arrange
    const { creditCode, association } = newEnterprise();
    const [first, plain] = await Promise.all([signIn(creditCode, { account: 'first' }), signIn(creditCode)]);
    const { complaintId } = await file(first.token, association);

    // Act
    const reading = await readComplaint(plain.token, complaintId);

    // Assert
    expect(reading.status).toBe(404);
    expect(await ownComplaintIds(plain.token)).toEqual([]);
  });

  it("refuses the other account's files for the complaint as for a complaint that does not exist", async () => {
    // Arrange
    const { association, first, second } = await twoAccounts();
    const { complaintId } = await file(first.token, association);

    // Act
    const adding = await api.request('POST', `/api/complaints/${complaintId}/attachments`, {
      token: second.token,
      body: { attachments: [randomUUID()] },
    });

    // Assert
    expect(adding.status).toBe(404);
  });

  it('records the same Idempotency-Key from each account as two complaints', async () => {
    // Arrange
    const { association, first, second } = await twoAccounts();

    // Act
    const one = await file(first.token, association, 'same-key-from-two-accounts');
    const other = await file(second.token, association, 'same-key-from-two-accounts');

    // Assert
    expect(other.complaintId).not.toBe(one.complaintId);
    expect(await ownComplaintIds(second.token)).toEqual([other.complaintId]);
  });

  it('joins the second filing about the same fee to the case without revealing the first', async () => {
    // Arrange
    const { association, first, second } = await twoAccounts();
    const earlier = await file(first.token, association);

    // Act
    const receipt = await file(second.token, association);

    // Assert
    expect(receipt).toMatchObject({ caseId: earlier.caseId, joinedExistingCase: true });
    expect(receipt).not.toHaveProperty('repeatOf');
    expect(JSON.stringify(receipt)).not.toContain(earlier.complaintId);
  });

  it("shows the other account neither the INFO task nor the complaint's notices", async () => {
    // Arrange
    const { association, first, second } = await twoAccounts();
    const { complaintId, caseId } = await file(first.token, association);
    await askForInformation(caseId);
    const task = await openTaskOf(api, first.token, caseId, 'INFO');
    await eventually(
      () => noticesAbout(first.token, complaintId),
      (notices) => notices.length >= 2,
    );

    // Act
    const [tasks, notices, answering] = await Promise.all([
      infoTasksOf(second.token, caseId),
      noticesAbout(second.token, complaintId),
      completeTask(api, second.token, task.taskId, { note: 'Not ours to answer.' }),
    ]);

    // Assert
    expect(tasks).toEqual([]);
    expect(notices).toEqual([]);
    expect(answering.status).toBe(404);
  });
});

describe('an account linked to the filing account (the same enterpriseId)', () => {
  it('reads and lists the complaint', async () => {
    // Arrange
    const { association, first, linked } = await linkedAccounts();
    const { complaintId } = await file(first.token, association);

    // Act
    const reading = await readComplaint(linked.token, complaintId);

    // Assert
    expect(reading.status).toBe(200);
    expect(await ownComplaintIds(linked.token)).toEqual([complaintId]);
  });

  it("answers the complaint's INFO task and hears its notices", async () => {
    // Arrange
    const { association, first, linked } = await linkedAccounts();
    const { complaintId, caseId } = await file(first.token, association);
    await askForInformation(caseId);

    // Act
    const task = await openTaskOf(api, linked.token, caseId, 'INFO');
    const answering = await completeTask(api, linked.token, task.taskId, { note: 'Yes, it was.' });
    const notices = await eventually(
      () => noticesAbout(linked.token, complaintId),
      (seen) => seen.length >= 2,
    );

    // Assert
    expect(answering.status, answering.text).toBe(200);
    expect(notices.length).toBeGreaterThanOrEqual(2);
  });

  it('files under the shared key: a repeat about the same fee adds to the complaint the first account filed', async () => {
    // Arrange
    const { association, first, linked } = await linkedAccounts();
    const earlier = await file(first.token, association);

    // Act
    const receipt = await file(
      linked.token,
      association,
      undefined,
      complaintBody({ associationCode: association, amountFen: 1 }),
    );

    // Assert
    expect(receipt).toMatchObject({ caseId: earlier.caseId, repeatOf: { complaintId: earlier.complaintId } });
  });
});
