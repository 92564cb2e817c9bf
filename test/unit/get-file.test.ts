/**
 * Download links (docs/evidence.md, "Who may download"): every row and column of the table, the
 * screening and attachment a file needs first, 404 for every refusal, and the audit of officials'
 * downloads written before any link is given.
 */
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '#shared/domain/errors';
import type { EvidenceUpload } from '#shared/domain/evidence';
import type { FinalDecision } from '#shared/domain/fee-case';
import type { Principal } from '#shared/domain/principal';
import { getFile } from '#shared/evidence/get-file';
import type { StoredTask } from '#shared/ports/cases';
import { InMemoryCaseStore, InMemoryComplaintReads } from '#test/support/fakes/case-store';
import {
  anUpload,
  InMemoryDeclarationFileViews,
  InMemoryEvidenceObjects,
  InMemoryEvidenceUploads,
} from '#test/support/fakes/evidence';
import { aClassifiedCase, aComplaint, aTask, parties, principals } from '#test/support/fakes/records';

const now = new Date('2026-06-10T08:00:00.000Z');
const fileId = '3f2b8c1e-5a4d-4e6f-9b7a-1c2d3e4f5a6b';
const decidedAt = '2026-06-05T08:00:00.000Z';

type Caller = keyof typeof principals;

/** A completed REVIEW task whose decision, as the workflow received it, was `result`. */
const aReview = (result: Record<string, unknown>): StoredTask =>
  aTask('REVIEW', { status: 'COMPLETED', completedAt: decidedAt, result });

const unlawful = { verdict: 'UNLAWFUL', hasActions: true, secondReview: false };
const finalDecision: FinalDecision = {
  verdict: 'UNLAWFUL',
  ruleIds: ['R01'],
  reason: 'Forced membership',
  actions: ['ABOLISH', 'REFUND'],
  decidedAt,
};

/** The case of the records' fixtures, its complaint, the tasks given, and the upload given. */
const scene = (
  upload: EvidenceUpload,
  options: {
    tasks?: StoredTask[];
    complaints?: Parameters<typeof aComplaint>[0][];
    final?: FinalDecision;
  } = {},
) => {
  const store = new InMemoryCaseStore();
  const classified = aClassifiedCase();
  store.addCase(
    options.final && classified.classification
      ? aClassifiedCase({ classification: { ...classified.classification, final: options.final } })
      : classified,
  );
  for (const complaint of options.complaints ?? [{}]) store.addComplaint(aComplaint(complaint));
  for (const task of options.tasks ?? []) store.addTask(task);
  const uploads = new InMemoryEvidenceUploads();
  uploads.add(upload);
  const objects = new InMemoryEvidenceObjects();
  return {
    store,
    objects,
    deps: {
      uploads,
      objects,
      store,
      caseEvents: store,
      complaints: new InMemoryComplaintReads(store),
      declarationFiles: new InMemoryDeclarationFileViews(),
      now: () => now,
    },
  };
};

const outcome = async (deps: ReturnType<typeof scene>['deps'], caller: Caller) =>
  getFile(deps, principals[caller] as Principal, fileId).then(
    () => 'link',
    (error: unknown) => {
      if (error instanceof NotFoundError) return 404;
      throw error;
    },
  );

const onTask = (task: StoredTask) => ({ kind: 'TASK' as const, taskId: task.taskId, caseId: task.caseId });

const complaintFile = anUpload();
const infoTask = aTask('INFO', { status: 'COMPLETED', completedAt: decidedAt });
const infoFile = anUpload({ purpose: 'INFO', attachedTo: onTask(infoTask) });
const rectificationTask = aTask('RECTIFICATION', { status: 'COMPLETED', completedAt: decidedAt });
const associationFile = anUpload({
  purpose: 'RECTIFICATION',
  party: 'ASSOCIATION',
  owner: principals.association.subject,
  ownerCreditCode: parties.associationCode,
  attachedTo: onTask(rectificationTask),
});
const extensionTask = aTask('EXTENSION');
const extensionFile = { ...associationFile, attachedTo: onTask(extensionTask) };
/** Reported by a regulator on the association's behalf: still the association's file. */
const reportedForAssociation = anUpload({
  purpose: 'RECTIFICATION',
  party: 'OFFICIAL',
  owner: principals.regulator.subject,
  ownerCreditCode: undefined,
  attachedTo: onTask(rectificationTask),
});
const reviewTask = aReview(unlawful);
const decisionFile = anUpload({
  purpose: 'DECISION',
  party: 'OFFICIAL',
  owner: principals.regulator.subject,
  ownerCreditCode: undefined,
  attachedTo: onTask(reviewTask),
});

