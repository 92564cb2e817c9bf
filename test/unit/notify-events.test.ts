import { beforeEach, describe, expect, it } from 'vitest';
import type { CaseEvent } from '#shared/domain/case-event';
import { notificationIdPattern } from '#shared/domain/notification';
import { notifyEvents } from '#shared/notifications/notify-events';
import { InMemoryNotificationSources, InMemoryNotificationStore } from '#test/support/fakes/notifications';
import { aClassifiedCase, aComplaint, aTask, parties, principals } from '#test/support/fakes/records';

const enterprise = { party: 'enterprise', enterpriseId: principals.enterprise.enterpriseId } as const;
const otherEnterprise = {
  party: 'enterprise',
  enterpriseId: principals.otherEnterprise.enterpriseId,
} as const;
const association = { party: 'association', creditCode: parties.associationCode } as const;

let sources: InMemoryNotificationSources;
let store: InMemoryNotificationStore;
let seq = 0;

const anEvent = (type: string, data: Record<string, unknown>, at = '2026-06-01T08:00:00.000Z'): CaseEvent => {
  seq += 1;
  return {
    type,
    actor: { role: 'workflow' },
    data,
    caseId: 'case-1',
    seq,
    at,
    previousHash: '0',
    hash: `hash-${seq}`,
  };
};

/** What a complainant's "refund not received" records: the reopened task, its office and due date. */
const reopenedVerification = {
  taskId: 'case-1.verification.2',
  kind: 'VERIFICATION',
  dueAt: '2026-06-15T15:59:59.999Z',
  agency: 'MCA',
  province: '11',
  reason: 'REFUND_NOT_RECEIVED',
};

const notify = (...events: CaseEvent[]) => notifyEvents({ sources, store }, events);

beforeEach(() => {
  seq = 0;
  sources = new InMemoryNotificationSources();
  store = new InMemoryNotificationStore();
  sources.cases.set('case-1', { ...aClassifiedCase(), reference: '2026-11-000001' });
  const { fee, facts } = aComplaint();
  sources.complaints.push(
    {
      caseId: 'case-1',
      complaintId: 'complaint-1',
      enterpriseId: principals.enterprise.enterpriseId,
      fee,
      facts,
      reference: '2026-11-000001',
    },
    {
      caseId: 'case-1',
      complaintId: 'complaint-2',
      enterpriseId: principals.otherEnterprise.enterpriseId,
      fee,
      facts,
    },
    // A repeat filing of the first enterprise: it adds information, and hears nothing twice.
    {
      caseId: 'case-1',
      complaintId: 'complaint-3',
      enterpriseId: principals.enterprise.enterpriseId,
      fee,
      facts,
    },
  );
});

