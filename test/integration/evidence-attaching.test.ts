/**
 * Naming uploads against DynamoDB Local: a complaint, a later addition, an information answer, a
 * rectification report, a review decision and an extension request attach the caller's CLEAN uploads
 * of the fitting purpose in the same transaction as the write that names them, or write nothing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { associationCode, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { LocalKeyContactSealer } from '#shared/adapters/contact-sealer';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { DynamoComplaintReads } from '#shared/adapters/dynamodb/complaint-reads';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { DynamoIntakeStore } from '#shared/adapters/dynamodb/intake-store';
import { caseItem } from '#shared/adapters/dynamodb/items';
import { caseEvidenceKey, complaintKey, uploadKey } from '#shared/adapters/dynamodb/keys';
import { ConflictError } from '#shared/domain/errors';
import {
  type EvidenceUpload,
  MAX_CASE_EVIDENCE_BYTES_PER_PARTY,
  MAX_EVIDENCE_FILE_BYTES,
} from '#shared/domain/evidence';
import type { TaskKind } from '#shared/domain/fee-task';
import type { Principal } from '#shared/domain/principal';
import { addComplaintAttachments } from '#shared/file-complaint/add-attachments';
import { fileComplaint } from '#shared/file-complaint/file-complaint';
import type { StoredTask } from '#shared/ports/cases';
import { requestExtension } from '#shared/tasks/request-extension';
import { completeTask } from '#shared/tasks/tasks';
import { decisions } from '#test/support/campaign-actors';
import { givenCleanUpload } from '#test/support/evidence';
import { InMemoryCalendarStore } from '#test/support/fakes/calendar';
import { aClassifiedCase, aTask, principals } from '#test/support/fakes/records';
import { RecordingWorkflow } from '#test/support/fakes/workflow';
import { testAuditSeal, useTestTable } from '#test/support/table';

const { documentClient, tableName } = await useTestTable();
const uploads = new DynamoEvidenceUploads(documentClient, tableName);
const auditSeal = testAuditSeal();
const store = new DynamoCaseStore(documentClient, tableName, auditSeal);
const complaints = new DynamoComplaintReads(documentClient, tableName);
const calendar = new InMemoryCalendarStore();
const now = new Date('2026-12-02T02:00:00.000Z');

const intakeDeps = {
  store: new DynamoIntakeStore(documentClient, tableName),
  sealer: new LocalKeyContactSealer(randomBytes(32).toString('base64')),
  calendar,
  uploads,
  now: () => now,
};

// Every test files about associations and enterprises of its own (province 45), so cases never collide.
let lastAssociation = 0;
let lastEnterprise = 0;
const newAssociation = () => associationCode('45', ++lastAssociation);
const newEnterprise = (): Extract<Principal, { role: 'enterprise' }> => {
  const creditCode = enterpriseCode('45', ++lastEnterprise);
  return {
    role: 'enterprise',
    subject: `user-of-${creditCode}`,
    creditCode,
    enterpriseId: `user-of-${creditCode}`,
  };
};

const file = (
  enterprise: Extract<Principal, { role: 'enterprise' }>,
  body: Record<string, unknown>,
  idempotencyKey?: string,
) =>
  fileComplaint(intakeDeps, {
    enterpriseCreditCode: enterprise.creditCode,
    enterpriseId: enterprise.enterpriseId,
    subject: enterprise.subject,
    body,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });

const cleanComplaintFile = (
  enterprise: { subject: string },
  overrides: Partial<EvidenceUpload> = {},
  storedSize?: number,
) => givenCleanUpload(uploads, { owner: enterprise.subject, ...overrides }, storedSize);

const itemOf = async (key: Record<string, string>) =>
  (await documentClient.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

/** The 409 a refused naming answers, by its reason. */
const refusalOf = async (attempt: Promise<unknown>) => {
  const error = await attempt.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConflictError);
  return (error as ConflictError).reason;
};