// biome-ignore format: the table of docs/evidence.md, column by column
const table: [Caller, 'link' | 404, 'link' | 404, 'link' | 404][] = [
  //                         complainant's  association's  official's
  ['enterprise',             'link',        404,           'link'],
  ['otherEnterprise',        404,           404,           404],
  ['association',            404,           'link',        'link'],
  ['otherAssociation',       404,           404,           404],
  ['regulator',              'link',        'link',        'link'],
  ['colleague',              'link',        'link',        'link'],
  ['nationalRegulator',      'link',        'link',        'link'],
  ['otherProvinceRegulator', 404,           404,           404],
  ['otherAgencyRegulator',   404,           404,           404],
  ['admin',                  'link',        'link',        'link'],
];

describe('getFile: who may download', () => {
  it.each(table)("the complainant's complaint file, to the %s: %s", async (caller, expected) => {
    // Arrange
    const { deps } = scene(complaintFile);

    // Act
    const answer = await outcome(deps, caller);

    // Assert
    expect(answer).toBe(expected);
  });

  it.each(table)(
    "the complainant's answer to an information request, to the %s: %s",
    async (caller, expected) => {
      // Arrange
      const { deps } = scene(infoFile, { tasks: [infoTask] });

      // Act
      const answer = await outcome(deps, caller);

      // Assert
      expect(answer).toBe(expected);
    },
  );

  it.each(table)("the association's rectification file, to the %s: %s", async (caller, _c, expected) => {
    // Arrange
    const { deps } = scene(associationFile, { tasks: [rectificationTask] });

    // Act
    const answer = await outcome(deps, caller);

    // Assert
    expect(answer).toBe(expected);
  });

  it.each(table)(
    "the association's file with its request for more time, to the %s: %s",
    async (caller, _c, expected) => {
      // Arrange
      const { deps } = scene(extensionFile, { tasks: [extensionTask] });

      // Act
      const answer = await outcome(deps, caller);

      // Assert
      expect(answer).toBe(expected);
    },
  );

  it.each(table)(
    "a rectification file an official reported on the association's behalf, to the %s: %s",
    async (caller, _c, expected) => {
      // Arrange
      const { deps } = scene(reportedForAssociation, { tasks: [rectificationTask] });

      // Act
      const answer = await outcome(deps, caller);

      // Assert
      expect(answer).toBe(expected);
    },
  );

  it.each(table)(
    "an official's decision file that ordered rectification, to the %s: %s",
    async (caller, _c, _a, expected) => {
      // Arrange
      const { deps } = scene(decisionFile, { tasks: [reviewTask], final: finalDecision });

      // Act
      const answer = await outcome(deps, caller);

      // Assert
      expect(answer).toBe(expected);
    },
  );

  it('lets the association read the complainant’s file when the complainant disclosed its identity to it', async () => {
    // Arrange
    const { deps } = scene(complaintFile, { complaints: [{ discloseIdentityToAssociation: true }] });

    // Act
    const answer = await outcome(deps, 'association');

    // Assert
    expect(answer).toBe('link');
  });

  it('lets the association read an information answer only if every complaint of that complainant on the case disclosed it', async () => {
    // Arrange
    const disclosedOnce = [
      { discloseIdentityToAssociation: true },
      { complaintId: 'complaint-2', discloseIdentityToAssociation: false },
    ];
    const disclosedAlways = disclosedOnce.map((complaint) => ({
      ...complaint,
      discloseIdentityToAssociation: true,
    }));

    // Act
    const answers = [
      await outcome(scene(infoFile, { tasks: [infoTask], complaints: disclosedOnce }).deps, 'association'),
      await outcome(scene(infoFile, { tasks: [infoTask], complaints: disclosedAlways }).deps, 'association'),
    ];

    // Assert
    expect(answers).toEqual([404, 'link']);
  });

  it("never gives another association the complainant's file, disclosed or not", async () => {
    // Arrange
    const { deps } = scene(complaintFile, { complaints: [{ discloseIdentityToAssociation: true }] });

    // Act
    const answer = await outcome(deps, 'otherAssociation');

    // Assert
    expect(answer).toBe(404);
  });

  it("lets every complainant of the case read the official's decision, another enterprise's too", async () => {
    // Arrange
    const { deps } = scene(decisionFile, {
      tasks: [reviewTask],
      final: finalDecision,
      complaints: [
        {},
        {
          complaintId: 'complaint-2',
          enterpriseCreditCode: parties.otherEnterpriseCode,
          enterpriseId: principals.otherEnterprise.enterpriseId,
        },
      ],
    });

    // Act
    const answer = await outcome(deps, 'otherEnterprise');

    // Assert
    expect(answer).toBe('link');
  });

  it.each([
    ['lawful (dismissed)', { verdict: 'DISMISSED', hasActions: false, secondReview: false }],
    ['regulated without actions', { verdict: 'REGULATED', hasActions: false, secondReview: false }],
    ['a request for information', { verdict: 'NEEDS_INFO', hasActions: false, secondReview: false }],
  ])(
    'hides a decision that orders no rectification (%s) from the association, not from the complainant',
    async (_what, result) => {
      // Arrange
      const task = aReview(result);
      const { deps } = scene({ ...decisionFile, attachedTo: onTask(task) }, { tasks: [task] });

      // Act
      const answers = [await outcome(deps, 'association'), await outcome(deps, 'enterprise')];

      // Assert
      expect(answers).toEqual([404, 'link']);
    },
  );

  it('lets the association read a regulated decision with actions', async () => {
    // Arrange
    const task = aReview({ verdict: 'REGULATED', hasActions: true, secondReview: false });
    const { deps } = scene({ ...decisionFile, attachedTo: onTask(task) }, { tasks: [task] });

    // Act
    const answer = await outcome(deps, 'association');

    // Assert
    expect(answer).toBe('link');
  });

  it('keeps a decision awaiting its second review among the officials', async () => {
    // Arrange
    const task = aReview({ ...unlawful, secondReview: true });
    const { deps } = scene(
      { ...decisionFile, attachedTo: onTask(task) },
      { tasks: [task], final: { ...finalDecision, awaitingSecondReview: true } },
    );

    // Act
    const answers = await Promise.all(
      (['enterprise', 'association', 'regulator'] as const).map((caller) => outcome(deps, caller)),
    );

    // Assert
    expect(answers).toEqual([404, 404, 'link']);
  });

  it('shows a decision the second regulator confirmed to the complainant and the association', async () => {
    // Arrange
    const task = aReview({ ...unlawful, secondReview: true });
    const { deps } = scene(
      { ...decisionFile, attachedTo: onTask(task) },
      { tasks: [task], final: finalDecision },
    );

    // Act
    const answers = [await outcome(deps, 'enterprise'), await outcome(deps, 'association')];

    // Assert
    expect(answers).toEqual(['link', 'link']);
  });

  it('keeps a decision the second regulator refused among the officials', async () => {
    // Arrange
    const task = aReview({ ...unlawful, secondReview: true });
    const { deps } = scene({ ...decisionFile, attachedTo: onTask(task) }, { tasks: [task] });

    // Act
    const answers = [await outcome(deps, 'enterprise'), await outcome(deps, 'association')];

    // Assert
    expect(answers).toEqual([404, 404]);
  });
});

