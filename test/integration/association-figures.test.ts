/**
 * Per-association figures and recurrences, exactly once: the lives of cases in a family of branches,
 * delivered three times in different orders across cases (each case's own changes in order, as a
 * stream shard keeps them), with a third of the writes failing before or after they happen.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { associationCode } from '#infra/local/campaign-fixtures';
import { DynamoAssociationFigures } from '#shared/adapters/dynamodb/association-figures';
import { registryEntryItem, TableAssociationRegistry } from '#shared/adapters/dynamodb/association-registry';
import { DynamoMetricsStore } from '#shared/adapters/dynamodb/metrics-store';
import type { RegisteredAssociation } from '#shared/domain/association';
import type { FeeCase } from '#shared/domain/fee-case';
import { aggregateChanges, type ItemChange, type MetricsStore } from '#shared/metrics/aggregate';
import { type RepeatOffenceStore, recordRepeatOffences } from '#shared/metrics/recurrences';
import { associationTruth, storedFigures } from '#test/support/association-truth';
import { useTestTable } from '#test/support/table';

const table = await useTestTable();

const registered = (
  creditCode: string,
  name: string,
  memberCount: number,
  parentCreditCode?: string,
): RegisteredAssociation => ({
  creditCode,
  name,
  level: 'PROVINCIAL',
  registeringAuthority: '广东省民政厅',
  ...(parentCreditCode ? { parentCreditCode } : {}),
  memberCount,
  status: 'ACTIVE',
  province: '44',
  registeredAt: '2023-01-01T00:00:00.000Z',
  updatedAt: '2023-01-01T00:00:00.000Z',
});

const parent = associationCode('44', 9101);
const branchA = associationCode('44', 9102);
const branchB = associationCode('44', 9103);
const standalone = associationCode('44', 9104);
const unregistered = associationCode('44', 9105);
const register = [
  registered(parent, '广东省建材行业协会', 2_000),
  registered(branchA, '广东省建材行业协会水泥分会', 300, parent),
  registered(branchB, '广东省建材行业协会陶瓷分会', 450, parent),
  registered(standalone, '广东省物流行业协会', 0),
];

interface Life {
  creditCode?: string;
  feeName: string;
  openedAt: string;
  origin?: FeeCase['origin'];
  /** The credit code is only given when the case is classified (a name resolved after intake). */
  codeLater?: true;
  closed?: { outcome: NonNullable<FeeCase['outcome']>; at: string; refundedFen?: number; helped?: number };
}

/** A case's images from opening to where it ends: opened, classified, closed if it closes. */
const imagesOf = (caseId: string, life: Life): FeeCase[] => {
  const opened: FeeCase = {
    caseId,
    feeKey: `FEEKEY#${life.creditCode ?? 'NAME:x:44'}#MEMBERSHIP_DUES#${life.feeName}`,
    association: {
      name: '广东省建材行业协会',
      province: '44',
      ...(life.creditCode && !life.codeLater ? { creditCode: life.creditCode } : {}),
    },
    fee: {
      name: life.feeName,
      category: 'MEMBERSHIP_DUES',
      amountFen: 300_000,
      chargedOn: '2024-01-01',
      period: 'ANNUAL',
    },
    province: '44',
    stage: 'RECEIVED',
    flags: [],
    complaintCount: 1,
    enterpriseCount: 1,
    claimedFen: 300_000,
    refundedFen: 0,
    reducedAnnualFen: 0,
    openedAt: life.openedAt,
    updatedAt: life.openedAt,
    ...(life.origin ? { origin: life.origin } : {}),
    version: 1,
    eventSeq: 1,
    lastEventHash: 'h',
  };
  // A second complaint joins: it moves no association figure.
  const joined: FeeCase = {
    ...opened,
    association: { ...opened.association, ...(life.creditCode ? { creditCode: life.creditCode } : {}) },
    stage: 'CLASSIFIED',
    agency: 'MCA',
    complaintCount: 2,
    version: 2,
  };
  if (!life.closed) return [opened, joined];
  const closed: FeeCase = {
    ...joined,
    stage: 'CLOSED',
    outcome: life.closed.outcome,
    refundedFen: life.closed.refundedFen ?? 0,
    enterprisesHelped: life.closed.helped ?? 0,
    closedAt: life.closed.at,
    updatedAt: life.closed.at,
    version: 3,
  };
  return [opened, joined, closed];
};

