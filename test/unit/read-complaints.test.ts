/**
 * Reading complaints back: the complainant lists its own, newest first, and reads each with its
 * contact and the case's public progress; regulators with jurisdiction and campaign admins may read
 * one too; everyone else is told there is no such complaint.
 */
import { describe, expect, it } from 'vitest';
import type { CaseEventDraft } from '#shared/domain/case-event';
import { NotFoundError, ValidationError } from '#shared/domain/errors';
import type { FeeCase } from '#shared/domain/fee-case';
import {
  listOwnComplaints,
  readComplaint,
  readPublicProgress,
} from '#shared/read-complaints/read-complaints';
import { InMemoryCaseStore, InMemoryComplaintReads } from '#test/support/fakes/case-store';
import { testContactSealer } from '#test/support/fakes/keys';
import { aClassifiedCase, aComplaint, aFeeCase, parties, principals } from '#test/support/fakes/records';

const contact = { name: 'Zhang San', phone: '13800000000' };
const workflow = { role: 'workflow' };

/**
 * A case with the enterprise's complaint and another enterprise's, each sealed as intake seals it, and
 * `events` on the case a day apart from 2 June.
 */
const complaints = async (...events: CaseEventDraft[]) => {
  const store = new InMemoryCaseStore();
  const sealer = testContactSealer();
  store.addCase(aClassifiedCase());
  store.addCase(aFeeCase({ caseId: 'case-2', feeKey: 'fee-key-2', stage: 'CLOSED', outcome: 'ABOLISHED' }));
  const filed = [
    aComplaint({ complaintId: 'first' }),
    aComplaint({ complaintId: 'second', caseId: 'case-2', filedAt: '2026-06-05T08:00:00.000Z' }),
    aComplaint({
      complaintId: 'theirs',
      enterpriseCreditCode: parties.otherEnterpriseCode,
      enterpriseId: principals.otherEnterprise.enterpriseId,
    }),
    aComplaint({ complaintId: 'same-code-other-account', enterpriseId: 'second-account' }),
  ];
  for (const complaint of filed) {
    store.addComplaint({ ...complaint, sealedContact: await sealer.seal(contact, complaint.complaintId) });
  }
  for (const [i, event] of events.entries()) {
    const before = (await store.getCase('case-1')) as FeeCase;
    await store.commit({ before, after: before, event, at: `2026-06-0${i + 2}T08:00:00.000Z` });
  }
  return { reads: new InMemoryComplaintReads(store), sealer };
};