describe('getFile: what may be downloaded at all', () => {
  it.each(['PENDING', 'REFUSED'] as const)(
    'answers 404 for a %s file, even to its uploader',
    async (status) => {
      // Arrange
      const { deps } = scene({ ...complaintFile, status });

      // Act
      const answers = [await outcome(deps, 'enterprise'), await outcome(deps, 'admin')];

      // Assert
      expect(answers).toEqual([404, 404]);
    },
  );

  it('lets the uploader fetch their own clean upload before anything names it, without an audit event', async () => {
    // Arrange
    const { attachedTo: _target, attachedAt: _at, ...unattached } = decisionFile;
    const { deps, store } = scene(unattached);

    // Act
    const answer = await outcome(deps, 'regulator');

    // Assert
    expect(answer).toBe('link');
    expect(store.eventsOf('case-1')).toEqual([]);
  });

  it.each(['colleague', 'admin', 'enterprise'] as const)(
    "answers 404 to the %s for someone else's upload that nothing names yet",
    async (caller) => {
      // Arrange
      const { attachedTo: _target, attachedAt: _at, ...unattached } = decisionFile;
      const { deps } = scene(unattached);

      // Act
      const answer = await outcome(deps, caller);

      // Assert
      expect(answer).toBe(404);
    },
  );

  it('answers 404 for a file that does not exist, and for an id too long to be one', async () => {
    // Arrange
    const { deps } = scene(complaintFile);

    // Act
    const answers = await Promise.all(
      ['00000000-0000-4000-8000-000000000000', 'x'.repeat(5000)].map((id) =>
        getFile(deps, principals.admin, id).catch((error: unknown) => error),
      ),
    );

    // Assert
    for (const answer of answers) expect(answer).toBeInstanceOf(NotFoundError);
  });
});