/** Branch A abolishes dues; both branches and the parent charge them again; other associations beside. */
const lives: Record<string, Life> = {
  firstAbolition: {
    creditCode: branchA,
    feeName: '会员费',
    openedAt: '2024-01-05T02:00:00.000Z',
    closed: { outcome: 'ABOLISHED', at: '2024-03-01T08:00:00.000Z', refundedFen: 500_000, helped: 3 },
  },
  // Another branch charges them two months later: a recurrence of the other-branch kind; abolished too.
  siblingCharges: {
    creditCode: branchB,
    feeName: '会员 费',
    openedAt: '2024-05-01T08:00:00.000Z',
    closed: { outcome: 'ABOLISHED', at: '2024-06-01T08:00:00.000Z', refundedFen: 120_000, helped: 1 },
  },
  // Branch A charges them again: it follows its own abolition and branch B's, one recurrence of both kinds.
  chargedAgain: { creditCode: branchA, feeName: '会员费。', openedAt: '2025-06-01T00:00:00.000Z' },
  // The parent charges them 730 days and one hour after branch B's abolition: too late to count.
  parentTooLate: { creditCode: parent, feeName: '会员费', openedAt: '2026-06-01T09:00:00.000Z' },
  // The parent's other fee, dismissed: a case, no abolition.
  parentDismissed: {
    creditCode: parent,
    feeName: '年检费',
    openedAt: '2024-02-01T00:00:00.000Z',
    closed: { outcome: 'DISMISSED', at: '2024-02-20T00:00:00.000Z' },
  },
  // A self-inspection finds the standalone association's fee unlawful; a complaint finds it charged again.
  declaredAbolished: {
    creditCode: standalone,
    feeName: '会员费',
    origin: 'SELF_INSPECTION',
    openedAt: '2025-01-10T00:00:00.000Z',
    closed: { outcome: 'ABOLISHED', at: '2025-02-01T00:00:00.000Z', refundedFen: 80_000 },
  },
  complainedAgain: { creditCode: standalone, feeName: '会员费', openedAt: '2026-03-01T00:00:00.000Z' },
  unregisteredCase: {
    creditCode: unregistered,
    feeName: '会员费',
    openedAt: '2025-01-01T00:00:00.000Z',
    closed: { outcome: 'REGULATED', at: '2025-02-01T00:00:00.000Z' },
  },
  withoutCode: { feeName: '会员费', openedAt: '2025-01-01T00:00:00.000Z' },
  // Named without a code, resolved to branch B when classified: it charges the dues B abolished.
  resolvedLater: {
    creditCode: branchB,
    codeLater: true,
    feeName: '会员费',
    openedAt: '2024-09-01T00:00:00.000Z',
  },
};

const images = Object.fromEntries(
  Object.entries(lives).map(([caseId, life]) => [caseId, imagesOf(caseId, life)]),
);
const finalCases = Object.values(images).map((versions) => versions.at(-1) as FeeCase);

/** Each case's changes in its own order; `order` says which case's change comes next. */
const interleave = (run: string, order: string[]): ItemChange[] => {
  const queues = Object.fromEntries(
    Object.entries(images).map(([caseId, versions]) => [
      caseId,
      versions.map((after, i) => ({
        changeId: `${run}-${caseId}-${i}`,
        ...(i > 0 ? { before: { kind: 'case' as const, feeCase: versions[i - 1] as FeeCase } } : {}),
        after: { kind: 'case' as const, feeCase: after },
      })),
    ]),
  );
  const changes: ItemChange[] = [];
  while (changes.length < Object.values(images).flat().length) {
    for (const caseId of order) {
      const next = queues[caseId]?.shift();
      if (next) changes.push(next);
    }
  }
  return changes;
};

/** A fixed sequence of draws in [0, 1), so a failing run fails the same way again. */
const draws = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

/** Fails a third of the calls, half before the write and half after it (the caller never hears it happened). */
const flaky = <T extends object>(inner: T, calls: { injected: number }, draw = draws(18)): T =>
  new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const roll = draw();
        if (roll >= 1 / 3) return value.apply(target, args);
        calls.injected += 1;
        if (roll < 1 / 6) throw new Error('injected: before the write');
        await value.apply(target, args);
        throw new Error('injected: after the write');
      };
    },
  });

const injected = { injected: 0 };

