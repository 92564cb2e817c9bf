/**
 * Filing complaints through the real DynamoDB adapter against DynamoDB Local: deduplication into fee
 * cases, idempotency, and what concurrent filings leave behind.
 */
import { randomBytes } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { associationCode, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { LocalKeyContactSealer } from '#shared/adapters/contact-sealer';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { DynamoCaseJournal, pendingCaseEventEntity } from '#shared/adapters/dynamodb/case-journal';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { DynamoIntakeStore } from '#shared/adapters/dynamodb/intake-store';
import { eventFromItem } from '#shared/adapters/dynamodb/items';
import { applyJournalChanges, type JournalChange } from '#shared/case-journal/journal-changes';
import { verifyChain } from '#shared/domain/case-event';
import { closingFiguresOf } from '#shared/domain/closing-figures';
import type { FeeCase } from '#shared/domain/fee-case';
import { chinaDate } from '#shared/domain/working-days';
import { fileComplaint, type IntakeAnswer } from '#shared/file-complaint/file-complaint';
import { RecentFeeStandings } from '#shared/file-complaint/recent-fee-standings';
import type { FeeCaseWorkflow } from '#shared/ports/workflow';
import { testAuditSeal, useTestTable } from '#test/support/table';

const { documentClient, tableName } = await useTestTable();

type Item = Record<string, unknown>;

/** A workflow port that only remembers which cases it was asked to start. */
class RecordingWorkflow implements FeeCaseWorkflow {
  readonly started: string[] = [];
  async start(caseId: string): Promise<void> {
    this.started.push(caseId);
  }
}

/** The table client, naming each command the intake store sends through it. */
const countingClient = () => {
  const sent: string[] = [];
  const client = {
    send: (command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      return documentClient.send(command as Parameters<DynamoDBDocumentClient['send']>[0]);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, sent };
};

const setUp = ({
  client = documentClient,
  standings,
}: {
  client?: DynamoDBDocumentClient;
  standings?: RecentFeeStandings;
} = {}) => {
  const workflow = new RecordingWorkflow();
  const sealer = new LocalKeyContactSealer(randomBytes(32).toString('base64'));
  const deps = {
    store: new DynamoIntakeStore(client, tableName),
    ...(standings ? { standings } : {}),
    sealer,
    calendar: new DynamoCalendarStore(documentClient, tableName),
    uploads: new DynamoEvidenceUploads(documentClient, tableName),
  };
  const file = (
    enterpriseCreditCode: string,
    body: unknown,
    idempotencyKey?: string,
    account = subjectOf(enterpriseCreditCode),
  ) =>
    fileComplaint(deps, {
      enterpriseCreditCode,
      enterpriseId: account,
      subject: account,
      body,
      idempotencyKey,
    });
  return { workflow, sealer, file };
};

// Every test works on associations and enterprises of its own, so cases never collide across tests.
let lastAssociation = 0;
let lastEnterprise = 0;
const newAssociation = () => associationCode('32', ++lastAssociation);
const newEnterprise = () => enterpriseCode('32', ++lastEnterprise);
/** The signed-in user of an enterprise. */
const subjectOf = (enterpriseCreditCode: string) => `user-of-${enterpriseCreditCode}`;

/** Links the case's pending events, as the case journal does once the stream delivers them. */
const journal = new DynamoCaseJournal(documentClient, tableName, testAuditSeal());

/** The case item once the journal caught up. */
const caseItem = async (caseId: string): Promise<Item | undefined> => {
  await journal.linkPending(caseId);
  return (
    await documentClient.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: `CASE#${caseId}`, sk: 'CASE' },
        ConsistentRead: true,
      }),
    )
  ).Item;
};

const scanTable = async (): Promise<Item[]> => {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await documentClient.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};

const complaintsOf = async (enterpriseCreditCode: string) =>
  (await scanTable()).filter(
    (item) => item.entity === 'Complaint' && item.enterpriseCreditCode === enterpriseCreditCode,
  );

const complaintsInCase = async (caseId: string) =>
  (await scanTable()).filter((item) => item.entity === 'Complaint' && item.caseId === caseId);

/** The case's audit trail once the journal caught up. */
const eventsOf = async (caseId: string) => {
  await journal.linkPending(caseId);
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
        ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':event': 'EVENT#' },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.map(eventFromItem);
};

const distinct = <T>(values: readonly T[]) => new Set(values);

/** Concurrent filings retry with backoff until each lands; give them room on a busy machine. */
const concurrentTimeout = 90_000;