describe('getFile: the link', () => {
  it('signs a 5-minute download of the screened object under its uploaded name and type', async () => {
    // Arrange
    const { deps, objects } = scene(complaintFile);

    // Act
    const link = await getFile(deps, principals.enterprise, fileId);

    // Assert
    expect(link).toEqual({
      url: `https://bucket.test/evidence/${fileId}?signed`,
      expiresAt: '2026-06-10T08:05:00.000Z',
    });
    expect(objects.downloadsSigned).toEqual([
      {
        key: `evidence/${fileId}`,
        fileName: 'fee-notice.pdf',
        contentType: 'application/pdf',
        expiresInSeconds: 300,
      },
    ]);
  });
});

describe('getFile: the audit of officials’ downloads', () => {
  it.each([
    ['regulator', { role: 'regulator', subject: principals.regulator.subject }],
    ['admin', { role: 'campaign-admin', subject: principals.admin.subject }],
  ] as const)(
    'records the %s’s download as EVIDENCE_VIEWED, naming the file by id only',
    async (caller, actor) => {
      // Arrange
      const { deps, store } = scene(complaintFile);

      // Act
      await getFile(deps, principals[caller], fileId);

      // Assert
      const events = store.eventsOf('case-1');
      expect(events).toEqual([
        expect.objectContaining({
          type: 'EVIDENCE_VIEWED',
          actor,
          data: { fileId, purpose: 'COMPLAINT', party: 'ENTERPRISE' },
        }),
      ]);
      expect(JSON.stringify(events)).not.toContain('fee-notice');
    },
  );

  it('leaves the case as it was, apart from its audit trail', async () => {
    // Arrange
    const { deps, store } = scene(complaintFile);
    const before = await store.getCase('case-1');

    // Act
    await getFile(deps, principals.regulator, fileId);

    // Assert
    const after = await store.getCase('case-1');
    expect({ ...after, version: 0, eventSeq: 0, lastEventHash: '', updatedAt: '' }).toEqual({
      ...before,
      version: 0,
      eventSeq: 0,
      lastEventHash: '',
      updatedAt: '',
    });
    expect(after?.eventSeq).toBe(1);
  });

  it.each([
    ['complainant', 'enterprise', complaintFile],
    ['association', 'association', associationFile],
  ] as const)('records nothing when the %s downloads its own file', async (_who, caller, file) => {
    // Arrange
    const { deps, store } = scene(file, { tasks: [rectificationTask] });

    // Act
    await getFile(deps, principals[caller], fileId);

    // Assert
    expect(store.eventsOf('case-1')).toEqual([]);
  });

  it('gives no link when the audit event cannot be written', async () => {
    // Arrange
    const { deps, objects } = scene(complaintFile);
    const failing = {
      ...deps,
      caseEvents: {
        recordPending: async () => {
          throw new Error('DynamoDB is down');
        },
      },
    };

    // Act
    const downloading = getFile(failing, principals.regulator, fileId);

    // Assert
    await expect(downloading).rejects.toThrow('DynamoDB is down');
    expect(objects.downloadsSigned).toEqual([]);
  });

  it('records the download once when the case changed between reading and writing', async () => {
    // Arrange
    const { deps, store } = scene(complaintFile);
    store.interleave(async () => {
      const feeCase = await store.getCase('case-1');
      if (feeCase)
        await store.commit({
          before: feeCase,
          after: { ...feeCase, stage: 'UNDER_REVIEW' },
          at: now.toISOString(),
          event: { type: 'TASK_OPENED', actor: { role: 'system' }, data: { kind: 'REVIEW' } },
        });
    });

    // Act
    const link = await getFile(deps, principals.regulator, fileId);

    // Assert
    expect(link.url).toContain(fileId);
    expect(store.eventsOf('case-1').map((event) => event.type)).toEqual(['TASK_OPENED', 'EVIDENCE_VIEWED']);
    expect((await store.getCase('case-1'))?.stage).toBe('UNDER_REVIEW');
  });

  it('answers 404 and records nothing when the case was transferred away from the regulator meanwhile', async () => {
    // Arrange
    const { deps, store, objects } = scene(complaintFile);
    store.interleave(async () => {
      const feeCase = await store.getCase('case-1');
      if (feeCase)
        await store.commit({
          before: feeCase,
          after: { ...feeCase, agency: 'SAMR', province: '44' },
          at: now.toISOString(),
          event: { type: 'CASE_TRANSFERRED', actor: { role: 'campaign-admin' }, data: {} },
        });
    });

    // Act
    const answer = await outcome(deps, 'regulator');

    // Assert
    expect(answer).toBe(404);
    expect(store.eventsOf('case-1').map((event) => event.type)).toEqual(['CASE_TRANSFERRED']);
    expect(objects.downloadsSigned).toEqual([]);
  });
});