beforeAll(async () => {
  for (const association of register)
    await table.documentClient.send(
      new PutCommand({ TableName: table.tableName, Item: registryEntryItem(association) }),
    );
  const metrics: MetricsStore = flaky(
    new DynamoMetricsStore(table.documentClient, table.tableName),
    injected,
  );
  const offences: RepeatOffenceStore = flaky(
    new DynamoAssociationFigures(table.documentClient, table.tableName),
    injected,
  );
  const registry = new TableAssociationRegistry(table.documentClient, table.tableName);
  const caseIds = Object.keys(images);
  // Later cases first (new cases before the abolitions they follow), then in order, then shuffled.
  const orders = [[...caseIds].reverse(), caseIds, [...caseIds].sort((a, b) => a.length - b.length)];
  for (const [delivery, order] of orders.entries()) {
    const changes = interleave('stream', order);
    for (let i = 0; i < changes.length; i += 4) {
      let pending = changes.slice(i, i + 4);
      while (pending.length > 0) {
        const failed = new Set([
          ...(await aggregateChanges(metrics, pending)).failed,
          ...(await recordRepeatOffences({ offences, registry }, pending)),
        ]);
        pending = pending.filter((change) => failed.has(change.changeId));
      }
    }
    expect(delivery).toBeLessThan(3);
  }
}, 180_000);

/** A register entry's change as the stream brings it. */
const registerChange = (changeId: string, entry: RegisteredAssociation): ItemChange => ({
  changeId,
  after: { kind: 'association', association: entry },
});

describe('per-association figures from the stream', () => {
  it('equal the truth computed from the cases after three deliveries with failures', async () => {
    const truth = associationTruth(finalCases, register);

    for (const creditCode of Object.keys(truth))
      expect(await storedFigures(table, creditCode), creditCode).toEqual(truth[creditCode]);
    expect(injected.injected).toBeGreaterThan(10);
  });

  it('count a fee charged again by the branch that abolished it and by its sibling, named or resolved later', async () => {
    const a = await storedFigures(table, branchA);
    const b = await storedFigures(table, branchB);

    expect(a).toMatchObject({ recurrences: 1, recurrencesSameAssociation: 1, recurrencesOtherBranch: 1 });
    expect(b).toMatchObject({ recurrences: 2, recurrencesSameAssociation: 1, recurrencesOtherBranch: 2 });
  });

  it('count every recurrence of the family against its parent, and none after two years', async () => {
    const head = await storedFigures(table, parent);

    expect(head).toMatchObject({ cases: 2, recurrences: 0, familyRecurrences: 3 });
  });

  it('count self-inspection cases apart, and a fee they abolished that is charged again', async () => {
    const figures = await storedFigures(table, standalone);

    expect(figures).toMatchObject({
      cases: 1,
      abolishedFees: 0,
      recurrences: 1,
      selfInspection: { cases: 1, abolishedFees: 1, refundedFen: 80_000 },
      casesPerThousandMembers: null,
    });
  });

  it('name an association the register does not list as its cases do, and skip cases without a code', async () => {
    const figures = await storedFigures(table, unregistered);

    expect(figures).toMatchObject({
      registered: false,
      name: '广东省建材行业协会',
      cases: 1,
      memberCount: null,
    });
  });

  it('follow a re-import of the register, never an older copy, and only for associations with figures', async () => {
    const offences = new DynamoAssociationFigures(table.documentClient, table.tableName);
    const registry = new TableAssociationRegistry(table.documentClient, table.tableName);
    const [entryA] = register.filter((entry) => entry.creditCode === branchA) as [RegisteredAssociation];
    const grown = { ...entryA, memberCount: 600, updatedAt: '2026-06-01T00:00:00.000Z' };
    const stale = { ...entryA, memberCount: 1, updatedAt: '2025-01-01T00:00:00.000Z' };
    const newcomer = registered(associationCode('44', 9106), '广东省家具行业协会', 80);

    await recordRepeatOffences({ offences, registry }, [
      registerChange('import-2', grown),
      registerChange('import-2', grown),
      registerChange('import-1', stale),
      registerChange('import-3', newcomer),
    ]);

    expect(await storedFigures(table, branchA)).toMatchObject({ memberCount: 600, cases: 2 });
    expect(await storedFigures(table, newcomer.creditCode)).toBeUndefined();
  });
});
