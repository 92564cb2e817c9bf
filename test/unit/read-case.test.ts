/**
 * Reading a fee case: regulators with jurisdiction and campaign admins see all of it, the association
 * its own case without what identifies or reveals a complainant who stays anonymous, everyone else
 * is told there is no such case.
 */
import { describe, expect, it } from 'vitest';
import type { CaseEventDraft } from '#shared/domain/case-event';
import { NotFoundError } from '#shared/domain/errors';
import type { FeeCase, FinalDecision } from '#shared/domain/fee-case';
import type { Principal } from '#shared/domain/principal';
import { readCase } from '#shared/read-cases/read-case';
import { InMemoryCalendarStore } from '#test/support/fakes/calendar';
import { InMemoryCaseStore, InMemoryComplaintReads } from '#test/support/fakes/case-store';
import { noAnchors, testAuditSeal } from '#test/support/fakes/keys';
import {
  aClassifiedCase,
  aComplaint,
  aTask,
  parties,
  principals,
  regulatorOf,
  suggested,
} from '#test/support/fakes/records';

const now = new Date('2026-06-10T08:00:00.000Z');
const workflow = { role: 'workflow' };

/**
 * A case ordered to rectify: one named and one anonymous complainant, a completed review and an open
 * rectification task, and the audit trail that led there.
 */
const orderedCase = async () => {
  const store = new InMemoryCaseStore();
  const final: FinalDecision = {
    verdict: 'UNLAWFUL',
    ruleIds: ['R01'],
    reason: 'internal reasoning',
    actions: ['ABOLISH'],
    decidedAt: '2026-06-02T08:00:00.000Z',
  };
  store.addCase(
    aClassifiedCase({
      verdict: 'UNLAWFUL',
      classification: { suggested, final },
      taskRounds: { REVIEW: 1, RECTIFICATION: 1 },
    }),
  );
  store.addComplaint(aComplaint({ complaintId: 'named', discloseIdentityToAssociation: true }));
  store.addComplaint(
    aComplaint({
      complaintId: 'anonymous',
      enterpriseCreditCode: parties.otherEnterpriseCode,
      filedAt: '2026-06-01T09:00:00.000Z',
    }),
  );
  store.addTask(aTask('REVIEW', { status: 'COMPLETED', submission: { ...final } }));
  store.addTask(aTask('RECTIFICATION', { createdAt: '2026-06-03T08:00:00.000Z' }));
  const trail: CaseEventDraft[] = [
    { type: 'CLASSIFIED', actor: workflow, data: { verdict: 'UNLAWFUL' } },
    { type: 'TASK_OPENED', actor: workflow, data: { taskId: 'case-1.review.1' } },
    { type: 'ORDER_ISSUED', actor: workflow, data: { actions: ['ABOLISH'] } },
    { type: 'TASK_OPENED', actor: workflow, data: { taskId: 'case-1.rectification.1' } },
  ];
  for (const [i, event] of trail.entries()) {
    const before = (await store.getCase('case-1')) as FeeCase;
    await store.commit({ before, after: before, event, at: `2026-06-0${i + 2}T08:00:00.000Z` });
  }
  const deps = {
    store,
    reads: new InMemoryComplaintReads(store),
    auditSeal: store.auditSeal,
    anchors: noAnchors,
    calendar: new InMemoryCalendarStore(),
    now: () => now,
  };
  return { store, deps };
};

const read = async (principal: Principal, caseId = 'case-1') => {
  const { deps } = await orderedCase();
  return readCase(deps, principal, caseId);
};

describe('readCase', () => {
  it.each([
    ['the regulator of its agency and province', principals.regulator],
    ['a national regulator of its agency', principals.nationalRegulator],
    ['a campaign admin', principals.admin],
  ])('shows %s the whole case', async (_who, principal) => {
    // Act
    const view = await read(principal);

    // Assert
    expect([view.view, view.complaints.length, view.tasks.length, view.audit.length]).toEqual([
      'full',
      2,
      2,
      4,
    ]);
  });

  it('shows regulators what each complainant claimed', async () => {
    // Act
    const view = await read(principals.regulator);

    // Assert
    expect(view.complaints.map((complaint) => 'amountFen' in complaint && complaint.amountFen)).toEqual([
      500_000, 500_000,
    ]);
  });

  it('reports an intact audit trail', async () => {
    // Act
    const view = await read(principals.regulator);

    // Assert
    expect(view.auditIntegrity).toEqual({ intact: true, events: 4 });
  });

  it('reports an audit trail linked with another key as altered', async () => {
    // Arrange
    const { deps } = await orderedCase();

    // Act
    const view = await readCase({ ...deps, auditSeal: testAuditSeal() }, principals.regulator, 'case-1');

    // Assert
    expect(view.auditIntegrity).toMatchObject({ intact: false, brokenAtSeq: 1 });
  });

  it.each([
    ['a regulator of another province', principals.otherProvinceRegulator],
    ['a regulator of another agency', principals.otherAgencyRegulator],
    ['a national regulator of another agency', regulatorOf('SAMR', '00')],
    ['another association', principals.otherAssociation],
    ['the complainant', principals.enterprise],
    ['a caller not signed in', principals.anonymous],
  ])('tells %s there is no such case', async (_who, principal) => {
    // Act
    const reading = read(principal);

    // Assert
    await expect(reading).rejects.toBeInstanceOf(NotFoundError);
  });

  it('tells everyone there is no case of an unknown id', async () => {
    // Act
    const reading = read(principals.admin, 'case-2');

    // Assert
    await expect(reading).rejects.toBeInstanceOf(NotFoundError);
  });

  it('shows the association its own case', async () => {
    // Act
    const view = await read(principals.association);

    // Assert
    expect(view.view).toBe('association');
  });

  it('shows the association only the complainants who agreed to be named, without amounts', async () => {
    // Act
    const view = await read(principals.association);

    // Assert
    expect(view.complaints).toEqual([
      {
        complaintId: 'named',
        filedAt: '2026-06-01T08:00:00.000Z',
        enterpriseCreditCode: parties.enterpriseCode,
        description: 'We had to join to keep our operating licence.',
      },
    ]);
  });

  it('shows the association its rectification task and not the review', async () => {
    // Act
    const view = await read(principals.association);

    // Assert
    expect(view.tasks.map((task) => task.taskId)).toEqual(['case-1.rectification.1']);
  });

  it('shows the association the events about its order, without their data', async () => {
    // Act
    const view = await read(principals.association);

    // Assert
    expect(view.audit.map((event) => [event.type, 'data' in event])).toEqual([
      ['ORDER_ISSUED', false],
      ['TASK_OPENED', false],
    ]);
  });

  it("never shows the association the regulator's internal reason", async () => {
    // Act
    const view = await read(principals.association);

    // Assert
    expect(JSON.stringify(view)).not.toContain('internal reasoning');
  });
});