describe("getFile: a declaration's file", () => {
  const declarationFile = anUpload({
    purpose: 'DECLARATION',
    party: 'ASSOCIATION',
    owner: principals.association.subject,
    attachedTo: { kind: 'DECLARATION', creditCode: parties.associationCode, year: 2026, version: 1 },
  });

  it("records an official's download on the declaration's trail before the link, by file id", async () => {
    // Arrange
    const { deps, objects } = scene(declarationFile);

    // Act
    await getFile(deps, principals.regulator, fileId);

    // Assert
    expect(deps.declarationFiles.views).toEqual([
      {
        creditCode: parties.associationCode,
        year: 2026,
        fileId,
        actor: { role: 'regulator', subject: principals.regulator.subject },
        at: now.toISOString(),
      },
    ]);
    expect(objects.downloadsSigned).toHaveLength(1);
  });

  it('gives the association its own file without recording anything', async () => {
    // Arrange
    const { deps, objects } = scene(declarationFile);

    // Act
    await getFile(deps, principals.association, fileId);

    // Assert
    expect(deps.declarationFiles.views).toEqual([]);
    expect(objects.downloadsSigned).toHaveLength(1);
  });

  it('gives no link when the download cannot be recorded', async () => {
    // Arrange
    const { deps, objects } = scene(declarationFile);
    const failing = {
      ...deps,
      declarationFiles: {
        recordView: async () => {
          throw new Error('DynamoDB is down');
        },
      },
    };

    // Act
    const downloading = getFile(failing, principals.admin, fileId);

    // Assert
    await expect(downloading).rejects.toThrow('DynamoDB is down');
    expect(objects.downloadsSigned).toEqual([]);
  });
});
