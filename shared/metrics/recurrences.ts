/**
 * Recurrences (docs/associations.md, "Repeat offenders"): a fee abolished by a closed case and charged
 * again, by the same association or by another branch of its family, within two years. The stream
 * brings abolitions and new cases in any order across cases, so each side is recorded, then the other
 * side is looked up: whichever comes second finds the first, and each new case counts once at most.
 */
import type { FeeCategory } from '#shared/domain/complaint';
import type { FeeCase } from '#shared/domain/fee-case';
import { normalizeFeeName } from '#shared/domain/fee-identity';
import type { ItemChange } from '#shared/metrics/aggregate';
import { type AssociationProfile, profileOfEntry } from '#shared/metrics/association-figures';
import type { AssociationRegistry } from '#shared/ports/associations';

/** Two years as 730 days of 24 hours from the closing of the abolishing case, both ends included. */
export const recurrenceWindowDays = 730;
const windowMs = recurrenceWindowDays * 86_400_000;

/** A fee as a family of associations charges it: the family's head, the category, the normalized name. */
export interface FamilyFee {
  family: string;
  category: FeeCategory;
  feeName: string;
}

export interface AbolishedFee extends FamilyFee {
  creditCode: string;
  caseId: string;
  closedAt: string;
}

export interface ChargedFee extends FamilyFee {
  creditCode: string;
  caseId: string;
  openedAt: string;
}

export interface Recurrence {
  charged: ChargedFee;
  abolished: AbolishedFee;
  kind: 'SAME_ASSOCIATION' | 'OTHER_BRANCH';
}

/** The window from an abolition (`from`) or before a charge (`to`), as ISO times. */
export const windowAfter = (closedAt: string) => new Date(Date.parse(closedAt) + windowMs).toISOString();
export const windowBefore = (openedAt: string) => new Date(Date.parse(openedAt) - windowMs).toISOString();

/** Whether a case opened at `charged` charges again the fee `abolished` closed. */
export const isRecurrence = (abolished: AbolishedFee, charged: ChargedFee): boolean => {
  if (abolished.caseId === charged.caseId) return false;
  const since = Date.parse(charged.openedAt) - Date.parse(abolished.closedAt);
  return since >= 0 && since <= windowMs;
};

/**
 * The recurrences a charge makes: at most one of each kind, each against the latest abolition of its
 * kind the charge follows. Whether a case follows its own association's abolition, another branch's,
 * or both, does not depend on the order abolitions are recorded in.
 */
export const recurrencesOf = (charged: ChargedFee, abolitions: readonly AbolishedFee[]): Recurrence[] => {
  const latest = (kind: Recurrence['kind']) =>
    abolitions
      .filter((abolished) => isRecurrence(abolished, charged))
      .filter((abolished) => (abolished.creditCode === charged.creditCode) === (kind === 'SAME_ASSOCIATION'))
      .sort((a, b) => b.closedAt.localeCompare(a.closedAt))[0];
  return (['SAME_ASSOCIATION', 'OTHER_BRANCH'] as const).flatMap((kind) => {
    const abolished = latest(kind);
    return abolished ? [{ charged, abolished, kind }] : [];
  });
};

export interface RepeatOffenceStore {
  /** Records the abolition, then answers the charges of the same family fee recorded so far (read after the write). */
  recordAbolition(abolished: AbolishedFee): Promise<ChargedFee[]>;
  /** Records the charge, then answers the abolitions of the same family fee within the window before it. */
  recordCharge(charged: ChargedFee): Promise<AbolishedFee[]>;
  /**
   * Counts the charging case once as a recurrence (for the charging association and its family's
   * head), and once per kind: another recurrence of the same case adds only its kind, if new.
   */
  countRecurrence(recurrence: Recurrence): Promise<'counted' | 'duplicate'>;
  /**
   * Keeps what the register says of the association beside its figures (`onlyIfCounted`: only when it
   * has figures already); a copy older than the one kept changes nothing.
   */
  describe(profile: AssociationProfile, options?: { onlyIfCounted?: boolean }): Promise<void>;
}