describe('notifyEvents', () => {
  it('tells the complainant its complaint was received, with the office and decision date its receipt gave', async () => {
    // Arrange: the receipt named the agency the case was already routed to, not the rulebook's.
    const opened = anEvent('CASE_OPENED', {
      complaintId: 'complaint-1',
      handlingOffice: { agency: 'SAMR', province: '11' },
      decisionDueAt: '2026-10-23T15:59:59.999Z',
    });

    // Act
    await notify(opened);

    // Assert
    const [receipt] = store.to(enterprise);
    expect(receipt).toMatchObject({
      kind: 'COMPLAINT_RECEIVED',
      complaintId: 'complaint-1',
      caseId: 'case-1',
      read: false,
      at: opened.at,
      params: {
        reference: '2026-11-000001',
        agency: 'SAMR',
        province: '11',
        dueAt: '2026-10-23T15:59:59.999Z',
      },
    });
    expect(receipt?.notificationId).toMatch(notificationIdPattern);
  });

  it('tells the complainant of a filing recorded without them the rulebook office and 15 working days', async () => {
    // Arrange
    const opened = anEvent('CASE_OPENED', { complaintId: 'complaint-1' }, '2026-09-24T02:00:00.000Z');

    // Act
    await notify(opened);

    // Assert
    const [receipt] = store.to(enterprise);
    expect(receipt?.params).toMatchObject({ agency: 'MCA', province: '11' });
    // Mid-Autumn and National Day 2026 (with the make-up Saturday of 10 October): the 15th working
    // day after 24 September is 22 October, and the period ends with it, China time.
    expect(receipt?.params.dueAt).toBe('2026-10-22T15:59:59.999Z');
  });

  it('tells only the complainant a joining complaint was received', async () => {
    // Act
    await notify(anEvent('COMPLAINT_JOINED', { complaintId: 'complaint-2' }));

    // Assert
    expect(store.notifications.map((n) => [n.recipient, n.kind, n.complaintId])).toEqual([
      [otherEnterprise, 'COMPLAINT_RECEIVED', 'complaint-2'],
    ]);
  });

  it('asks the complainant an information request is addressed to, and nobody else', async () => {
    // Arrange
    const task = aTask('INFO', {
      enterpriseCreditCode: parties.otherEnterpriseCode,
      enterpriseId: principals.otherEnterprise.enterpriseId,
    });
    sources.tasks.set(task.taskId, task);

    // Act
    await notify(
      anEvent('TASK_OPENED', {
        taskId: task.taskId,
        kind: 'INFO',
        dueAt: task.dueAt,
        agency: 'MCA',
        province: '11',
      }),
    );

    // Assert
    expect(store.notifications.map((n) => [n.recipient, n.kind, n.complaintId, n.taskId])).toEqual([
      [otherEnterprise, 'INFO_REQUESTED', 'complaint-2', task.taskId],
    ]);
  });

  it('tells the association and every complainant once that an order was issued', async () => {
    // Arrange
    const task = aTask('RECTIFICATION');

    // Act
    await notify(
      anEvent('TASK_OPENED', {
        taskId: task.taskId,
        kind: 'RECTIFICATION',
        dueAt: task.dueAt,
        agency: 'MCA',
        province: '11',
      }),
    );

    // Assert
    expect(store.notifications.map((n) => [n.recipient, n.kind])).toEqual([
      [association, 'ORDER_ISSUED'],
      [enterprise, 'ORDER_ISSUED'],
      [otherEnterprise, 'ORDER_ISSUED'],
    ]);
    expect(store.to(association)[0]).toMatchObject({ taskId: task.taskId, params: { dueAt: task.dueAt } });
  });

  it("puts a review in its office's notification centre", async () => {
    // Act
    await notify(
      anEvent('TASK_OPENED', {
        taskId: 'case-1.review.1',
        kind: 'REVIEW',
        dueAt: '2026-06-22T15:59:59.999Z',
        agency: 'MCA',
        province: '11',
      }),
    );

    // Assert
    expect(store.notifications.map((n) => [n.recipient, n.kind, n.taskId, n.params.taskKind])).toEqual([
      [{ party: 'office', agency: 'MCA', province: '11' }, 'TASK_OPENED', 'case-1.review.1', 'REVIEW'],
    ]);
  });

  it("puts an association's request for more time in its office's notification centre", async () => {
    // Act
    await notify(
      anEvent('EXTENSION_REQUESTED', {
        taskId: 'case-1.extension.1',
        rectificationTaskId: 'case-1.rectification.1',
        kind: 'EXTENSION',
        agency: 'MCA',
        province: '11',
        days: 5,
        requestedDueAt: '2026-06-29T15:59:59.999Z',
        dueAt: '2026-06-22T15:59:59.999Z',
      }),
    );

    // Assert
    expect(store.notifications.map((n) => [n.recipient, n.kind, n.taskId, n.params.taskKind])).toEqual([
      [{ party: 'office', agency: 'MCA', province: '11' }, 'TASK_OPENED', 'case-1.extension.1', 'EXTENSION'],
    ]);
  });

  it("puts a second review in its office's notification centre and tells nobody else", async () => {
    // Act
    await notify(
      anEvent('TASK_OPENED', {
        taskId: 'case-1.second_review.1',
        kind: 'SECOND_REVIEW',
        dueAt: '2026-06-09T15:59:59.999Z',
        agency: 'MCA',
        province: '11',
      }),
    );

    // Assert
    expect(store.notifications.map((n) => [n.recipient, n.kind, n.params.taskKind])).toEqual([
      [{ party: 'office', agency: 'MCA', province: '11' }, 'TASK_OPENED', 'SECOND_REVIEW'],
    ]);
  });

  it('tells the national office of the agency about an escalated task', async () => {
    // Arrange
    const task = aTask('REVIEW', { province: '00', escalated: true });
    sources.tasks.set(task.taskId, task);

    // Act
    await notify(
      anEvent('TASK_ESCALATED', {
        taskId: task.taskId,
        kind: 'REVIEW',
        fromProvince: '11',
        dueAt: task.dueAt,
      }),
    );

    // Assert
    expect(store.notifications.map((n) => [n.recipient, n.kind])).toEqual([
      [{ party: 'office', agency: 'MCA', province: '00' }, 'TASK_ESCALATED'],
    ]);
  });

  it.each([
    ['RECTIFICATION_ACCEPTED', true],
    ['RECTIFICATION_REJECTED', false],
  ])('tells the association the verification result of %s', async (type, accepted) => {
    // Act
    await notify(anEvent(type, { taskId: 'case-1.verification.1', accepted }));

    // Assert
    expect(store.notifications.map((n) => [n.recipient, n.kind, n.params.accepted])).toEqual([
      [association, 'VERIFICATION_RESULT', accepted],
    ]);
  });

  it('tells the association the deadline of the order a rejected report leaves running', async () => {
    // Arrange
    const order = {
      actions: ['REFUND'],
      rectificationDays: 20,
      issuedAt: '2026-06-01T08:00:00.000Z',
      dueAt: '2026-07-01T15:59:59.999Z',
    };
    sources.cases.set('case-1', { ...aClassifiedCase({ order }), reference: '2026-11-000001' });

    // Act
    await notify(anEvent('RECTIFICATION_REJECTED', { taskId: 'case-1.verification.1', accepted: false }));

    // Assert
    expect(store.to(association)[0]?.params).toMatchObject({ accepted: false, dueAt: order.dueAt });
  });

  it('tells the association and the office that verification reopened, without naming the enterprise', async () => {
    // Act
    await notify(anEvent('VERIFICATION_REOPENED', reopenedVerification));

    // Assert
    expect(store.notifications.map((n) => [n.recipient, n.kind])).toEqual([
      [association, 'VERIFICATION_REOPENED'],
      [{ party: 'office', agency: 'MCA', province: '11' }, 'VERIFICATION_REOPENED'],
    ]);
    expect(store.to(association)[0]).not.toHaveProperty('complaintId');
  });

  it("gives the office the reopened verification's task and due date", async () => {
    // Act
    await notify(anEvent('VERIFICATION_REOPENED', reopenedVerification));

    // Assert
    const office = store.notifications.find((n) => n.recipient.party === 'office');
    expect(office).toMatchObject({
      taskId: 'case-1.verification.2',
      params: { dueAt: '2026-06-15T15:59:59.999Z', agency: 'MCA', province: '11' },
    });
  });

  it('tells each complainant once that the case closed, with its outcome', async () => {
    // Act
    await notify(anEvent('CASE_CLOSED', { outcome: 'ABOLISHED', verdict: 'UNLAWFUL' }));

    // Assert
    expect(store.notifications.map((n) => [n.recipient, n.kind, n.complaintId, n.params.outcome])).toEqual([
      [enterprise, 'CASE_CLOSED', 'complaint-1', 'ABOLISHED'],
      [otherEnterprise, 'CASE_CLOSED', 'complaint-2', 'ABOLISHED'],
    ]);
  });

  describe('a filing linked onto its case after the case closed', () => {
    const closedAt = '2026-06-01T08:00:00.000Z';
    const lateComplainant = { party: 'enterprise', enterpriseId: 'enterprise-filed-as-it-closed' } as const;
    const lateFiling = (feeCase = aClassifiedCase({ stage: 'CLOSED', outcome: 'ABOLISHED', closedAt })) => {
      sources.cases.set('case-1', { ...feeCase, reference: '2026-11-000001' });
      const { fee, facts } = aComplaint();
      sources.complaints.push({
        caseId: 'case-1',
        complaintId: 'complaint-4',
        enterpriseId: lateComplainant.enterpriseId,
        fee,
        facts,
      });
      return anEvent('COMPLAINT_JOINED', { complaintId: 'complaint-4', linkedAfterClosing: true }, closedAt);
    };

    it("tells its complainant the case's outcome, not that the complaint was received", async () => {
      // Arrange
      const joined = lateFiling();

      // Act
      await notify(joined);

      // Assert
      expect(store.notifications.map((n) => [n.recipient, n.kind, n.complaintId, n.params.outcome])).toEqual([
        [lateComplainant, 'CASE_CLOSED', 'complaint-4', 'ABOLISHED'],
      ]);
    });

    it("tells its complainant once when the closing's own notices found the complaint too", async () => {
      // Arrange
      const joined = lateFiling();
      const closing = anEvent('CASE_CLOSED', { outcome: 'ABOLISHED' }, closedAt);

      // Act
      await notify(closing, joined);

      // Assert
      expect(store.to(lateComplainant).map((n) => [n.kind, n.complaintId])).toEqual([
        ['CASE_CLOSED', 'complaint-4'],
      ]);
    });

    it('tells its complainant nothing yet when the case was reopened since', async () => {
      // Arrange: a refund reported missing sent the case back to verification
      const joined = lateFiling(aClassifiedCase({ stage: 'VERIFYING' }));

      // Act
      await notify(joined);

      // Assert
      expect(store.notifications).toEqual([]);
    });
  });

  it('tells the office of an assigned task which officer it was assigned to', async () => {
    // Arrange
    const task = aTask('REVIEW');
    sources.tasks.set(task.taskId, task);

    // Act
    await notify(
      anEvent('TASK_ASSIGNED', {
        taskId: task.taskId,
        kind: 'REVIEW',
        assignee: 'local:regulator:MCA:11:li',
      }),
    );

    // Assert
    expect(store.notifications).toEqual([
      expect.objectContaining({
        recipient: { party: 'office', agency: 'MCA', province: '11' },
        kind: 'TASK_ASSIGNED',
        taskId: task.taskId,
        params: expect.objectContaining({
          taskKind: 'REVIEW',
          dueAt: task.dueAt,
          assignee: 'local:regulator:MCA:11:li',
        }),
      }),
    ]);
  });

  it('tells nobody when a task is taken back', async () => {
    // Arrange
    const task = aTask('REVIEW');
    sources.tasks.set(task.taskId, task);

    // Act
    await notify(anEvent('TASK_ASSIGNED', { taskId: task.taskId, kind: 'REVIEW', assignee: null }));

    // Assert
    expect(store.notifications).toEqual([]);
  });

  it('tells every complainant once which office a transferred case went to, and puts the task in its inbox', async () => {
    // Act
    await notify(
      anEvent('CASE_TRANSFERRED', {
        taskId: 'case-1.review.2',
        fromTaskId: 'case-1.review.1',
        kind: 'REVIEW',
        agency: 'SAMR',
        province: '44',
        fromAgency: 'MCA',
        fromProvince: '11',
        dueAt: '2026-06-22T15:59:59.999Z',
        reason: 'Pricing is for market regulation',
      }),
    );

    // Assert
    const guangdong = { agency: 'SAMR', province: '44' };
    expect(store.notifications.map((n) => [n.recipient, n.kind, n.taskId])).toEqual([
      [{ party: 'office', ...guangdong }, 'TASK_OPENED', 'case-1.review.2'],
      [enterprise, 'CASE_TRANSFERRED', undefined],
      [otherEnterprise, 'CASE_TRANSFERRED', undefined],
    ]);
    expect(store.to(enterprise)[0]?.params).toMatchObject({ ...guangdong, reference: '2026-11-000001' });
    expect(JSON.stringify(store.notifications)).not.toContain('Pricing is for market regulation');
  });

  it('tells nobody about events nobody needs to hear of', async () => {
    // Act
    await notify(
      anEvent('CLASSIFIED', {}),
      anEvent('INFORMATION_ADDED', { complaintId: 'complaint-3' }),
      anEvent('REVIEW_PROPOSED', { taskId: 'case-1.review.1', verdict: 'UNLAWFUL' }),
      anEvent('SECOND_REVIEW_DECIDED', { taskId: 'case-1.second_review.1', confirmed: false }),
      anEvent('EVIDENCE_VIEWED', { fileId: 'file-1', purpose: 'COMPLAINT', party: 'ENTERPRISE' }),
    );

    // Assert
    expect(store.notifications).toEqual([]);
  });

  it('puts no credit code, name or contact into any parameter', async () => {
    // Arrange
    const events = [
      anEvent('CASE_OPENED', { complaintId: 'complaint-1' }),
      anEvent('TASK_OPENED', {
        taskId: 'case-1.rectification.1',
        kind: 'RECTIFICATION',
        agency: 'MCA',
        province: '11',
      }),
      anEvent('CASE_CLOSED', { outcome: 'DISMISSED' }),
    ];

    // Act
    await notify(...events);

    // Assert
    const params = JSON.stringify(store.notifications.map((n) => n.params));
    for (const code of Object.values(parties)) expect(params).not.toContain(code);
  });

  it('writes each notification once however often its event is delivered', async () => {
    // Arrange
    const closed = anEvent('CASE_CLOSED', { outcome: 'ABOLISHED' });

    // Act
    const results = [await notify(closed), await notify(closed), await notify(closed)];

    // Assert
    expect(results.map((result) => result.written)).toEqual([2, 0, 0]);
    expect(store.notifications).toHaveLength(2);
    expect((await store.list(enterprise, 20)).unread).toBe(1);
  });

  it('reports a failed event and every event after it, and completes them when they come again', async () => {
    // Arrange
    const events = [
      anEvent('CASE_CLOSED', { outcome: 'ABOLISHED' }),
      anEvent('COMPLAINT_JOINED', { complaintId: 'complaint-2' }),
    ];
    store.failNextWrites = 1;

    // Act
    const first = await notify(...events);
    const second = await notify(...first.failed);

    // Assert
    expect(first.failed).toEqual(events);
    expect(second.failed).toEqual([]);
    expect(store.notifications.map((n) => [n.recipient, n.kind])).toEqual([
      [enterprise, 'CASE_CLOSED'],
      [otherEnterprise, 'CASE_CLOSED'],
      [otherEnterprise, 'COMPLAINT_RECEIVED'],
    ]);
  });
});