describe('fileComplaint over DynamoIntakeStore', () => {
  it('joins a second enterprise complaining about the same fee to the open case', async () => {
    // Arrange
    const { file } = setUp();
    const association = newAssociation();
    const first = await file(
      newEnterprise(),
      complaintBody({ associationCode: association, amountFen: 100_000 }),
    );

    // Act
    const second = await file(
      newEnterprise(),
      complaintBody({ associationCode: association, amountFen: 250_000 }),
    );

    // Assert
    expect(first.joinedExistingCase).toBe(false);
    expect(second).toMatchObject({ caseId: first.caseId, joinedExistingCase: true, status: 'RECEIVED' });
    expect(await caseItem(first.caseId)).toMatchObject({
      complaintCount: 2,
      enterpriseCount: 2,
      claimedFen: 350_000,
    });
  });

  it('opens a new case for a different fee of the same association', async () => {
    // Arrange
    const { file } = setUp();
    const association = newAssociation();
    const first = await file(
      newEnterprise(),
      complaintBody({ associationCode: association, feeName: 'Annual dues' }),
    );

    // Act
    const second = await file(
      newEnterprise(),
      complaintBody({ associationCode: association, feeName: 'Training fee' }),
    );

    // Assert
    expect(second.joinedExistingCase).toBe(false);
    expect(second.caseId).not.toBe(first.caseId);
    expect(await caseItem(first.caseId)).toMatchObject({ complaintCount: 1, enterpriseCount: 1 });
    expect(await caseItem(second.caseId)).toMatchObject({ complaintCount: 1, enterpriseCount: 1 });
  });

  it('records 20 concurrent identical submissions with one idempotency key once, and answers all with the same receipt', async () => {
    // Arrange
    const { file } = setUp();
    const enterprise = newEnterprise();
    const body = complaintBody({ associationCode: newAssociation() });

    // Act
    const receipts = await Promise.all(Array.from({ length: 20 }, () => file(enterprise, body, 'one-key')));

    // Assert
    expect(distinct(receipts.map((receipt) => JSON.stringify(receipt))).size).toBe(1);
    const stored = await complaintsOf(enterprise);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.complaintId).toBe(receipts[0]?.complaintId);
    expect(await caseItem(receipts[0]?.caseId as string)).toMatchObject({
      complaintCount: 1,
      enterpriseCount: 1,
    });
  });

  it('records 20 concurrent identical submissions without a key once (the key is derived from the content)', async () => {
    // Arrange
    const { file } = setUp();
    const enterprise = newEnterprise();
    const body = complaintBody({ associationCode: newAssociation() });

    // Act
    const receipts = await Promise.all(Array.from({ length: 20 }, () => file(enterprise, body)));

    // Assert
    expect(distinct(receipts.map((receipt) => receipt.complaintId)).size).toBe(1);
    expect(await complaintsOf(enterprise)).toHaveLength(1);
  });

  it('files the same body without a key again as a new filing once the first receipt has expired (24 hours)', async () => {
    // Arrange: a filing made 25 hours ago
    const { sealer } = setUp();
    const enterprise = newEnterprise();
    const body = complaintBody({ associationCode: newAssociation() });
    const fileAt = (at: Date) =>
      fileComplaint(
        {
          store: new DynamoIntakeStore(documentClient, tableName),
          sealer,
          calendar: new DynamoCalendarStore(documentClient, tableName),
          uploads: new DynamoEvidenceUploads(documentClient, tableName),
          now: () => at,
        },
        {
          enterpriseCreditCode: enterprise,
          enterpriseId: subjectOf(enterprise),
          subject: subjectOf(enterprise),
          body,
        },
      );
    const first = await fileAt(new Date(Date.now() - 25 * 60 * 60 * 1000));

    // Act
    const again = await fileAt(new Date());

    // Assert: not a replay of the old answer, but the enterprise's repeat filing on its open case
    expect(again.complaintId).not.toBe(first.complaintId);
    expect(again).toMatchObject({ caseId: first.caseId, repeatOf: { complaintId: first.complaintId } });
    expect(await complaintsOf(enterprise)).toHaveLength(2);
  });

  it(
    'counts 30 enterprises complaining concurrently about one fee in one case, with the exact sum claimed',
    async () => {
      // Arrange
      const { file } = setUp();
      const association = newAssociation();
      const filings = Array.from({ length: 30 }, (_, i) => ({
        enterprise: newEnterprise(),
        body: complaintBody({ associationCode: association, amountFen: 100_000 + i * 137 }),
      }));
      const expectedClaim = filings.reduce((sum, filing) => sum + filing.body.fee.amountFen, 0);

      // Act
      const receipts = await Promise.all(filings.map(({ enterprise, body }) => file(enterprise, body)));

      // Assert
      const caseIds = distinct(receipts.map((receipt) => receipt.caseId));
      expect(caseIds.size).toBe(1);
      const [caseId] = caseIds as Set<string>;
      expect(receipts.filter((receipt) => !receipt.joinedExistingCase)).toHaveLength(1);
      expect(await caseItem(caseId as string)).toMatchObject({
        complaintCount: 30,
        enterpriseCount: 30,
        claimedFen: expectedClaim,
      });
      expect(await complaintsInCase(caseId as string)).toHaveLength(30);
    },
    concurrentTimeout,
  );

  it(
    'keeps the case event chain intact through concurrent joins',
    async () => {
      // Arrange
      const { file } = setUp();
      const association = newAssociation();
      const bodies = Array.from({ length: 15 }, (_, i) =>
        complaintBody({ associationCode: association, amountFen: 10_000 + i }),
      );

      // Act
      const receipts = await Promise.all(bodies.map((body) => file(newEnterprise(), body)));

      // Assert
      const caseId = receipts[0]?.caseId as string;
      const feeCase = await caseItem(caseId);
      const events = await eventsOf(caseId);
      expect(
        await verifyChain(events, testAuditSeal(), { lastLink: feeCase?.lastEventHash as string }),
      ).toEqual({ intact: true, events: 15 });
      expect(events.filter((event) => event.type === 'CASE_OPENED')).toHaveLength(1);
      expect(events.filter((event) => event.type === 'COMPLAINT_JOINED')).toHaveLength(14);
    },
    concurrentTimeout,
  );

  describe('two accounts of one credit code, not linked', () => {
    it('records the same Idempotency-Key from each as a complaint of its own', async () => {
      // Arrange
      const { file } = setUp();
      const enterprise = newEnterprise();
      const body = complaintBody({ associationCode: newAssociation() });

      // Act
      const first = await file(enterprise, body, 'same-key', 'first-account');
      const second = await file(enterprise, body, 'same-key', 'second-account');

      // Assert
      expect(second.complaintId).not.toBe(first.complaintId);
    });

    it("joins the second to the case as another complainant, never naming the first account's complaint", async () => {
      // Arrange
      const { file } = setUp();
      const enterprise = newEnterprise();
      const association = newAssociation();
      const first = await file(
        enterprise,
        complaintBody({ associationCode: association }),
        undefined,
        'first-account',
      );

      // Act
      const second = await file(
        enterprise,
        complaintBody({ associationCode: association, amountFen: 1 }),
        undefined,
        'second-account',
      );

      // Assert
      expect(second).toMatchObject({ caseId: first.caseId, joinedExistingCase: true });
      expect(second.repeatOf).toBeUndefined();
      expect(await caseItem(first.caseId)).toMatchObject({ complaintCount: 2, enterpriseCount: 2 });
    });
  });

  describe('a repeat filing by the same enterprise on the open case', () => {
    /** The enterprise's first complaint about a fee, then the same fee again under a new key. */
    const fileTwice = async (second: { amountFen?: number; description?: string } = {}) => {
      const { file } = setUp();
      const enterprise = newEnterprise();
      const association = newAssociation();
      const first = await file(
        enterprise,
        {
          ...complaintBody({ associationCode: association, amountFen: 500_000 }),
          description: 'We were told to pay or lose our licence.',
        },
        'first-filing',
      );
      const repeatBody = {
        ...complaintBody({ associationCode: association, amountFen: second.amountFen ?? 500_000 }),
        description: second.description ?? 'They charged us again this year.',
      };
      const repeat = await file(enterprise, repeatBody, 'second-filing');
      return { file, enterprise, first, repeat, repeatBody };
    };

    it('answers that the enterprise already complained, naming its earlier complaint', async () => {
      // Arrange + Act
      const { first, repeat } = await fileTwice();

      // Assert
      expect(repeat).toMatchObject({
        caseId: first.caseId,
        status: 'RECEIVED',
        joinedExistingCase: true,
        repeatOf: { complaintId: first.complaintId, reference: first.reference },
      });
      expect(repeat.complaintId).not.toBe(first.complaintId);
    });

    it('leaves complaint count, enterprise count and claimed amount as the first filing set them, even when it claims more', async () => {
      // Arrange + Act
      const { first } = await fileTwice({ amountFen: 9_000_000 });

      // Assert
      expect(await caseItem(first.caseId)).toMatchObject({
        complaintCount: 1,
        enterpriseCount: 1,
        claimedFen: 500_000,
      });
    });

    it('stores the repeat linked to the earlier complaint', async () => {
      // Arrange + Act
      const { enterprise, first, repeat } = await fileTwice({ description: 'Receipts attached this time.' });

      // Assert
      const stored = await complaintsOf(enterprise);
      expect(stored).toHaveLength(2);
      expect(stored.find((item) => item.complaintId === repeat.complaintId)).toMatchObject({
        caseId: first.caseId,
        description: 'Receipts attached this time.',
        repeatOf: { complaintId: first.complaintId },
      });
      expect(stored.find((item) => item.complaintId === first.complaintId)).not.toHaveProperty('repeatOf');
    });

    it("appends it to the case's audit trail as added information, keeping the chain intact", async () => {
      // Arrange + Act
      const { first, repeat } = await fileTwice({ amountFen: 650_000 });

      // Assert
      const events = await eventsOf(first.caseId);
      const feeCase = await caseItem(first.caseId);
      expect(
        await verifyChain(events, testAuditSeal(), { lastLink: feeCase?.lastEventHash as string }),
      ).toEqual({ intact: true, events: 2 });
      expect(events.find((event) => event.seq === 2)).toMatchObject({
        type: 'INFORMATION_ADDED',
        actor: { role: 'enterprise' },
        data: { complaintId: repeat.complaintId, repeatOf: first.complaintId, amountFen: 650_000 },
      });
    });

    it('answers a retried repeat (same key, same body) with the same receipt and stores it once', async () => {
      // Arrange
      const { file, enterprise, repeat, repeatBody } = await fileTwice();

      // Act
      const retried = await file(enterprise, repeatBody, 'second-filing');

      // Assert
      expect(retried).toEqual(repeat);
      expect(await complaintsOf(enterprise)).toHaveLength(2);
    });

    it("names the enterprise's first complaint on the case, however often it repeats", async () => {
      // Arrange
      const { file, enterprise, first, repeatBody } = await fileTwice();

      // Act
      const third = await file(enterprise, { ...repeatBody, description: 'And once more.' }, 'third-filing');

      // Assert
      expect(third.repeatOf).toEqual({ complaintId: first.complaintId, reference: first.reference });
      expect(await caseItem(first.caseId)).toMatchObject({ complaintCount: 1, enterpriseCount: 1 });
    });

    it('counts a repeat by an enterprise that joined the case once, beside the enterprise that opened it', async () => {
      // Arrange
      const { file } = setUp();
      const association = newAssociation();
      const opener = await file(
        newEnterprise(),
        complaintBody({ associationCode: association, amountFen: 100_000 }),
      );
      const joiner = newEnterprise();
      const joined = await file(joiner, complaintBody({ associationCode: association, amountFen: 200_000 }));

      // Act
      const repeat = await file(
        joiner,
        complaintBody({ associationCode: association, amountFen: 300_000 }),
        'joiner-again',
      );

      // Assert
      expect(repeat.repeatOf).toEqual({ complaintId: joined.complaintId, reference: joined.reference });
      expect(await caseItem(opener.caseId)).toMatchObject({
        complaintCount: 2,
        enterpriseCount: 2,
        claimedFen: 300_000,
      });
    });

    it('names the earlier complaint on a case whose enterprise marker predates repeat filings', async () => {
      // Arrange
      const { file } = setUp();
      const enterprise = newEnterprise();
      const association = newAssociation();
      const first = await file(enterprise, complaintBody({ associationCode: association }));
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: `CASE#${first.caseId}`,
            sk: `ENTERPRISE#${subjectOf(enterprise)}`,
            entity: 'CaseEnterprise',
          },
        }),
      );

      // Act
      const repeat = await file(
        enterprise,
        complaintBody({ associationCode: association, amountFen: 1 }),
        'after-upgrade',
      );

      // Assert
      expect(repeat.repeatOf).toEqual({ complaintId: first.complaintId });
      expect(await caseItem(first.caseId)).toMatchObject({ complaintCount: 1, enterpriseCount: 1 });
    });
  });

  it('counts one enterprise filing two different complaints about one fee at the same moment once', async () => {
    // Arrange
    const { file } = setUp();
    const enterprise = newEnterprise();
    const association = newAssociation();
    const bodies = ['First account of the fee.', 'Second account of the fee.'].map((description) => ({
      ...complaintBody({ associationCode: association }),
      description,
    }));

    // Act
    const receipts = await Promise.all(bodies.map((body) => file(enterprise, body)));

    // Assert
    expect(receipts[1]?.caseId).toBe(receipts[0]?.caseId);
    expect(receipts.filter((receipt) => receipt.repeatOf)).toHaveLength(1);
    expect(await caseItem(receipts[0]?.caseId as string)).toMatchObject({
      complaintCount: 1,
      enterpriseCount: 1,
    });
  });

  it(
    'counts one enterprise filing the same fee 10 times at once under different keys as one complaint',
    async () => {
      // Arrange
      const { file } = setUp();
      const enterprise = newEnterprise();
      const association = newAssociation();
      const bodies = Array.from({ length: 10 }, (_, i) =>
        complaintBody({ associationCode: association, amountFen: 100_000 + i }),
      );

      // Act
      const receipts = await Promise.all(bodies.map((body, i) => file(enterprise, body, `burst-${i}`)));

      // Assert
      const counted = receipts.filter((receipt) => !receipt.repeatOf);
      expect(counted).toHaveLength(1);
      const [original] = counted as [IntakeAnswer];
      expect(receipts.map((receipt) => receipt.repeatOf?.complaintId ?? original.complaintId)).toEqual(
        Array(10).fill(original.complaintId),
      );
      const originalAmount = bodies[receipts.indexOf(original)]?.fee.amountFen;
      const feeCase = await caseItem(original.caseId);
      expect(feeCase).toMatchObject({ complaintCount: 1, enterpriseCount: 1, claimedFen: originalAmount });
      expect(
        await verifyChain(await eventsOf(original.caseId), testAuditSeal(), {
          lastLink: feeCase?.lastEventHash as string,
        }),
      ).toEqual({
        intact: true,
        events: 10,
      });
    },
    concurrentTimeout,
  );

  it('stores the contact only sealed: no item holds the name, phone or email in plain text', async () => {
    // Arrange
    const { file, sealer } = setUp();
    const contact = { name: 'Wang Wuxyz', phone: '13712345678', email: 'wang.wuxyz@example.org' };
    const body = complaintBody({ associationCode: newAssociation(), contact });

    // Act
    const receipt = await file(newEnterprise(), body);

    // Assert
    const everything = JSON.stringify(await scanTable());
    for (const secret of [contact.name, contact.phone, contact.email])
      expect(everything).not.toContain(secret);
    const [complaint] = (await scanTable()).filter(
      (item) => item.complaintId === receipt.complaintId && item.entity === 'Complaint',
    );
    expect(await sealer.open(complaint?.sealedContact as string, receipt.complaintId)).toEqual(contact);
  });

  it('has the case journal start the workflow once for each new case and never for a join', async () => {
    // Arrange
    const { file, workflow } = setUp();
    const association = newAssociation();
    const sameFee = Array.from({ length: 10 }, (_, i) =>
      complaintBody({ associationCode: association, amountFen: 1_000 + i }),
    );
    const otherFee = complaintBody({
      associationCode: association,
      feeName: 'Exhibition stand fee',
      category: 'EXHIBITION',
    });
    const receipts: IntakeAnswer[] = await Promise.all(
      [...sameFee, otherFee].map((body) => file(newEnterprise(), body)),
    );
    const caseIds = distinct(receipts.map((receipt) => receipt.caseId));
    const delivered: JournalChange[] = (await scanTable())
      .filter((item) => item.entity === pendingCaseEventEntity && caseIds.has(item.caseId as string))
      .map((item) => ({
        changeId: item.sk as string,
        kind: 'pending-event',
        caseId: item.caseId as string,
        opensCase: item.type === 'CASE_OPENED',
      }));

    // Act
    const failed = await applyJournalChanges({ journal, workflow }, delivered);

    // Assert
    const openedCases = receipts
      .filter((receipt) => !receipt.joinedExistingCase)
      .map((receipt) => receipt.caseId);
    expect(failed).toEqual([]);
    expect(caseIds.size).toBe(2);
    expect([...workflow.started].sort()).toEqual([...openedCases].sort());
    expect(await eventsOf(receipts[0]?.caseId as string)).toHaveLength(10);
  });

  it('links each pending event once when the stream delivers it again after it was linked', async () => {
    // Arrange
    const { file, workflow } = setUp();
    const association = newAssociation();
    const opened = await file(newEnterprise(), complaintBody({ associationCode: association }));
    await file(newEnterprise(), complaintBody({ associationCode: association, amountFen: 7_000 }));
    const delivery: JournalChange[] = [
      { changeId: '1', kind: 'pending-event', caseId: opened.caseId, opensCase: true },
      { changeId: '2', kind: 'pending-event', caseId: opened.caseId, opensCase: false },
    ];
    await applyJournalChanges({ journal, workflow }, delivery);

    // Act
    const failed = await applyJournalChanges({ journal, workflow }, delivery);

    // Assert
    expect(failed).toEqual([]);
    const feeCase = await caseItem(opened.caseId);
    expect(feeCase).toMatchObject({ complaintCount: 2, enterpriseCount: 2, eventSeq: 2 });
    expect(
      await verifyChain(await eventsOf(opened.caseId), testAuditSeal(), {
        lastLink: feeCase?.lastEventHash as string,
      }),
    ).toEqual({ intact: true, events: 2 });
  });
});