const caseOf = (item: ItemChange['after']): FeeCase | undefined =>
  item?.kind === 'case' ? item.feeCase : undefined;

/**
 * What a change records: a case charging a fee (opened, or given its association's credit code after
 * it opened), and a case closing with its fee abolished.
 */
const offencesOf = (change: ItemChange) => {
  const before = caseOf(change.before);
  const after = caseOf(change.after);
  return {
    after,
    charged: after !== undefined && before?.association.creditCode !== after.association.creditCode,
    abolished:
      after?.outcome === 'ABOLISHED' && after.closedAt !== undefined && before?.outcome !== 'ABOLISHED',
  };
};

/**
 * Records the changes' charges and abolitions and counts the recurrences they make. Every step can be
 * repeated (records are put by case, a recurrence by its charging case), so a redelivered or retried
 * change counts nothing twice. Answers the changes that failed: they, and every change after the
 * first of them, are left for the retry.
 */
export const recordRepeatOffences = async (
  ports: { offences: RepeatOffenceStore; registry: AssociationRegistry },
  changes: readonly ItemChange[],
  onFailure?: (changeId: string, error: unknown) => void,
): Promise<string[]> => {
  const profiles = new Map<string, Promise<AssociationProfile | undefined>>();
  /**
   * The association as the register lists it, else as its case (`feeCase`) names it, kept beside its
   * figures; nothing for a family head the register does not list.
   */
  const profileOf = (creditCode: string, feeCase?: FeeCase) => {
    let profile = profiles.get(creditCode);
    if (!profile) {
      profile = ports.registry.get(creditCode).then(async (registered) => {
        const described: AssociationProfile | undefined = registered
          ? profileOfEntry(registered)
          : feeCase && {
              creditCode,
              name: feeCase.association.name,
              province: feeCase.province,
              registered: false,
            };
        if (described) await ports.offences.describe(described);
        return described;
      });
      // A failed look-up is asked again on the retry, not remembered.
      profile.catch(() => profiles.delete(creditCode));
      profiles.set(creditCode, profile);
    }
    return profile;
  };

  const record = async (change: ItemChange) => {
    // A re-import changed the register: the figures' copy follows, for associations that have figures.
    if (change.after?.kind === 'association') {
      await ports.offences.describe(profileOfEntry(change.after.association), { onlyIfCounted: true });
      return;
    }
    const { after, charged, abolished } = offencesOf(change);
    const creditCode = after?.association.creditCode;
    if (!after || !creditCode) return;
    const profile = await profileOf(creditCode, after);
    // Branches cannot have branches of their own (社会团体分支机构管理规定), so the parent heads the family.
    const family = profile?.parentCreditCode ?? creditCode;
    const count = async (recurrences: Recurrence[]) => {
      // The head is described too, so the family's recurrences rank under its name before it has cases.
      if (recurrences.length > 0 && family !== creditCode) await profileOf(family);
      for (const recurrence of recurrences) await ports.offences.countRecurrence(recurrence);
    };
    const fee: FamilyFee = {
      family,
      category: after.fee.category,
      feeName: normalizeFeeName(after.fee.name),
    };
    if (charged) {
      const charge: ChargedFee = { ...fee, creditCode, caseId: after.caseId, openedAt: after.openedAt };
      await count(recurrencesOf(charge, await ports.offences.recordCharge(charge)));
    }
    if (abolished && after.closedAt) {
      const abolition: AbolishedFee = { ...fee, creditCode, caseId: after.caseId, closedAt: after.closedAt };
      for (const charge of await ports.offences.recordAbolition(abolition))
        await count(recurrencesOf(charge, [abolition]));
    }
  };

  const failed: string[] = [];
  for (const change of changes) {
    if (failed.length > 0) {
      failed.push(change.changeId);
      continue;
    }
    try {
      await record(change);
    } catch (error) {
      onFailure?.(change.changeId, error);
      failed.push(change.changeId);
    }
  }
  return failed;
};
