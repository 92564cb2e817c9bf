/**
 * The files views list, by the one rule of who may read them (mayReadEvidence): a case for regulators
 * and for its association, and a task as its inbox shows it.
 */
import { describe, expect, it } from 'vitest';
import type { AttachmentRecord, EvidencePurpose } from '#shared/domain/evidence';
import type { FinalDecision } from '#shared/domain/fee-case';
import type { Principal } from '#shared/domain/principal';
import { taskView } from '#shared/domain/views';
import { readCase } from '#shared/read-cases/read-case';
import { InMemoryCalendarStore } from '#test/support/fakes/calendar';
import { InMemoryCaseStore, InMemoryComplaintReads } from '#test/support/fakes/case-store';
import { noAnchors } from '#test/support/fakes/keys';
import {
  aClassifiedCase,
  aComplaint,
  aTask,
  parties,
  principals,
  suggested,
} from '#test/support/fakes/records';

const now = new Date('2026-06-10T08:00:00.000Z');
const calendar = await new InMemoryCalendarStore().calendar();

const fileOf = (fileId: string, purpose: EvidencePurpose): AttachmentRecord => ({
  fileId,
  fileName: `${fileId}.pdf`,
  contentType: 'application/pdf',
  size: 1000,
  purpose,
  party: purpose === 'RECTIFICATION' ? 'ASSOCIATION' : purpose === 'DECISION' ? 'OFFICIAL' : 'ENTERPRISE',
  uploadedAt: '2026-06-01T08:00:00.000Z',
});

const final: FinalDecision = {
  verdict: 'UNLAWFUL',
  ruleIds: ['R01'],
  reason: 'internal reasoning',
  actions: ['ABOLISH'],
  decidedAt: '2026-06-02T08:00:00.000Z',
};

/** A case with an order, a named and an anonymous complainant, each with a file, and files on its tasks. */
const caseWithFiles = (order: boolean) => {
  const store = new InMemoryCaseStore();
  store.addCase(
    aClassifiedCase({
      verdict: 'UNLAWFUL',
      classification: { suggested, final },
      taskRounds: { REVIEW: 1, RECTIFICATION: 1 },
      ...(order
        ? {
            order: {
              actions: ['ABOLISH'],
              rectificationDays: 30,
              issuedAt: '2026-06-02T08:00:00.000Z',
              dueAt: '2026-07-02T08:00:00.000Z',
            },
          }
        : {}),
    }),
  );
  store.addComplaint(
    aComplaint({
      complaintId: 'named',
      discloseIdentityToAssociation: true,
      attachments: [fileOf('named-file', 'COMPLAINT')],
    }),
  );
  store.addComplaint(
    aComplaint({
      complaintId: 'anonymous',
      enterpriseCreditCode: parties.otherEnterpriseCode,
      filedAt: '2026-06-01T09:00:00.000Z',
      attachments: [fileOf('anonymous-file', 'COMPLAINT')],
    }),
  );
  store.addTask(
    aTask('REVIEW', {
      status: 'COMPLETED',
      completedAt: '2026-06-02T08:00:00.000Z',
      result: { verdict: 'UNLAWFUL', hasActions: true, secondReview: false },
      attachments: [fileOf('decision-file', 'DECISION')],
    }),
  );
  store.addTask(
    aTask('RECTIFICATION', {
      createdAt: '2026-06-03T08:00:00.000Z',
      attachments: [fileOf('report-file', 'RECTIFICATION')],
    }),
  );
  return {
    store,
    reads: new InMemoryComplaintReads(store),
    auditSeal: store.auditSeal,
    anchors: noAnchors,
    calendar: new InMemoryCalendarStore(),
    now: () => now,
  };
};

const fileIdsOf = (files: readonly { fileId: string }[] | undefined) =>
  (files ?? []).map((file) => file.fileId);

describe('the files of a case', () => {
  it("shows regulators every complaint's and every task's files", async () => {
    // Arrange
    const deps = caseWithFiles(true);

    // Act
    const view = await readCase(deps, principals.regulator, 'case-1');

    // Assert
    if (view.view !== 'full') throw new Error('expected the full view');
    expect(view.complaints.flatMap((complaint) => fileIdsOf(complaint.attachments))).toEqual([
      'named-file',
      'anonymous-file',
    ]);
    expect(view.tasks.flatMap((task) => fileIdsOf(task.attachments))).toEqual([
      'decision-file',
      'report-file',
    ]);
  });

  it("shows the association the named complainant's files, never the anonymous one's", async () => {
    // Arrange
    const deps = caseWithFiles(true);

    // Act
    const view = await readCase(deps, principals.association, 'case-1');

    // Assert
    expect(JSON.stringify(view)).not.toContain('anonymous-file');
    if (view.view !== 'association') throw new Error('expected the association view');
    expect(view.complaints.flatMap((complaint) => fileIdsOf(complaint.attachments))).toEqual(['named-file']);
  });

  it('shows the association its report files and the files of the decision that ordered rectification', async () => {
    // Arrange
    const deps = caseWithFiles(true);

    // Act
    const view = await readCase(deps, principals.association, 'case-1');

    // Assert
    if (view.view !== 'association') throw new Error('expected the association view');
    expect(view.tasks.flatMap((task) => fileIdsOf(task.attachments))).toEqual(['report-file']);
    expect(fileIdsOf(view.orderAttachments)).toEqual(['decision-file']);
  });

  it("keeps a decision's files from the association while no order was issued", async () => {
    // Arrange
    const deps = caseWithFiles(false);

    // Act
    const view = await readCase(deps, principals.association, 'case-1');

    // Assert
    expect(JSON.stringify(view)).not.toContain('decision-file');
  });
});

describe('taskView', () => {
  const answered = aTask('INFO', {
    status: 'COMPLETED',
    completedAt: '2026-06-05T08:00:00.000Z',
    attachments: [fileOf('answer-file', 'INFO')],
  });

  it.each<[string, Principal]>([
    ['the complainant who answered', principals.enterprise],
    ['the regulator of the case', principals.regulator],
    ['a campaign admin', principals.admin],
  ])("shows an information answer's files to %s", (_who, principal) => {
    // Arrange, Act
    const view = taskView(answered, now, principal, calendar);

    // Assert
    expect(fileIdsOf(view.attachments)).toEqual(['answer-file']);
  });

  it.each<[string, Principal]>([
    ['another complainant', principals.otherEnterprise],
    ['the association', principals.association],
    ['a regulator of another province', principals.otherProvinceRegulator],
  ])("keeps an information answer's files from %s", (_who, principal) => {
    // Arrange, Act
    const view = taskView(answered, now, principal, calendar);

    // Assert
    expect(view.attachments).toBeUndefined();
  });

  it("keeps a rectification report's files from the complainants", () => {
    // Arrange
    const report = aTask('RECTIFICATION', { attachments: [fileOf('report-file', 'RECTIFICATION')] });

    // Act
    const views = [principals.association, principals.enterprise].map((principal) =>
      taskView(report, now, principal, calendar),
    );

    // Assert
    expect(views.map((view) => fileIdsOf(view.attachments))).toEqual([['report-file'], []]);
  });
});
