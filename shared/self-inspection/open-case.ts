/**
 * The one place a self-inspection opens a fee case: a suspect declared fee becomes a case of origin
 * SELF_INSPECTION, keyed by the fee-case key so that a later complaint about the same fee joins it. It
 * opens as intake opens a complaint's case (`openedCase`, then the opening items in one write); the
 * case journal links the opening event and starts the workflow from the stream. No complaint, no
 * complainant.
 *
 * Exactly once under retries: the case id is derived from the declaration version and the fee, the
 * case is put only if absent, and the fee's pointer only if no other case of the fee is open.
 */
import { hash } from 'node:crypto';
import type { RegisteredAssociation } from '#shared/domain/association';
import { openedCase } from '#shared/domain/case-opening';
import { ThrottledError } from '#shared/domain/errors';
import type { FeeCase } from '#shared/domain/fee-case';
import { feeCaseKey } from '#shared/domain/fee-identity';
import { type DeclaredFeeInput, declaredCaseFee, declaredFacts } from '#shared/domain/self-inspection';
import type { SelfInspectionCases } from '#shared/self-inspection/ports';

export interface OpenCaseDeps {
  cases: SelfInspectionCases;
}

export interface SuspectFee {
  association: RegisteredAssociation;
  fee: DeclaredFeeInput;
  year: number;
  version: number;
  declaredAt: Date;
}

/** `si-` and a hash of the association, year, version and fee key: the same on every retry. */
export const selfInspectionCaseId = (creditCode: string, year: number, version: number, feeKey: string) =>
  `si-${hash('sha256', `${creditCode}|${year}|${version}|${feeKey}`, 'hex').slice(0, 32)}`;

const newCase = (suspect: SuspectFee, caseId: string, feeKey: string, previousCaseId?: string): FeeCase => {
  const { association, fee, year, version } = suspect;
  return {
    ...openedCase({
      caseId,
      feeKey,
      association: {
        name: association.name,
        creditCode: association.creditCode,
        province: association.province,
      },
      fee: declaredCaseFee(fee, suspect.declaredAt),
      at: suspect.declaredAt.toISOString(),
      previousCaseId,
      // Nobody claimed anything: figures count what complainants claimed, and no one complained.
      openedByComplaint: false,
    }),
    origin: 'SELF_INSPECTION',
    declaration: { year, version, facts: declaredFacts(fee) },
  };
};

/**
 * The case the suspect fee is handled in: the fee's open case if it has one (a complaint or an earlier
 * declaration opened it), else a new one.
 */
export const openSelfInspectionCase = async (deps: OpenCaseDeps, suspect: SuspectFee): Promise<string> => {
  const { association, fee, year, version } = suspect;
  const feeKey = feeCaseKey({ association, fee });
  const caseId = selfInspectionCaseId(association.creditCode, year, version, feeKey);
  for (let attempt = 0; attempt < 5; attempt++) {
    const pointer = await deps.cases.feePointer(feeKey);
    // Ours from an earlier attempt, or another case of the fee: either way it goes on there.
    if (pointer.open) return pointer.caseId;
    const opened = await deps.cases.open(newCase(suspect, caseId, feeKey, pointer.previousCaseId), {
      type: 'CASE_OPENED',
      actor: { role: 'association' },
      stage: 'RECEIVED',
      data: { origin: 'SELF_INSPECTION', year, version },
    });
    if (opened !== 'fee-moved') return caseId;
  }
  throw new ThrottledError('Cases about this fee kept opening and closing meanwhile; please retry');
};