describe('filing a complaint that names uploads', () => {
  it('attaches the uploads with the complaint, which records their files', async () => {
    // Arrange
    const enterprise = newEnterprise();
    const upload = await cleanComplaintFile(enterprise, { size: 4096 }, 3000);

    // Act
    const receipt = await file(enterprise, {
      ...complaintBody({ associationCode: newAssociation() }),
      attachments: [upload.uploadId],
    });

    // Assert
    const complaint = await itemOf(complaintKey(receipt.complaintId));
    expect(complaint?.attachments).toEqual([
      {
        fileId: upload.uploadId,
        fileName: upload.fileName,
        contentType: 'application/pdf',
        size: 3000,
        purpose: 'COMPLAINT',
        party: 'ENTERPRISE',
        uploadedAt: upload.uploadedAt,
      },
    ]);
    const attached = await itemOf(uploadKey(upload.uploadId));
    expect(attached).toMatchObject({
      attachedTo: { kind: 'COMPLAINT', complaintId: receipt.complaintId, caseId: receipt.caseId },
    });
    expect(attached).not.toHaveProperty('gsi4pk');
    expect(attached).not.toHaveProperty('unreferencedUntil');
    expect(await itemOf(caseEvidenceKey(receipt.caseId, 'ENTERPRISE'))).toMatchObject({ bytes: 3000 });
  });

  it('names the files in the filing event by id only', async () => {
    // Arrange
    const enterprise = newEnterprise();
    const upload = await cleanComplaintFile(enterprise, { fileName: '张三-营业执照.pdf' });

    // Act
    const receipt = await file(enterprise, {
      ...complaintBody({ associationCode: newAssociation() }),
      attachments: [upload.uploadId],
    });

    // Assert
    const [opened] = await complaints.listEvents(receipt.caseId);
    expect(opened?.data).toMatchObject({ fileIds: [upload.uploadId] });
    expect(JSON.stringify(opened)).not.toContain('营业执照');
  });

  it('answers a replay of the filing as the first time', async () => {
    // Arrange
    const enterprise = newEnterprise();
    const upload = await cleanComplaintFile(enterprise);
    const body = { ...complaintBody({ associationCode: newAssociation() }), attachments: [upload.uploadId] };
    const first = await file(enterprise, body, 'filing-with-files');

    // Act
    const replay = await file(enterprise, body, 'filing-with-files');

    // Assert
    expect(replay).toEqual(first);
  });

  it('refuses a second complaint naming an upload already attached, and writes nothing', async () => {
    // Arrange
    const enterprise = newEnterprise();
    const upload = await cleanComplaintFile(enterprise);
    const association = newAssociation();
    await file(enterprise, {
      ...complaintBody({ associationCode: association }),
      attachments: [upload.uploadId],
    });
    const other = { ...complaintBody({ associationCode: newAssociation() }), attachments: [upload.uploadId] };

    // Act
    const reason = await refusalOf(file(enterprise, other));

    // Assert
    expect(reason).toBe('evidence_attached_elsewhere');
  });

  it.each([
    ['still being screened', 'evidence_not_screened'],
    ['refused by screening', 'evidence_refused'],
    ['uploaded for an information answer', 'evidence_wrong_purpose'],
    ["another enterprise's", 'evidence_unknown'],
  ])('refuses an upload %s (%s)', async (situation, expected) => {
    // Arrange
    const enterprise = newEnterprise();
    const owner = situation.startsWith('another') ? 'someone-else' : enterprise.subject;
    const purpose = situation.includes('information') ? 'INFO' : 'COMPLAINT';
    const record: EvidenceUpload = {
      ...(await cleanComplaintFile(enterprise, { owner, purpose })),
    };
    if (situation.startsWith('still') || situation.startsWith('refused')) {
      const pending = { ...record, uploadId: randomUUID(), status: 'PENDING' as const };
      await uploads.create(pending);
      if (situation.startsWith('refused'))
        await uploads.recordScreening(pending.uploadId, {
          status: 'REFUSED',
          reason: 'PDF_ACTIVE_CONTENT',
          screenedAt: '2026-12-01T02:00:05.000Z',
        });
      record.uploadId = pending.uploadId;
    }
    const association = newAssociation();

    // Act
    const reason = await refusalOf(
      file(enterprise, {
        ...complaintBody({ associationCode: association }),
        attachments: [record.uploadId],
      }),
    );

    // Assert
    expect(reason).toBe(expected);
    expect(await itemOf(uploadKey(record.uploadId))).not.toHaveProperty('attachedTo');
  });

  it('keeps the complainants of a case within 50 MB together: the filing past it writes nothing', async () => {
    // Arrange: three 10 MB files of one enterprise, then three more of another on the same case.
    const association = newAssociation();
    const [first, second] = [newEnterprise(), newEnterprise()];
    const tenMegabytes = { size: MAX_EVIDENCE_FILE_BYTES };
    const firstFiles = await Promise.all([1, 2, 3].map(() => cleanComplaintFile(first, tenMegabytes)));
    const secondFiles = await Promise.all([1, 2, 3].map(() => cleanComplaintFile(second, tenMegabytes)));
    const opened = await file(first, {
      ...complaintBody({ associationCode: association }),
      attachments: firstFiles.map((upload) => upload.uploadId),
    });

    // Act
    const reason = await refusalOf(
      file(second, {
        ...complaintBody({ associationCode: association }),
        attachments: secondFiles.map((upload) => upload.uploadId),
      }),
    );

    // Assert
    expect(reason).toBe('evidence_case_limit');
    expect(3 * 2 * MAX_EVIDENCE_FILE_BYTES).toBeGreaterThan(MAX_CASE_EVIDENCE_BYTES_PER_PARTY);
    expect(await itemOf(caseEvidenceKey(opened.caseId, 'ENTERPRISE'))).toMatchObject({
      bytes: 3 * MAX_EVIDENCE_FILE_BYTES,
    });
    expect((await complaints.getCase(opened.caseId))?.complaintCount).toBe(1);
    for (const upload of secondFiles)
      expect(await itemOf(uploadKey(upload.uploadId))).not.toHaveProperty('attachedTo');
  });

  it("attaches a repeat filing's files to the repeat, which adds information", async () => {
    // Arrange
    const enterprise = newEnterprise();
    const association = newAssociation();
    await file(enterprise, complaintBody({ associationCode: association }));
    const upload = await cleanComplaintFile(enterprise);

    // Act
    const repeat = await file(enterprise, {
      ...complaintBody({ associationCode: association, description: 'The invoice is attached now.' }),
      attachments: [upload.uploadId],
    });

    // Assert
    expect(repeat.repeatOf).toBeDefined();
    const complaint = await itemOf(complaintKey(repeat.complaintId));
    expect(complaint?.attachments).toMatchObject([{ fileId: upload.uploadId }]);
  });
});

