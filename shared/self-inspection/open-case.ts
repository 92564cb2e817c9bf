/**
 * The one place a self-inspection opens a fee case: a suspect declared fee becomes a case of origin
 * SELF_INSPECTION, keyed by the fee-case key so that a later complaint about the same fee joins it, and
 * its workflow is started as intake starts a complaint's. No complaint, no complainant.
 *
 * Exactly once under retries: the case id is derived from the declaration version and the fee, the
 * case is put only if absent, and the fee's pointer only if no other case of the fee is open.
 */
import { hash } from 'node:crypto';
import type { RegisteredAssociation } from '#shared/domain/association';
import { genesisHash } from '#shared/domain/case-event';
import { ThrottledError } from '#shared/domain/errors';
import type { FeeCase } from '#shared/domain/fee-case';
import { feeCaseKey } from '#shared/domain/fee-identity';
import { type DeclaredFeeInput, declaredCaseFee, declaredFacts } from '#shared/domain/self-inspection';
import type { FeeCaseWorkflow } from '#shared/ports/workflow';
import type { SelfInspectionCases } from '#shared/self-inspection/ports';

export interface OpenCaseDeps {
  cases: SelfInspectionCases;
  workflow?: FeeCaseWorkflow;
  onCaseStartFailed?: (caseId: string, error: unknown) => void;
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
  const at = suspect.declaredAt.toISOString();
  return {
    caseId,
    feeKey,
    association: {
      name: association.name,
      creditCode: association.creditCode,
      province: association.province,
    },
    fee: declaredCaseFee(fee, suspect.declaredAt),
    province: association.province,
    stage: 'RECEIVED',
    flags: [],
    complaintCount: 0,
    enterpriseCount: 0,
    // Nobody claimed anything: figures count what complainants claimed, and no one complained.
    claimedFen: 0,
    refundedFen: 0,
    reducedAnnualFen: 0,
    openedAt: at,
    updatedAt: at,
    ...(previousCaseId ? { previousCaseId } : {}),
    origin: 'SELF_INSPECTION',
    declaration: { year, version, facts: declaredFacts(fee) },
    version: 1,
    eventSeq: 0,
    lastEventHash: genesisHash,
  };
};

/**
 * The case the suspect fee is handled in: the fee's open case if it has one (a complaint or an earlier
 * declaration opened it), else a new one, started in the fee-case workflow.
 */
export const openSelfInspectionCase = async (deps: OpenCaseDeps, suspect: SuspectFee): Promise<string> => {
  const { association, fee, year, version } = suspect;
  const feeKey = feeCaseKey({ association, fee });
  const caseId = selfInspectionCaseId(association.creditCode, year, version, feeKey);
  for (let attempt = 0; attempt < 5; attempt++) {
    const pointer = await deps.cases.feePointer(feeKey);
    if (pointer.open) {
      // Ours from an earlier attempt, or another case of the fee: either way it goes on there.
      if (pointer.caseId === caseId) await start(deps, caseId);
      return pointer.caseId;
    }
    const opened = await deps.cases.open(newCase(suspect, caseId, feeKey, pointer.previousCaseId), {
      type: 'CASE_OPENED',
      actor: { role: 'association' },
      stage: 'RECEIVED',
      data: { origin: 'SELF_INSPECTION', year, version },
    });
    if (opened !== 'fee-moved') {
      await start(deps, caseId);
      return caseId;
    }
  }
  throw new ThrottledError('Cases about this fee kept opening and closing meanwhile; please retry');
};

const start = async (deps: OpenCaseDeps, caseId: string) => {
  if (!deps.workflow) return;
  try {
    await deps.workflow.start(caseId);
  } catch (error) {
    // The case is stored; the start-up sweep (local) or redrive (AWS) starts it later, as for intake.
    deps.onCaseStartFailed?.(caseId, error);
  }
};
