import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '#shared/domain/case-event';
import { ConflictError, ValidationError } from '#shared/domain/errors';
import type { FeeCase } from '#shared/domain/fee-case';
import type { ComplaintRecord } from '#shared/ports/complaints';
import {
  createTypicalCase,
  publishTypicalCase,
  type TypicalCaseDeps,
  withdrawTypicalCase,
} from '#shared/typical-cases/write-typical-cases';
import { testContactSealer } from '#test/support/fakes/keys';
import { aComplaint, aFeeCase, parties } from '#test/support/fakes/records';
import { aTypicalCase, InMemoryTypicalCaseStore } from '#test/support/fakes/typical-cases';

const admin = { role: 'campaign-admin', subject: 'local:admin' } as const;
const contact = { name: '钱多多', phone: '13912345678', email: 'qian.duoduo@example.com' };

/** A closed case with one complaint, whose contact is sealed as intake seals it. */
const world = async (
  feeCase: FeeCase = aFeeCase({
    stage: 'CLOSED',
    outcome: 'ABOLISHED',
    closedAt: '2026-11-01T00:00:00.000Z',
  }),
) => {
  const sealer = testContactSealer();
  const complaint: ComplaintRecord = aComplaint({ sealedContact: await sealer.seal(contact, 'complaint-1') });
  const events = [
    { caseId: feeCase.caseId, type: 'CASE_OPENED', data: { complaintId: complaint.complaintId } },
  ];
  const store = new InMemoryTypicalCaseStore();
  const deps: TypicalCaseDeps = {
    reads: {
      getCases: async (ids) => new Map(ids.filter((id) => id === feeCase.caseId).map((id) => [id, feeCase])),
      listEvents: async () => events as unknown as CaseEvent[],
      getComplaint: async (id) => (id === complaint.complaintId ? complaint : undefined),
    },
    sealer,
    store,
    now: () => new Date('2026-12-01T00:00:00.000Z'),
  };
  return { deps, store };
};

/** What a typical case keeps of case-1. */
const case1Facts = {
  caseId: 'case-1',
  association: { name: 'Widget Industry Association', province: '11' },
  fee: { name: 'Annual membership dues', category: 'MEMBERSHIP_DUES', amountFen: 500_000 },
  outcome: 'ABOLISHED',
  closedAt: '2026-11-01T00:00:00.000Z',
  refundedFen: 0,
  reducedAnnualFen: 0,
} as const;

const body = { caseIds: ['case-1'], title: '某协会强制入会案', summary: '协会以证书挂钩入会，已退费。' };

describe('createTypicalCase', () => {
  it('stores one typical case however often the same request is sent, under a version-8 UUID', async () => {
    // Arrange
    const { deps, store } = await world();

    // Act
    const first = await createTypicalCase(deps, admin, body);
    const again = await createTypicalCase(deps, admin, body);

    // Assert
    expect(again).toEqual(first);
    expect(store.typicalCases.size).toBe(1);
    expect(first.typicalCaseId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('publishes the stored draft when the same request comes back asking to publish', async () => {
    // Arrange
    const { deps, store } = await world();
    const draft = await createTypicalCase(deps, admin, body);

    // Act
    const published = await createTypicalCase(deps, admin, { ...body, publish: true });

    // Assert
    expect(published).toMatchObject({ typicalCaseId: draft.typicalCaseId, status: 'PUBLISHED' });
    expect(store.typicalCases.size).toBe(1);
  });

  it('refuses the enterprise credit code of the case’s complaint, naming the kind and never the code', async () => {
    // Arrange
    const { deps, store } = await world();

    // Act
    const refusal = await createTypicalCase(deps, admin, {
      ...body,
      summary: `企业 ${parties.enterpriseCode}`,
    }).catch((error: unknown) => error);

    // Assert
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).issues).toEqual([
      expect.objectContaining({
        path: 'summary',
        code: 'identifies_complainant',
        params: { kind: 'credit_code' },
      }),
    ]);
    expect(JSON.stringify(refusal) + (refusal as Error).message).not.toContain(parties.enterpriseCode);
    expect(store.typicalCases.size).toBe(0);
  });
});

describe('publishTypicalCase', () => {
  it('screens a draft again: one that names a complainant stays a draft', async () => {
    // Arrange
    const { deps, store } = await world();
    store.typicalCases.set(
      't',
      aTypicalCase({ typicalCaseId: 't', status: 'DRAFT', summary: '联系人钱多多', cases: [case1Facts] }),
    );

    // Act
    const refusal = await publishTypicalCase(deps, admin, 't').catch((error: unknown) => error);

    // Assert
    expect(refusal).toBeInstanceOf(ValidationError);
    expect(store.typicalCases.get('t')?.status).toBe('DRAFT');
  });

  it('refuses with case_not_closed a draft whose case was reopened since', async () => {
    // Arrange
    const { deps, store } = await world(aFeeCase({ stage: 'VERIFYING' }));
    store.typicalCases.set('t', aTypicalCase({ typicalCaseId: 't', status: 'DRAFT', cases: [case1Facts] }));

    // Act
    const refusal = await publishTypicalCase(deps, admin, 't').catch((error: unknown) => error);

    // Assert
    expect(refusal).toBeInstanceOf(ConflictError);
    expect((refusal as ConflictError).reason).toBe('case_not_closed');
  });
});

describe('withdrawTypicalCase', () => {
  it('refuses a draft with 409: a draft is simply not published', async () => {
    // Arrange
    const { deps, store } = await world();
    store.typicalCases.set('t', aTypicalCase({ typicalCaseId: 't', status: 'DRAFT' }));

    // Act
    const refusal = await withdrawTypicalCase(deps, 't').catch((error: unknown) => error);

    // Assert
    expect(refusal).toBeInstanceOf(ConflictError);
  });

  it('answers a withdrawn one as it is', async () => {
    // Arrange
    const { deps, store } = await world();
    store.typicalCases.set(
      't',
      aTypicalCase({ typicalCaseId: 't', status: 'WITHDRAWN', withdrawnAt: '2026-11-20T00:00:00.000Z' }),
    );

    // Act
    const answer = await withdrawTypicalCase(deps, 't');

    // Assert
    expect(answer).toMatchObject({ status: 'WITHDRAWN', withdrawnAt: '2026-11-20T00:00:00.000Z' });
  });
});