describe('adding files to a complaint', () => {
  const deps = { store, complaints, uploads, now: () => now };

  const filed = async (attachments: string[] = []) => {
    const enterprise = newEnterprise();
    const receipt = await file(enterprise, {
      ...complaintBody({ associationCode: newAssociation() }),
      ...(attachments.length > 0 ? { attachments } : {}),
    });
    return { enterprise, receipt };
  };

  it('appends the files, attaches the uploads and records EVIDENCE_ADDED', async () => {
    // Arrange
    const { enterprise, receipt } = await filed();
    const upload = await cleanComplaintFile(enterprise);

    // Act
    const answer = await addComplaintAttachments(deps, enterprise, receipt.complaintId, {
      attachments: [upload.uploadId],
    });

    // Assert
    expect(answer.attachments.map((file) => file.fileId)).toEqual([upload.uploadId]);
    expect((await itemOf(complaintKey(receipt.complaintId)))?.attachments).toHaveLength(1);
    const events = await complaints.listEvents(receipt.caseId);
    expect(events.at(-1)).toMatchObject({
      type: 'EVIDENCE_ADDED',
      data: { complaintId: receipt.complaintId, fileIds: [upload.uploadId] },
    });
  });

  it('answers the same body again with the same files and writes nothing twice', async () => {
    // Arrange
    const { enterprise, receipt } = await filed();
    const upload = await cleanComplaintFile(enterprise);
    const body = { attachments: [upload.uploadId] };
    const first = await addComplaintAttachments(deps, enterprise, receipt.complaintId, body);

    // Act
    const again = await addComplaintAttachments(deps, enterprise, receipt.complaintId, body);

    // Assert
    expect(again).toEqual(first);
    const events = await complaints.listEvents(receipt.caseId);
    expect(events.filter((event) => event.type === 'EVIDENCE_ADDED')).toHaveLength(1);
    expect(await itemOf(caseEvidenceKey(receipt.caseId, 'ENTERPRISE'))).toMatchObject({ bytes: 2048 });
  });

  it('refuses files on a closed case', async () => {
    // Arrange
    const { enterprise, receipt } = await filed();
    const feeCase = await store.getCase(receipt.caseId);
    if (!feeCase) throw new Error('the case was not opened');
    await store.commit({
      before: feeCase,
      after: { ...feeCase, stage: 'CLOSED', closedAt: now.toISOString() },
      at: now.toISOString(),
      event: { type: 'CASE_CLOSED', actor: { role: 'system' }, stage: 'CLOSED' },
    });
    const upload = await cleanComplaintFile(enterprise);

    // Act
    const reason = await refusalOf(
      addComplaintAttachments(deps, enterprise, receipt.complaintId, { attachments: [upload.uploadId] }),
    );

    // Assert
    expect(reason).toBe('case_closed');
  });

  it('refuses more than 10 files on one complaint, counting those given at filing', async () => {
    // Arrange
    const enterprise = newEnterprise();
    const atFiling = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => cleanComplaintFile(enterprise)));
    const receipt = await file(enterprise, {
      ...complaintBody({ associationCode: newAssociation() }),
      attachments: atFiling.map((upload) => upload.uploadId),
    });
    const more = await Promise.all([1, 2, 3].map(() => cleanComplaintFile(enterprise)));

    // Act
    const reason = await refusalOf(
      addComplaintAttachments(deps, enterprise, receipt.complaintId, {
        attachments: more.map((upload) => upload.uploadId),
      }),
    );

    // Assert
    expect(reason).toBe('evidence_too_many');
    expect((await itemOf(complaintKey(receipt.complaintId)))?.attachments).toHaveLength(8);
  });

  it('answers 404 to an enterprise that did not file the complaint', async () => {
    // Arrange
    const { receipt } = await filed();
    const stranger = newEnterprise();
    const upload = await cleanComplaintFile(stranger);

    // Act
    const attempt = addComplaintAttachments(deps, stranger, receipt.complaintId, {
      attachments: [upload.uploadId],
    });

    // Assert
    await expect(attempt).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('completing a task with files', () => {
  const callbacks = new RecordingWorkflow();
  const taskDeps = { store, callbacks, calendar, uploads, now: () => now };

  /** A classified case of its own with one open task of `kind`, due after `now`. */
  const openTask = async (kind: TaskKind): Promise<StoredTask> => {
    const caseId = randomUUID();
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: caseItem(aClassifiedCase({ caseId, stage: 'UNDER_REVIEW' })),
      }),
    );
    const task = aTask(kind, {
      taskId: `${caseId}.${kind.toLowerCase()}.1`,
      caseId,
      dueAt: '2026-12-20T15:59:59.999Z',
      taskToken: `token-${caseId}`,
    });
    await store.updateTask({ task, expected: 'new' });
    return task;
  };

  it.each([
    ['an information answer', 'INFO', principals.enterprise, 'INFO', { note: 'The invoice.' }],
    [
      'a rectification report with no typed evidence',
      'RECTIFICATION',
      principals.association,
      'RECTIFICATION',
      { abolished: true, refundedFen: 500_000 },
    ],
    ['a review decision', 'REVIEW', principals.regulator, 'DECISION', decisions.abolish],
  ] as const)('attaches the files of %s to its task', async (_, kind, principal, purpose, body) => {
    // Arrange
    const task = await openTask(kind);
    const upload = await givenCleanUpload(uploads, {
      owner: principal.subject,
      purpose,
      party:
        principal.role === 'enterprise'
          ? 'ENTERPRISE'
          : principal.role === 'association'
            ? 'ASSOCIATION'
            : 'OFFICIAL',
      fileName: 'receipt-of-zhang-san.pdf',
    });

    // Act
    await completeTask(taskDeps, principal, task.taskId, { ...body, attachments: [upload.uploadId] });

    // Assert
    const completed = await store.getTask(task.taskId);
    expect(completed?.attachments).toMatchObject([{ fileId: upload.uploadId, purpose }]);
    expect(await itemOf(uploadKey(upload.uploadId))).toMatchObject({
      attachedTo: { kind: 'TASK', taskId: task.taskId, caseId: task.caseId },
    });
    const sent = callbacks.callbacks.find((callback) => callback.taskToken === task.taskToken);
    expect(JSON.stringify(sent)).not.toContain('zhang-san');
  });

  it("refuses an answer naming a complaint's upload, and leaves the task open", async () => {
    // Arrange
    const task = await openTask('INFO');
    const upload = await givenCleanUpload(uploads, { owner: principals.enterprise.subject });

    // Act
    const reason = await refusalOf(
      completeTask(taskDeps, principals.enterprise, task.taskId, {
        note: 'The invoice.',
        attachments: [upload.uploadId],
      }),
    );

    // Assert
    expect(reason).toBe('evidence_wrong_purpose');
    expect((await store.getTask(task.taskId))?.status).toBe('OPEN');
  });

  it('attaches the files of a request for more time to its EXTENSION task', async () => {
    // Arrange
    const rectification = await openTask('RECTIFICATION');
    const upload = await givenCleanUpload(uploads, {
      owner: principals.association.subject,
      purpose: 'RECTIFICATION',
      party: 'ASSOCIATION',
    });

    // Act
    const { task } = await requestExtension(
      { store, calendar, uploads, now: () => now },
      principals.association,
      rectification.taskId,
      { days: 5, reason: 'The board meets next week.', attachments: [upload.uploadId] },
    );

    // Assert
    expect((await store.getTask(task.taskId))?.attachments).toMatchObject([{ fileId: upload.uploadId }]);
    expect(await itemOf(uploadKey(upload.uploadId))).toMatchObject({
      attachedTo: { kind: 'TASK', taskId: task.taskId },
    });
  });
});