describe("fileComplaint's reads of the fee, folded into its write", () => {
  /** The table commands of one filing, reference draws left out (one per 20 numbers). */
  const filingCalls = (sent: readonly string[]) => sent.filter((name) => name !== 'UpdateCommand');

  /** Closes the case as the workflow does when its fee is abolished: its figures, its event, its pointer. */
  const closeAsAbolished = async (caseId: string) => {
    const cases = new DynamoCaseStore(documentClient, tableName, testAuditSeal());
    await journal.linkPending(caseId);
    const before = (await cases.getCase(caseId)) as FeeCase;
    const at = new Date().toISOString();
    await cases.commit({
      before,
      after: {
        ...before,
        stage: 'CLOSED',
        outcome: 'ABOLISHED',
        closedAt: at,
        ...closingFiguresOf(before, 'ABOLISHED'),
      },
      event: {
        type: 'CASE_CLOSED',
        actor: { role: 'workflow' },
        stage: 'CLOSED',
        data: { outcome: 'ABOLISHED' },
      },
      at,
      closeFeeKey: true,
    });
  };

  /** Leaves the fee's pointer as closing a case leaves it: naming the case, no longer open. */
  const closePointerOf = async (caseId: string) => {
    const [pointer] = (await scanTable()).filter(
      (item) => item.entity === 'FeeKey' && item.caseId === caseId,
    );
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: pointer?.pk, sk: pointer?.sk },
        UpdateExpression: 'SET #open = :false',
        ExpressionAttributeNames: { '#open': 'open' },
        ExpressionAttributeValues: { ':false': false },
      }),
    );
  };

  it('files the first complaint about a fee in one write, reading nothing', async () => {
    // Arrange
    const { client, sent } = countingClient();
    const { file } = setUp({ client });

    // Act
    const receipt = await file(newEnterprise(), complaintBody({ associationCode: newAssociation() }));

    // Assert
    expect(receipt.joinedExistingCase).toBe(false);
    expect(filingCalls(sent)).toEqual(['TransactWriteCommand']);
  });

  it("joins a fee's open case after its first write finds the case, reading the fee's pointer once", async () => {
    // Arrange
    const { client, sent } = countingClient();
    const { file } = setUp({ client });
    const association = newAssociation();
    const opened = await file(newEnterprise(), complaintBody({ associationCode: association }));
    sent.length = 0;

    // Act
    const joined = await file(newEnterprise(), complaintBody({ associationCode: association }));

    // Assert
    expect(joined).toMatchObject({ caseId: opened.caseId, joinedExistingCase: true });
    expect(filingCalls(sent)).toEqual(['TransactWriteCommand', 'GetCommand', 'TransactWriteCommand']);
  });

  it("joins in one write the fee's case this process opened a moment ago", async () => {
    // Arrange: a clock that stands still, so what was seen is trusted
    const { client, sent } = countingClient();
    const { file } = setUp({ client, standings: new RecentFeeStandings(() => 0) });
    const association = newAssociation();
    const opened = await file(newEnterprise(), complaintBody({ associationCode: association }));
    sent.length = 0;

    // Act
    const joined = await file(newEnterprise(), complaintBody({ associationCode: association }));

    // Assert
    expect(joined).toMatchObject({ caseId: opened.caseId, joinedExistingCase: true });
    expect(filingCalls(sent)).toEqual(['TransactWriteCommand']);
  });

  it("joins in one write while the process keeps the fee's open case it read", async () => {
    // Arrange: another process opened the case; this one read it (a clock that stands still keeps it)
    const association = newAssociation();
    const opened = await setUp().file(newEnterprise(), complaintBody({ associationCode: association }));
    const { client, sent } = countingClient();
    const { file } = setUp({ client, standings: new RecentFeeStandings(() => 0) });
    await file(newEnterprise(), complaintBody({ associationCode: association }));
    sent.length = 0;

    // Act
    const joined = await file(newEnterprise(), complaintBody({ associationCode: association }));

    // Assert
    expect(joined).toMatchObject({ caseId: opened.caseId, joinedExistingCase: true });
    expect(filingCalls(sent)).toEqual(['TransactWriteCommand']);
    expect(await caseItem(opened.caseId)).toMatchObject({ complaintCount: 3, enterpriseCount: 3 });
  });

  it("reads a fee's pointer before writing once the process no longer trusts the open case it read", async () => {
    // Arrange: a clock moved past the time an open case is trusted
    const { client, sent } = countingClient();
    let now = 0;
    const { file } = setUp({ client, standings: new RecentFeeStandings(() => now) });
    const association = newAssociation();
    const opened = await file(newEnterprise(), complaintBody({ associationCode: association }));
    await file(newEnterprise(), complaintBody({ associationCode: association }));
    now += 1_000;
    sent.length = 0;

    // Act
    const joined = await file(newEnterprise(), complaintBody({ associationCode: association }));

    // Assert
    expect(joined).toMatchObject({ caseId: opened.caseId, joinedExistingCase: true });
    expect(filingCalls(sent)).toEqual(['GetCommand', 'TransactWriteCommand']);
  });

  it('opens a new case naming the closed one when the fee had a case before', async () => {
    // Arrange: the fee's case closed
    const { file } = setUp();
    const association = newAssociation();
    const closed = await file(newEnterprise(), complaintBody({ associationCode: association }));
    await closePointerOf(closed.caseId);

    // Act
    const reopened = await file(newEnterprise(), complaintBody({ associationCode: association }));

    // Assert
    expect(reopened.caseId).not.toBe(closed.caseId);
    expect(reopened.joinedExistingCase).toBe(false);
    expect(await caseItem(reopened.caseId)).toMatchObject({ previousCaseId: closed.caseId });
  });

  it('reads first, and names the closed case, for a fee this process saw with a case that has closed since', async () => {
    // Arrange: this process opened the case; it closed; the open case is no longer trusted
    const { client, sent } = countingClient();
    let now = 0;
    const { file } = setUp({ client, standings: new RecentFeeStandings(() => now) });
    const association = newAssociation();
    const closed = await file(newEnterprise(), complaintBody({ associationCode: association }));
    await closePointerOf(closed.caseId);
    now += 1_000;
    sent.length = 0;

    // Act
    const reopened = await file(newEnterprise(), complaintBody({ associationCode: association }));

    // Assert
    expect(filingCalls(sent)).toEqual(['GetCommand', 'TransactWriteCommand']);
    expect(await caseItem(reopened.caseId)).toMatchObject({ previousCaseId: closed.caseId });
  });

  it('counts a join that trusted an open case seen a moment before it closed on the closed case', async () => {
    // Arrange: the case closes within the moment this process trusts it open
    const { file } = setUp({ standings: new RecentFeeStandings(() => 0) });
    const association = newAssociation();
    const closed = await file(newEnterprise(), complaintBody({ associationCode: association }));
    await closePointerOf(closed.caseId);

    // Act
    const joined = await file(newEnterprise(), complaintBody({ associationCode: association }));

    // Assert
    expect(joined).toMatchObject({ caseId: closed.caseId, joinedExistingCase: true });
    expect(await caseItem(closed.caseId)).toMatchObject({ complaintCount: 2, enterpriseCount: 2 });
  });

  /** A case closed, abolished, within the moment this process trusts it open; another enterprise files. */
  const joinAfterClosing = async () => {
    const { file } = setUp({ standings: new RecentFeeStandings(() => 0) });
    const association = newAssociation();
    const closed = await file(newEnterprise(), complaintBody({ associationCode: association }));
    await closeAsAbolished(closed.caseId);
    const joined = await file(newEnterprise(), complaintBody({ associationCode: association }));
    return { caseId: closed.caseId, joined };
  };

  it('counts a join linked after its case closed among the enterprises the outcome helped', async () => {
    // Arrange, Act
    const { caseId } = await joinAfterClosing();

    // Assert
    expect(await caseItem(caseId)).toMatchObject({
      stage: 'CLOSED',
      enterpriseCount: 2,
      enterprisesHelped: 2,
    });
  });

  it('writes the outcome onto a complaint linked after its case closed', async () => {
    // Arrange, Act
    const { caseId, joined } = await joinAfterClosing();

    // Assert
    const feeCase = await caseItem(caseId);
    const [complaint] = (await complaintsInCase(caseId)).filter(
      (item) => item.complaintId === joined.complaintId,
    );
    expect(complaint).toMatchObject({ outcome: 'ABOLISHED', closedAt: feeCase?.closedAt });
  });

  it('marks a join linked after its case closed in the trail, which stays intact', async () => {
    // Arrange, Act
    const { caseId } = await joinAfterClosing();

    // Assert
    const events = await eventsOf(caseId);
    const feeCase = await caseItem(caseId);
    expect(events.map((event) => [event.type, event.data?.linkedAfterClosing])).toEqual([
      ['CASE_OPENED', undefined],
      ['CASE_CLOSED', undefined],
      ['COMPLAINT_JOINED', true],
    ]);
    expect(
      await verifyChain(events, testAuditSeal(), { lastLink: feeCase?.lastEventHash as string }),
    ).toEqual({
      intact: true,
      events: 3,
    });
  });

  it(
    'links 35 joins that landed on a closed case in writes the table accepts, counting each once',
    async () => {
      // Arrange: a rush on the fee as its case closes, every filing trusting the case open
      const { file } = setUp({ standings: new RecentFeeStandings(() => 0) });
      const association = newAssociation();
      const closed = await file(newEnterprise(), complaintBody({ associationCode: association }));
      await closeAsAbolished(closed.caseId);

      // Act
      await Promise.all(
        Array.from({ length: 35 }, () =>
          file(newEnterprise(), complaintBody({ associationCode: association })),
        ),
      );

      // Assert
      expect(await journal.linkPending(closed.caseId)).toBe(35);
      expect(await caseItem(closed.caseId)).toMatchObject({ enterpriseCount: 36, enterprisesHelped: 36 });
      const joinedComplaints = (await complaintsInCase(closed.caseId)).filter(
        (item) => item.complaintId !== closed.complaintId,
      );
      expect(joinedComplaints.map((item) => item.outcome)).toEqual(Array(35).fill('ABOLISHED'));
    },
    concurrentTimeout,
  );

  it(
    'counts 30 enterprises complaining at once about one fee in one case when standings are kept',
    async () => {
      // Arrange
      const { file } = setUp({ standings: new RecentFeeStandings() });
      const association = newAssociation();
      const bodies = Array.from({ length: 30 }, (_, i) =>
        complaintBody({ associationCode: association, amountFen: 1_000 + i }),
      );

      // Act
      const receipts = await Promise.all(bodies.map((body) => file(newEnterprise(), body)));

      // Assert
      const [caseId] = distinct(receipts.map((receipt) => receipt.caseId));
      expect(distinct(receipts.map((receipt) => receipt.caseId)).size).toBe(1);
      expect(receipts.filter((receipt) => !receipt.joinedExistingCase)).toHaveLength(1);
      expect(await caseItem(caseId as string)).toMatchObject({
        complaintCount: 30,
        enterpriseCount: 30,
        claimedFen: bodies.reduce((sum, body) => sum + body.fee.amountFen, 0),
      });
    },
    concurrentTimeout,
  );
});