describe('listOwnComplaints', () => {
  it("lists the enterprise's own complaints, newest first, with where their cases stand", async () => {
    // Arrange
    const deps = await complaints();

    // Act
    const list = await listOwnComplaints(deps, principals.enterprise.enterpriseId, {});

    // Assert
    expect(list.items.map(({ complaintId, stage }) => ({ complaintId, stage }))).toEqual([
      { complaintId: 'second', stage: 'CLOSED' },
      { complaintId: 'first', stage: 'CLASSIFIED' },
    ]);
  });

  it('names the outcome of a closed case', async () => {
    // Arrange
    const deps = await complaints();

    // Act
    const list = await listOwnComplaints(deps, principals.enterprise.enterpriseId, {});

    // Assert
    expect(list.items[0]?.outcome).toBe('ABOLISHED');
  });

  it('pages with a cursor', async () => {
    // Arrange
    const deps = await complaints();
    const first = await listOwnComplaints(deps, principals.enterprise.enterpriseId, { limit: '1' });

    // Act
    const second = await listOwnComplaints(deps, principals.enterprise.enterpriseId, {
      limit: '1',
      cursor: first.cursor,
    });

    // Assert
    expect([second.items.map((item) => item.complaintId), second.cursor]).toEqual([['first'], null]);
  });

  it("refuses another enterprise's cursor", async () => {
    // Arrange
    const deps = await complaints();
    const { cursor } = await listOwnComplaints(deps, principals.enterprise.enterpriseId, { limit: '1' });

    // Act
    const listing = listOwnComplaints(deps, principals.otherEnterprise.enterpriseId, { cursor });

    // Assert
    await expect(listing).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses a page size out of range', async () => {
    // Arrange
    const deps = await complaints();

    // Act
    const listing = listOwnComplaints(deps, principals.enterprise.enterpriseId, { limit: '0' });

    // Assert
    await expect(listing).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('readComplaint', () => {
  it('shows the complainant its complaint with its contact opened', async () => {
    // Arrange
    const deps = await complaints();

    // Act
    const detail = await readComplaint(deps, principals.enterprise, 'first');

    // Assert
    expect(detail.complaint).toMatchObject({ complaintId: 'first', contact });
  });

  it('keeps the sealed contact out of the answer', async () => {
    // Arrange
    const deps = await complaints();

    // Act
    const detail = await readComplaint(deps, principals.enterprise, 'first');

    // Assert
    expect(detail.complaint).not.toHaveProperty('sealedContact');
  });

  it.each([
    ['the regulator of its agency and province', principals.regulator],
    ['a campaign admin', principals.admin],
    ['another account linked to the complainant', { ...principals.enterprise, subject: 'linked-account' }],
  ])('shows %s the complaint', async (_who, principal) => {
    // Arrange
    const deps = await complaints();

    // Act
    const detail = await readComplaint(deps, principal, 'first');

    // Assert
    expect(detail.case.caseId).toBe('case-1');
  });

  it.each([
    ['another enterprise', principals.otherEnterprise],
    [
      'another account of the same credit code',
      { ...principals.enterprise, subject: 'second-account', enterpriseId: 'second-account' },
    ],
    ['the association complained about', principals.association],
    ['a regulator of another province', principals.otherProvinceRegulator],
    ['a caller not signed in', principals.anonymous],
  ])('tells %s there is no such complaint', async (_who, principal) => {
    // Arrange
    const deps = await complaints();

    // Act
    const reading = readComplaint(deps, principal, 'first');

    // Assert
    await expect(reading).rejects.toBeInstanceOf(NotFoundError);
  });

  it('tells the complainant there is no complaint of an unknown id', async () => {
    // Arrange
    const deps = await complaints();

    // Act
    const reading = readComplaint(deps, principals.enterprise, 'unknown');

    // Assert
    await expect(reading).rejects.toBeInstanceOf(NotFoundError);
  });

  it("shows the case's public progress and the complaint's own arrival, not other complainants'", async () => {
    // Arrange
    const deps = await complaints(
      { type: 'COMPLAINT_JOINED', actor: workflow, stage: 'RECEIVED', data: { complaintId: 'first' } },
      { type: 'COMPLAINT_JOINED', actor: workflow, stage: 'RECEIVED', data: { complaintId: 'theirs' } },
      { type: 'ATTENTION_NEEDED', actor: workflow, data: { error: 'internal' } },
      { type: 'CLASSIFIED', actor: workflow, stage: 'CLASSIFIED' },
    );

    // Act
    const detail = await readComplaint(deps, principals.enterprise, 'first');

    // Assert
    expect(detail.timeline.map(({ at, stage }) => [at, stage])).toEqual([
      ['2026-06-02T08:00:00.000Z', 'RECEIVED'],
      ['2026-06-05T08:00:00.000Z', 'CLASSIFIED'],
    ]);
  });
});

describe('readComplaint: closing feedback', () => {
  const closedAt = '2026-07-01T08:00:00.000Z';
  const day = 86_400_000;

  /** The enterprise's complaint on a case closed on 1 July, read `days` later. */
  const closed = async (days: number, complaint: Partial<Parameters<typeof aComplaint>[0]> = {}) => {
    const store = new InMemoryCaseStore();
    const sealer = testContactSealer();
    store.addCase(aClassifiedCase({ stage: 'CLOSED', outcome: 'ABOLISHED', closedAt }));
    store.addComplaint({
      ...aComplaint(complaint),
      sealedContact: await sealer.seal(contact, 'complaint-1'),
    });
    const now = new Date(Date.parse(closedAt) + days * day);
    return { reads: new InMemoryComplaintReads(store), sealer, now: () => now };
  };

  it('says until when the complainant may give feedback, 30 days after closure', async () => {
    // Arrange
    const deps = await closed(29);

    // Act
    const detail = await readComplaint(deps, principals.enterprise, 'complaint-1');

    // Assert
    expect(detail.feedbackUntil).toBe('2026-07-31T08:00:00.000Z');
  });

  it('offers no feedback once the 30 days have passed', async () => {
    // Arrange
    const deps = await closed(31);

    // Act
    const detail = await readComplaint(deps, principals.enterprise, 'complaint-1');

    // Assert
    expect(detail).not.toHaveProperty('feedbackUntil');
  });

  it('shows the feedback given, and offers no more', async () => {
    // Arrange
    const feedback = { refundReceived: true, satisfaction: 4, comment: '已到账', givenAt: closedAt } as const;
    const deps = await closed(2, { feedback });

    // Act
    const detail = await readComplaint(deps, principals.regulator, 'complaint-1');

    // Assert
    expect(detail.feedback).toEqual(feedback);
    expect(detail).not.toHaveProperty('feedbackUntil');
  });
});

describe('readPublicProgress', () => {
  const reference = '2026-11-000001';
  /** The enterprise's complaint carrying `reference`, on a case under review. */
  const lookup = () => {
    const store = new InMemoryCaseStore();
    store.addCase(aClassifiedCase({ reference: '2026-11-000002' }));
    store.addComplaint(aComplaint({ reference }));
    return new InMemoryComplaintReads(store);
  };

  it('answers the steps, the current one and the handling office for the reference and its credit code', async () => {
    // Arrange
    const reads = lookup();

    // Act
    const progress = await readPublicProgress(
      reads,
      { reference, creditCode: parties.enterpriseCode },
      'zh-CN',
    );

    // Assert
    expect(progress).toMatchObject({
      reference,
      stage: 'REVIEW',
      handlingOffice: { agency: 'MCA', province: '11', name: '北京市民政局' },
    });
    expect(progress.steps.map(({ step }) => step)).toEqual([
      'SUBMITTED',
      'REVIEW',
      'RECTIFICATION',
      'VERIFICATION',
      'CLOSED',
    ]);
  });

  it("tells nothing of the complaint: no ids, fee, association, amounts or the enterprise's code", async () => {
    // Arrange
    const reads = lookup();

    // Act
    const progress = await readPublicProgress(reads, { reference, creditCode: parties.enterpriseCode }, 'en');

    // Assert
    const text = JSON.stringify(progress);
    for (const secret of [
      'complaint-1',
      'case-1',
      parties.enterpriseCode,
      parties.associationCode,
      'Widget',
      '500000',
    ])
      expect(text).not.toContain(secret);
  });

  it.each([
    ['a wrong credit code', reference, parties.otherEnterpriseCode],
    ['an unknown reference', '2026-11-999999', parties.enterpriseCode],
    ["a case's reference", '2026-11-000002', parties.enterpriseCode],
  ])('answers %s with the same not-found', async (_, asked, creditCode) => {
    // Arrange
    const reads = lookup();

    // Act
    const answer = readPublicProgress(reads, { reference: asked, creditCode }, 'zh-CN');

    // Assert
    await expect(answer).rejects.toThrow(
      new NotFoundError('No complaint with this reference and credit code'),
    );
  });

  it('refuses a reference that is not one, changing nothing', async () => {
    // Arrange
    const reads = lookup();

    // Act
    const answer = readPublicProgress(
      reads,
      { reference: 'R-1', creditCode: parties.enterpriseCode },
      'zh-CN',
    );

    // Assert
    await expect(answer).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('listOwnComplaints with a reference', () => {
  const reference = '2026-11-000001';
  const reads = () => {
    const store = new InMemoryCaseStore();
    store.addCase(aClassifiedCase());
    store.addComplaint(aComplaint({ reference }));
    store.addComplaint(aComplaint({ complaintId: 'other', reference: '2026-11-000003' }));
    return new InMemoryComplaintReads(store);
  };

  it('lists the one complaint of the caller carrying it', async () => {
    // Arrange
    const deps = { reads: reads(), sealer: testContactSealer() };

    // Act
    const list = await listOwnComplaints(deps, principals.enterprise.enterpriseId, { reference });

    // Assert
    expect(list).toEqual({
      items: [expect.objectContaining({ complaintId: 'complaint-1', reference })],
      cursor: null,
    });
  });

  it("lists nothing for another enterprise's reference", async () => {
    // Arrange
    const deps = { reads: reads(), sealer: testContactSealer() };

    // Act
    const list = await listOwnComplaints(deps, principals.otherEnterprise.enterpriseId, { reference });

    // Assert
    expect(list).toEqual({ items: [], cursor: null });
  });
});
