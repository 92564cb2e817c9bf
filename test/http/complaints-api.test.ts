/**
 * The complaints API end to end: the local runtime (API gateway, token checks, handlers, DynamoDB Local,
 * the fee-case workflow engine) started in-process, spoken to over HTTP as a client would.
 */
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { associationCode, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { todayInChina } from '#shared/domain/complaint';
import type { components } from '#shared/http/api-types';
import { apiRoutes } from '#shared/http/routes';
import { startTestRuntime, successOf, type TestResponse, type TestRuntime } from '#test/support/runtime';

const PROVINCE = '11';
const OTHER_PROVINCE = '44';

type Item = Record<string, unknown>;
type ComplaintInput = components['schemas']['ComplaintInput'];

let api: TestRuntime;

beforeAll(async () => {
  api = await startTestRuntime();
});

afterAll(async () => {
  await api?.stop();
});

// Every test works on associations and enterprises of its own, so cases never collide across tests.
let lastAssociation = 0;
let lastEnterprise = 0;
const newAssociation = () => associationCode(PROVINCE, ++lastAssociation);
const newEnterprise = () => enterpriseCode(PROVINCE, ++lastEnterprise);

const enterpriseToken = (creditCode: string) => api.token({ role: 'enterprise', creditCode });

/** Files a complaint through the client typed from the document. */
const fileComplaint = (
  token: string | undefined,
  body: ReturnType<typeof complaintBody>,
  idempotencyKey?: string,
) =>
  api.apiAs(token).POST('/api/complaints', {
    // The fixture takes its overrides as plain strings; the bodies it builds are complaints.
    body: body as ComplaintInput,
    params: { header: { 'Idempotency-Key': idempotencyKey } },
  });

/** Sends anything as a complaint: bodies the document does not allow, on purpose. */
const sendComplaint = (token: string, body: unknown) =>
  api.request('POST', '/api/complaints', { token, body });

/** Files a valid complaint as a new enterprise and returns what the test needs to read it back. */
const fileAsNewEnterprise = async (body = complaintBody({ associationCode: newAssociation() })) => {
  const creditCode = newEnterprise();
  const token = await enterpriseToken(creditCode);
  const receipt = await successOf(fileComplaint(token, body));
  return { creditCode, token, receipt };
};

const scanTable = async (): Promise<Item[]> => {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await api.documentClient.send(
      new ScanCommand({ TableName: api.tableName, ConsistentRead: true, ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};

/** Items only intake writes (the workflow keeps adding tasks and events in the background). */
const intakeEntities = ['Complaint', 'FeeCase', 'IntakeReceipt', 'FeeKey', 'CaseEnterprise'];
const countIntakeItems = async () =>
  (await scanTable()).filter((item) => intakeEntities.includes(item.entity as string)).length;

const complaintsOf = async (creditCode: string) =>
  (await scanTable()).filter(
    (item) => item.entity === 'Complaint' && item.enterpriseCreditCode === creditCode,
  );

/** The case item once the stream consumers (the case journal among them) caught up. */
const caseItem = async (caseId: string): Promise<Item | undefined> => {
  await api.runtime.drainStreams();
  return (
    await api.documentClient.send(
      new GetCommand({
        TableName: api.tableName,
        Key: { pk: `CASE#${caseId}`, sk: 'CASE' },
        ConsistentRead: true,
      }),
    )
  ).Item;
};

/** The agency the rulebook routes the case to, once the workflow has classified it. */
const classifiedAgency = (caseId: string) =>
  vi.waitFor(
    async () => {
      const agency = (await caseItem(caseId))?.agency;
      expect(agency).toBeDefined();
      return agency as string;
    },
    { timeout: 15_000, interval: 50 },
  );

/** The day after tomorrow in China: in the future whatever the time of day. */
const futureDay = () => todayInChina(new Date(Date.now() + 2 * 24 * 60 * 60 * 1000));

const detailPaths = (answer: { error?: { details?: { path: string }[] } } | undefined) =>
  (answer?.error?.details ?? []).map((issue) => issue.path);

describe('POST /api/complaints', () => {
  it('accepts a valid complaint with 202 and a receipt for a new case', async () => {
    // Arrange
    const token = await enterpriseToken(newEnterprise());
    const body = complaintBody({ associationCode: newAssociation() });

    // Act
    const { response, data } = await fileComplaint(token, body);

    // Assert
    expect(response.status).toBe(202);
    expect(data).toEqual({
      complaintId: expect.any(String),
      reference: expect.stringMatching(/^\d{4}-11-\d{6}$/),
      caseId: expect.any(String),
      status: 'RECEIVED',
      joinedExistingCase: false,
      handlingOffice: { agency: 'MCA', province: '11', name: '北京市民政局' },
      decisionDueAt: expect.any(String),
    });
    expect(data?.complaintId).not.toBe(data?.caseId);
  });

  it('answers 401 with the error shape when no token is sent', async () => {
    // Arrange
    const body = complaintBody({ associationCode: newAssociation() });

    // Act
    const { response, error } = await fileComplaint(undefined, body);

    // Assert
    expect(response.status).toBe(401);
    expect(error).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  it('answers 401 to a token whose claims were changed after signing', async () => {
    // Arrange
    const genuine = await enterpriseToken(newEnterprise());
    const [header, payload, signature] = genuine.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, string>;
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...claims, 'custom:creditCode': newEnterprise() }),
    ).toString('base64url');
    const forged = `${header}.${forgedPayload}.${signature}`;

    // Act
    const { response, error } = await fileComplaint(
      forged,
      complaintBody({ associationCode: newAssociation() }),
    );

    // Assert
    expect(response.status).toBe(401);
    expect(error?.error.code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 to a garbage token', async () => {
    // Arrange
    const garbage = 'not-a-token';

    // Act
    const { response, error } = await fileComplaint(
      garbage,
      complaintBody({ associationCode: newAssociation() }),
    );

    // Assert
    expect(response.status).toBe(401);
    expect(error?.error.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['regulator', { role: 'regulator', agency: 'MCA', province: PROVINCE }],
    ['association', { role: 'association', creditCode: associationCode(PROVINCE, 900) }],
    ['campaign-admin', { role: 'campaign-admin' }],
  ])('refuses the %s role with 403', async (_role, claims) => {
    // Arrange
    const token = await api.token(claims);

    // Act
    const { response, error } = await fileComplaint(
      token,
      complaintBody({ associationCode: newAssociation() }),
    );

    // Assert
    expect(response.status).toBe(403);
    expect(error?.error.code).toBe('FORBIDDEN');
  });

  describe('validation', () => {
    it.each([
      {
        problem: 'unknown fields',
        change: (body: Item) => ({
          ...body,
          priority: 'high',
          fee: { ...(body.fee as Item), currency: 'CNY' },
        }),
        failing: ['priority', 'fee.currency'],
      },
      {
        problem: 'wrong types',
        change: (body: Item) => ({
          ...body,
          description: 42,
          fee: { ...(body.fee as Item), amountFen: '500000' },
        }),
        failing: ['description', 'fee.amountFen'],
      },
      {
        problem: 'an amount of 0.5 fen',
        change: (body: Item) => ({ ...body, fee: { ...(body.fee as Item), amountFen: 0.5 } }),
        failing: ['fee.amountFen'],
      },
      {
        problem: 'a chargedOn date in the future',
        change: (body: Item) => ({ ...body, fee: { ...(body.fee as Item), chargedOn: futureDay() } }),
        failing: ['fee.chargedOn'],
      },
    ])('rejects $problem with 400 naming the failing fields', async ({ change, failing }) => {
      // Arrange
      const token = await enterpriseToken(newEnterprise());
      const body = change(complaintBody({ associationCode: newAssociation() }));

      // Act
      const response = await sendComplaint(token, body);

      // Assert
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(detailPaths(response.body)).toEqual(expect.arrayContaining(failing));
    });

    it('writes nothing for a rejected complaint', async () => {
      // Arrange
      const token = await enterpriseToken(newEnterprise());
      const body = complaintBody({ associationCode: newAssociation(), amountFen: 0.5 });
      const before = await countIntakeItems();

      // Act
      const response = await sendComplaint(token, body);

      // Assert
      expect(response.status).toBe(400);
      expect(await countIntakeItems()).toBe(before);
    });

    it('takes the complainant from the token only: a credit code in the body is an unknown field', async () => {
      // Arrange
      const token = await enterpriseToken(newEnterprise());
      const someoneElse = newEnterprise();
      const body = {
        ...complaintBody({ associationCode: newAssociation() }),
        enterpriseCreditCode: someoneElse,
      };

      // Act
      const response = await sendComplaint(token, body);

      // Assert
      expect(response.status).toBe(400);
      expect(detailPaths(response.body)).toContain('enterpriseCreditCode');
      expect(await complaintsOf(someoneElse)).toHaveLength(0);
    });

    it('rejects a body over 32 KiB with 413', async () => {
      // Arrange
      const token = await enterpriseToken(newEnterprise());
      const body = {
        ...complaintBody({ associationCode: newAssociation() }),
        description: 'x'.repeat(33 * 1024),
      };

      // Act
      const response = await sendComplaint(token, body);

      // Assert
      expect(response.status).toBe(413);
      expect(response.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('rejects a body sent as text/plain with 415', async () => {
      // Arrange
      const token = await enterpriseToken(newEnterprise());
      const rawBody = JSON.stringify(complaintBody({ associationCode: newAssociation() }));

      // Act
      const response = await api.request('POST', '/api/complaints', {
        token,
        rawBody,
        headers: { 'content-type': 'text/plain' },
      });

      // Assert
      expect(response.status).toBe(415);
      expect(response.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('rejects malformed JSON with 400', async () => {
      // Arrange
      const token = await enterpriseToken(newEnterprise());

      // Act
      const response = await api.request('POST', '/api/complaints', {
        token,
        rawBody: '{"association": {',
        headers: { 'content-type': 'application/json' },
      });

      // Assert
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a repeated request with the same receipt and stores one complaint', async () => {
      // Arrange
      const creditCode = newEnterprise();
      const token = await enterpriseToken(creditCode);
      const body = complaintBody({ associationCode: newAssociation() });
      const key = 'retry-safe-1';

      // Act
      const first = await fileComplaint(token, body, key);
      const second = await fileComplaint(token, body, key);

      // Assert
      expect(first.response.status).toBe(202);
      expect(second.response.status).toBe(202);
      expect(second.data).toEqual(first.data);
      expect(await complaintsOf(creditCode)).toHaveLength(1);
    });

    it('rejects a malformed key with 400 and writes nothing', async () => {
      // Arrange
      const creditCode = newEnterprise();
      const token = await enterpriseToken(creditCode);
      const body = complaintBody({ associationCode: newAssociation() });

      // Act
      const { response, error } = await fileComplaint(token, body, 'has spaces / and slashes');

      // Assert
      expect(response.status).toBe(400);
      expect(error?.error.code).toBe('VALIDATION_FAILED');
      expect(error?.error.message).toContain('Idempotency-Key');
      expect(await complaintsOf(creditCode)).toHaveLength(0);
    });

    it('answers 422 when the key is reused with a different body', async () => {
      // Arrange
      const creditCode = newEnterprise();
      const token = await enterpriseToken(creditCode);
      const association = newAssociation();
      const key = 'retry-safe-2';
      await fileComplaint(token, complaintBody({ associationCode: association }), key);

      // Act
      const { response, error } = await fileComplaint(
        token,
        complaintBody({ associationCode: association, amountFen: 1 }),
        key,
      );

      // Assert
      expect(response.status).toBe(422);
      expect(error?.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await complaintsOf(creditCode)).toHaveLength(1);
    });
  });

  describe('fee cases', () => {
    it('joins a complaint about the same fee, however its name is spaced, cased or written, to the open case', async () => {
      // Arrange
      const association = newAssociation();
      const first = await fileAsNewEnterprise(
        complaintBody({
          associationCode: association,
          feeName: 'Annual membership dues',
          amountFen: 500_000,
        }),
      );
      const secondToken = await enterpriseToken(newEnterprise());
      const sameFeeOtherwiseWritten = complaintBody({
        associationCode: association,
        feeName: '  ＡＮＮＵＡＬ　Membership-DUES ',
        amountFen: 320_000,
      });

      // Act
      const { response, data } = await fileComplaint(secondToken, sameFeeOtherwiseWritten);

      // Assert
      expect(response.status).toBe(202);
      expect(data).toMatchObject({
        caseId: first.receipt.caseId,
        joinedExistingCase: true,
        status: 'RECEIVED',
      });
      expect(data?.complaintId).not.toBe(first.receipt.complaintId);
      expect(await caseItem(first.receipt.caseId)).toMatchObject({
        complaintCount: 2,
        enterpriseCount: 2,
        claimedFen: 820_000,
      });
    });

    it('opens a new case for a different fee of the same association', async () => {
      // Arrange
      const association = newAssociation();
      const first = await fileAsNewEnterprise(
        complaintBody({ associationCode: association, feeName: 'Annual dues' }),
      );
      const secondToken = await enterpriseToken(newEnterprise());

      // Act
      const { response, data } = await fileComplaint(
        secondToken,
        complaintBody({ associationCode: association, feeName: 'Council seat fee' }),
      );

      // Assert
      expect(response.status).toBe(202);
      expect(data?.joinedExistingCase).toBe(false);
      expect(data?.caseId).not.toBe(first.receipt.caseId);
      expect(await caseItem(first.receipt.caseId)).toMatchObject({ complaintCount: 1, enterpriseCount: 1 });
    });
  });
});

describe('a repeat filing by the same enterprise about the open case', () => {
  /** One enterprise complains about a fee, then files about the same fee again under a new key. */
  const fileTwice = async (repeatAmountFen = 500_000) => {
    const association = newAssociation();
    const creditCode = newEnterprise();
    const token = await enterpriseToken(creditCode);
    const first = await successOf(
      fileComplaint(token, complaintBody({ associationCode: association, amountFen: 500_000 }), 'first'),
    );
    const repeatBody = complaintBody({ associationCode: association, amountFen: repeatAmountFen });
    const repeat = await fileComplaint(token, repeatBody, 'second');
    return { token, first, repeat, repeatBody };
  };

  it('answers 202 saying the enterprise already complained, naming its earlier complaint', async () => {
    // Arrange + Act
    const { first, repeat } = await fileTwice();

    // Assert
    expect(repeat.response.status).toBe(202);
    expect(repeat.data).toEqual({
      complaintId: expect.any(String),
      reference: expect.stringMatching(/^\d{4}-11-\d{6}$/),
      caseId: first.caseId,
      status: 'RECEIVED',
      joinedExistingCase: true,
      repeatOf: { complaintId: first.complaintId, reference: first.reference },
      handlingOffice: expect.objectContaining({ agency: 'MCA' }),
      decisionDueAt: expect.any(String),
    });
  });

  it('counts once: the case keeps one complaint, one enterprise and the first amount claimed', async () => {
    // Arrange + Act
    const { first } = await fileTwice(2_500_000);

    // Assert
    expect(await caseItem(first.caseId)).toMatchObject({
      complaintCount: 1,
      enterpriseCount: 1,
      claimedFen: 500_000,
    });
  });

  it('answers a retried repeat (same key, same body) with the same receipt', async () => {
    // Arrange
    const { token, repeat, repeatBody } = await fileTwice();

    // Act
    const retried = await fileComplaint(token, repeatBody, 'second');

    // Assert
    expect(retried.response.status).toBe(202);
    expect(retried.data).toEqual(repeat.data);
  });

  it("lists the repeat in the enterprise's complaints as its own entry, added to the earlier complaint", async () => {
    // Arrange
    const { token, first, repeat } = await fileTwice();

    // Act
    const { response, data } = await api.apiAs(token).GET('/api/complaints');

    // Assert
    expect(response.status).toBe(200);
    expect(data?.items).toEqual([
      expect.objectContaining({
        complaintId: repeat.data?.complaintId,
        caseId: first.caseId,
        repeatOf: { complaintId: first.complaintId, reference: first.reference },
      }),
      expect.not.objectContaining({ repeatOf: expect.anything() }),
    ]);
    expect(data?.items[1]?.complaintId).toBe(first.complaintId);
  });

  it('shows the repeat to its enterprise as added information to the earlier complaint', async () => {
    // Arrange
    const { token, first, repeat } = await fileTwice();

    // Act
    const response = await api.request('GET', `/api/complaints/${repeat.data?.complaintId}`, { token });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body.complaint.repeatOf).toEqual({
      complaintId: first.complaintId,
      reference: first.reference,
    });
    expect(response.body.timeline.map((entry: Item) => entry.type)).toContain('INFORMATION_ADDED');
  });

  it("keeps an enterprise's repeat out of another complainant's timeline", async () => {
    // Arrange
    const { first } = await fileTwice();
    const association = (await caseItem(first.caseId))?.association as { creditCode: string };
    const other = await fileAsNewEnterprise(complaintBody({ associationCode: association.creditCode }));

    // Act
    const response = await api.request('GET', `/api/complaints/${other.receipt.complaintId}`, {
      token: other.token,
    });

    // Assert
    expect(response.body.timeline.map((entry: Item) => entry.type)).not.toContain('INFORMATION_ADDED');
  });

  it('shows the regulator the repeat on the case, in its complaints and its audit trail', async () => {
    // Arrange
    const { first, repeat } = await fileTwice(700_000);
    const agency = await classifiedAgency(first.caseId);
    const regulator = await api.token({ role: 'regulator', agency, province: PROVINCE });

    // Act
    const { response, data } = await api
      .apiAs(regulator)
      .GET('/api/cases/{id}', { params: { path: { id: first.caseId } } });

    // Assert
    expect(response.status).toBe(200);
    expect(data?.complaints).toEqual([
      expect.objectContaining({ complaintId: first.complaintId, amountFen: 500_000 }),
      expect.objectContaining({
        complaintId: repeat.data?.complaintId,
        amountFen: 700_000,
        repeatOf: { complaintId: first.complaintId, reference: first.reference },
      }),
    ]);
    expect(data?.audit).toContainEqual(
      expect.objectContaining({
        type: 'INFORMATION_ADDED',
        data: expect.objectContaining({ complaintId: repeat.data?.complaintId, repeatOf: first.complaintId }),
      }),
    );
  });
});

describe('GET /api/complaints/{id}', () => {
  const getComplaint = (complaintId: string, token: string) =>
    api.apiAs(token).GET('/api/complaints/{id}', { params: { path: { id: complaintId } } });

  it('shows the owner the complaint with its contact, the case summary and a timeline that starts RECEIVED', async () => {
    // Arrange
    const contact = { name: 'Li Si', phone: '13900000001', email: 'li.si@example.com' };
    const { token, receipt } = await fileAsNewEnterprise(
      complaintBody({ associationCode: newAssociation(), contact }),
    );

    // Act
    const { response, data } = await getComplaint(receipt.complaintId, token);

    // Assert
    expect(response.status).toBe(200);
    expect(data?.complaint).toMatchObject({
      complaintId: receipt.complaintId,
      caseId: receipt.caseId,
      contact,
    });
    expect(data?.complaint).not.toHaveProperty('sealedContact');
    expect(data?.case).toMatchObject({ caseId: receipt.caseId, refundedFen: 0, reducedAnnualFen: 0 });
    expect(data?.timeline[0]).toMatchObject({ stage: 'RECEIVED', at: expect.any(String) });
  });

  it('answers 404 to another enterprise', async () => {
    // Arrange
    const { receipt } = await fileAsNewEnterprise();
    const stranger = await enterpriseToken(newEnterprise());

    // Act
    const { response, error } = await getComplaint(receipt.complaintId, stranger);

    // Assert
    expect(response.status).toBe(404);
    expect(error?.error.code).toBe('NOT_FOUND');
  });

  it('answers 404 for a complaint that does not exist', async () => {
    // Arrange
    const token = await enterpriseToken(newEnterprise());

    // Act
    const { response } = await getComplaint('00000000-0000-4000-8000-000000000000', token);

    // Assert
    expect(response.status).toBe(404);
  });

  it("shows the complaint to a regulator of the association's province", async () => {
    // Arrange
    const { receipt } = await fileAsNewEnterprise();
    const agency = await classifiedAgency(receipt.caseId);
    const regulator = await api.token({ role: 'regulator', agency, province: PROVINCE });

    // Act
    const { response, data } = await getComplaint(receipt.complaintId, regulator);

    // Assert
    expect(response.status).toBe(200);
    expect(data?.complaint.complaintId).toBe(receipt.complaintId);
  });

  it('answers 404 to a regulator of another province', async () => {
    // Arrange
    const { receipt } = await fileAsNewEnterprise();
    const agency = await classifiedAgency(receipt.caseId);
    const regulator = await api.token({ role: 'regulator', agency, province: OTHER_PROVINCE });

    // Act
    const { response } = await getComplaint(receipt.complaintId, regulator);

    // Assert
    expect(response.status).toBe(404);
  });

  it('shows the complaint to a campaign admin', async () => {
    // Arrange
    const { receipt } = await fileAsNewEnterprise();
    const admin = await api.token({ role: 'campaign-admin' });

    // Act
    const { response, data } = await getComplaint(receipt.complaintId, admin);

    // Assert
    expect(response.status).toBe(200);
    expect(data?.complaint.complaintId).toBe(receipt.complaintId);
  });

  it('refuses the association role with 403, even for a complaint about itself', async () => {
    // Arrange
    const association = newAssociation();
    const { receipt } = await fileAsNewEnterprise(complaintBody({ associationCode: association }));
    const associationToken = await api.token({ role: 'association', creditCode: association });

    // Act
    const { response, error } = await getComplaint(receipt.complaintId, associationToken);

    // Assert
    expect(response.status).toBe(403);
    expect(error?.error.code).toBe('FORBIDDEN');
  });
});

describe('GET /api/complaints', () => {
  const listComplaints = (token: string, query: { limit?: number; cursor?: string } = {}) =>
    api.apiAs(token).GET('/api/complaints', { params: { query } });

  it('pages through the caller’s own complaints newest first, with a null cursor on the last page', async () => {
    // Arrange
    const creditCode = newEnterprise();
    const token = await enterpriseToken(creditCode);
    const filed: string[] = [];
    for (const feeName of ['First fee', 'Second fee', 'Third fee']) {
      const receipt = await successOf(
        fileComplaint(token, complaintBody({ associationCode: newAssociation(), feeName })),
      );
      filed.push(receipt.complaintId);
    }

    // Act
    const firstPage = await listComplaints(token, { limit: 2 });
    const secondPage = await listComplaints(token, { limit: 2, cursor: firstPage.data?.cursor ?? '' });

    // Assert
    expect(firstPage.response.status).toBe(200);
    expect(firstPage.data?.items.map((item) => item.complaintId)).toEqual([filed[2], filed[1]]);
    expect(firstPage.data?.cursor).toEqual(expect.any(String));
    expect(secondPage.response.status).toBe(200);
    expect(secondPage.data?.items.map((item) => item.complaintId)).toEqual([filed[0]]);
    expect(secondPage.data?.cursor).toBeNull();
  });

  it('lists nothing for an enterprise that has not complained, even when others have', async () => {
    // Arrange
    await fileAsNewEnterprise();
    const token = await enterpriseToken(newEnterprise());

    // Act
    const { response, data } = await listComplaints(token);

    // Assert
    expect(response.status).toBe(200);
    expect(data).toEqual({ items: [], cursor: null });
  });

  it("rejects with 400 a cursor crafted for another enterprise's partition", async () => {
    // Arrange
    const { creditCode: victim, receipt } = await fileAsNewEnterprise();
    const token = await enterpriseToken(newEnterprise());
    const crafted = Buffer.from(
      JSON.stringify({
        pk: `COMPLAINT#${receipt.complaintId}`,
        sk: 'COMPLAINT',
        gsi1pk: `ENTERPRISE#${victim}`,
        gsi1sk: `9999-12-31T00:00:00.000Z#${receipt.complaintId}`,
      }),
    ).toString('base64url');

    // Act
    const { response, error } = await listComplaints(token, { cursor: crafted });

    // Assert
    expect(response.status).toBe(400);
    expect(detailPaths(error)).toContain('cursor');
  });

  it.each(['0', '101', 'many'])('rejects limit=%s with 400 naming limit', async (limit) => {
    // Arrange
    const token = await enterpriseToken(newEnterprise());

    // Act: what the document does not allow, so through the untyped client
    const response = await api.request('GET', `/api/complaints?limit=${limit}`, { token });

    // Assert
    expect(response.status).toBe(400);
    expect(detailPaths(response.body)).toEqual(['limit']);
  });

  it('refuses roles other than enterprise with 403', async () => {
    // Arrange
    const admin = await api.token({ role: 'campaign-admin' });

    // Act
    const { response } = await listComplaints(admin);

    // Assert
    expect(response.status).toBe(403);
  });
});

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document with every route of the route table', async () => {
    // Act
    const response = await api.request('GET', '/api/openapi.json');

    // Assert
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\.1\./);
    for (const route of apiRoutes) {
      expect(
        response.body.paths[route.path]?.[route.method.toLowerCase()]?.operationId,
        route.operationId,
      ).toBe(route.operationId);
    }
  });

  it('publishes the receipt of a repeat filing, naming the earlier complaint', async () => {
    // Act
    const response = await api.request('GET', '/api/openapi.json');

    // Assert
    const receipt = response.body.components.schemas.IntakeReceipt;
    expect(receipt.properties.repeatOf).toEqual({ $ref: '#/components/schemas/EarlierComplaint' });
    expect(receipt.required).not.toContain('repeatOf');
    expect(response.body.components.schemas.EarlierComplaint.properties).toHaveProperty('complaintId');
  });

  it('publishes the ComplaintInput schema and uses it for the body of POST /api/complaints', async () => {
    // Act
    const response = await api.request('GET', '/api/openapi.json');

    // Assert
    const schema = response.body.components.schemas.ComplaintInput;
    expect(schema.properties).toEqual(
      expect.objectContaining({
        association: expect.anything(),
        fee: expect.anything(),
        description: expect.anything(),
        contact: expect.anything(),
      }),
    );
    expect(schema.additionalProperties).toBe(false);
    expect(
      response.body.paths['/api/complaints'].post.requestBody.content['application/json'].schema,
    ).toEqual({
      $ref: '#/components/schemas/ComplaintInput',
    });
  });
});

describe('GET /api/health', () => {
  it('answers 200 without a token', async () => {
    // Act
    const { response, data } = await api.apiAs().GET('/api/health');

    // Assert
    expect(response.status).toBe(200);
    expect(data?.status).toBe('ok');
  });
});

describe('every API response', () => {
  const failures: [string, () => Promise<TestResponse>][] = [
    [
      '400 invalid body',
      async () =>
        sendComplaint(await enterpriseToken(newEnterprise()), complaintBody({ associationCode: 'nope' })),
    ],
    [
      '400 malformed JSON',
      async () =>
        api.request('POST', '/api/complaints', {
          token: await enterpriseToken(newEnterprise()),
          rawBody: '{',
          headers: { 'content-type': 'application/json' },
        }),
    ],
    ['401 no token', async () => api.request('GET', '/api/complaints')],
    [
      '403 wrong role',
      async () =>
        api.request('GET', '/api/complaints', { token: await api.token({ role: 'campaign-admin' }) }),
    ],
    [
      '404 absent',
      async () =>
        api.request('GET', '/api/complaints/absent', { token: await enterpriseToken(newEnterprise()) }),
    ],
    [
      '413 too large',
      async () =>
        api.request('POST', '/api/complaints', {
          token: await enterpriseToken(newEnterprise()),
          rawBody: 'x'.repeat(40 * 1024),
          headers: { 'content-type': 'application/json' },
        }),
    ],
    [
      '415 not JSON',
      async () =>
        api.request('POST', '/api/complaints', {
          token: await enterpriseToken(newEnterprise()),
          rawBody: 'hello',
          headers: { 'content-type': 'text/plain' },
        }),
    ],
  ];

  it.each(failures)('carries no stack trace or file path in an error body (%s)', async (_case, send) => {
    // Act
    const response = await send();

    // Assert
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.body).toEqual({
      error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
    });
    expect(response.text).not.toMatch(/\bat\s+\S+\s+\(|\n\s+at\s/);
    expect(response.text).not.toMatch(/\.(ts|js|mjs|cjs):\d+/);
    expect(response.text).not.toMatch(/\/work\/|node_modules|file:\/\//);
    expect(response.text).not.toMatch(/"stack"/);
  });

  it.each([
    [
      '202 filed',
      async () =>
        sendComplaint(
          await enterpriseToken(newEnterprise()),
          complaintBody({ associationCode: newAssociation() }),
        ),
    ],
    [
      '200 listed',
      async () => api.request('GET', '/api/complaints', { token: await enterpriseToken(newEnterprise()) }),
    ],
    ['200 health', async () => api.request('GET', '/api/health')],
    ...failures.filter(([name]) => !name.startsWith('401')),
  ] as [string, () => Promise<TestResponse>][])('carries the security headers (%s)', async (_case, send) => {
    // Act
    const response = await send();

    // Assert
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });
});