describe('reference numbers of fileComplaint over DynamoIntakeStore', () => {
  const year = chinaDate(new Date()).slice(0, 4);
  const referenceItem = async (reference: string) =>
    (
      await documentClient.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: `REFERENCE#${reference}`, sk: 'REFERENCE' },
          ConsistentRead: true,
        }),
      )
    ).Item;

  it(
    'gives 30 complaints filed at once, half about one fee, references of the year and province that no complaint or case shares',
    async () => {
      // Arrange
      const { file } = setUp();
      const association = newAssociation();
      const bodies = Array.from({ length: 30 }, (_, i) =>
        complaintBody({ associationCode: association, feeName: i % 2 ? 'Shared fee' : `Own fee ${i}` }),
      );

      // Act
      const receipts = await Promise.all(bodies.map((body) => file(newEnterprise(), body)));

      // Assert
      const cases = await Promise.all(
        [...distinct(receipts.map((receipt) => receipt.caseId))].map((caseId) => caseItem(caseId)),
      );
      const references = [
        ...receipts.map((receipt) => receipt.reference),
        ...cases.map((feeCase) => feeCase?.reference),
      ];
      expect(cases).toHaveLength(16);
      expect(distinct(references).size).toBe(30 + 16);
      for (const reference of references) expect(reference).toMatch(new RegExp(`^${year}-32-\\d{6}$`));
    },
    concurrentTimeout,
  );

  it('answers 20 concurrent replays of one filing with the one reference it stored', async () => {
    // Arrange
    const { file } = setUp();
    const enterprise = newEnterprise();
    const body = complaintBody({ associationCode: newAssociation() });

    // Act
    const receipts = await Promise.all(Array.from({ length: 20 }, () => file(enterprise, body, 'replayed')));

    // Assert
    const [stored] = await complaintsOf(enterprise);
    expect(distinct(receipts.map((receipt) => receipt.reference))).toEqual(new Set([stored?.reference]));
  });

  it('names the complaint and the case it opened by different references, each found through its own item', async () => {
    // Arrange
    const { file } = setUp();
    const enterprise = newEnterprise();

    // Act
    const receipt = await file(enterprise, complaintBody({ associationCode: newAssociation() }));

    // Assert
    const caseReference = (await caseItem(receipt.caseId))?.reference as string;
    expect(caseReference).not.toBe(receipt.reference);
    expect(await referenceItem(receipt.reference as string)).toMatchObject({
      complaintId: receipt.complaintId,
      caseId: receipt.caseId,
      enterpriseCreditCode: enterprise,
    });
    expect(await referenceItem(caseReference)).toMatchObject({ caseId: receipt.caseId });
  });

  it('gives a complaint joining an open case its own reference and leaves the case its first', async () => {
    // Arrange
    const { file } = setUp();
    const association = newAssociation();
    const first = await file(newEnterprise(), complaintBody({ associationCode: association }));
    const caseReference = (await caseItem(first.caseId))?.reference;

    // Act
    const joining = await file(newEnterprise(), complaintBody({ associationCode: association }));

    // Assert
    expect(joining.reference).not.toBe(first.reference);
    expect(joining.reference).not.toBe(caseReference);
    expect((await caseItem(first.caseId))?.reference).toBe(caseReference);
  });

  it('names the office expected to handle the case in the language asked for, and the decision due in 15 working days', async () => {
    // Arrange
    const deps = {
      store: new DynamoIntakeStore(documentClient, tableName),
      sealer: new LocalKeyContactSealer(randomBytes(32).toString('base64')),
      calendar: new DynamoCalendarStore(documentClient, tableName),
      uploads: new DynamoEvidenceUploads(documentClient, tableName),
      // Wednesday 2 December 2026, 10:00 China time: 15 working days end on 23 December.
      now: () => new Date('2026-12-02T02:00:00.000Z'),
    };
    const body = complaintBody({ associationCode: newAssociation() });

    // Act
    const enterprise = newEnterprise();
    const receipt = await fileComplaint(deps, {
      enterpriseCreditCode: enterprise,
      enterpriseId: subjectOf(enterprise),
      subject: subjectOf(enterprise),
      body,
      language: 'en',
    });

    // Assert
    expect(receipt.handlingOffice).toEqual({
      agency: 'MCA',
      province: '32',
      name: 'Department of Civil Affairs of Jiangsu Province',
    });
    expect(receipt.decisionDueAt).toBe('2026-12-23T15:59:59.999Z');
    expect(receipt.reference).toMatch(/^2026-32-\d{6}$/);
  });

  it('fixes the decision date at filing by the calendar an admin stored, on the complaint and in its event', async () => {
    // Arrange: Monday 4 March 2030, 10:00 China time, with two holidays in the next week.
    const calendar = new DynamoCalendarStore(documentClient, tableName);
    await calendar.saveYear({
      year: 2030,
      holidays: ['2030-03-11', '2030-03-12'],
      workdays: [],
      savedAt: '2029-12-01T00:00:00.000Z',
      savedBy: 'admin-1',
    });
    const deps = {
      store: new DynamoIntakeStore(documentClient, tableName),
      sealer: new LocalKeyContactSealer(randomBytes(32).toString('base64')),
      calendar,
      uploads: new DynamoEvidenceUploads(documentClient, tableName),
      now: () => new Date('2030-03-04T02:00:00.000Z'),
    };

    // Act
    const enterprise = newEnterprise();
    const receipt = await fileComplaint(deps, {
      enterpriseCreditCode: enterprise,
      enterpriseId: subjectOf(enterprise),
      subject: subjectOf(enterprise),
      body: complaintBody({ associationCode: newAssociation() }),
    });

    // Assert: 15 working days end on 27 March rather than 25 March.
    expect(receipt.decisionDueAt).toBe('2030-03-27T15:59:59.999Z');
    const [complaint] = await complaintsInCase(receipt.caseId);
    expect(complaint?.decisionDueAt).toBe(receipt.decisionDueAt);
    const [opened] = await eventsOf(receipt.caseId);
    expect(opened?.data).toMatchObject({
      decisionDueAt: receipt.decisionDueAt,
      handlingOffice: { agency: receipt.handlingOffice?.agency, province: '32' },
    });
  });
});
