/**
 * Filing a complaint: validate, deduplicate into the open case for the same fee (or open one), and
 * record everything in one transaction. An enterprise that already complained about the open case
 * adds information to its earlier complaint and counts once. Concurrent filings about one fee race on
 * the case version; the loser re-reads and tries again, so every accepted complaint lands exactly once.
 */
import { randomUUID } from 'node:crypto';
import { type CaseEventDraft, contentHash, genesisHash } from '#shared/domain/case-event';
import { ComplaintInput } from '#shared/domain/complaint';
import { IdempotencyKeyReusedError, ThrottledError } from '#shared/domain/errors';
import type { FeeCase } from '#shared/domain/fee-case';
import { associationProvince, feeCaseKey } from '#shared/domain/fee-identity';
import { type HandlingOffice, handlingOffice, type OfficeLanguage } from '#shared/domain/handling-office';
import { decisionWorkingDays } from '#shared/domain/progress';
import { formatReference, type ReferenceSeries, referenceSeries } from '#shared/domain/reference';
import * as z from '#shared/domain/schema';
import { parseWith } from '#shared/domain/validation';
import { planAttachment } from '#shared/evidence/attach';
import type {
  CaseChange,
  FeeStanding,
  IntakeReceipt,
  IntakeStore,
  StoredReceipt,
} from '#shared/file-complaint/ports';
import type { RegisteredNames } from '#shared/ports/associations';
import type { CalendarStore } from '#shared/ports/calendar';
import type { ContactSealer } from '#shared/ports/complaints';
import type { EvidenceUploads } from '#shared/ports/evidence';
import type { FeeCaseWorkflow } from '#shared/ports/workflow';
import { registeredIdentity } from '#shared/registry/registered-identity';
import { classifyFee } from '#shared/rulebook/evaluate';

export const IdempotencyKey = z
  .string()
  .check(
    z.regex(/^[A-Za-z0-9._:-]{1,200}$/, 'use 1-200 letters, digits, dots, dashes, colons or underscores'),
  );

const IdempotencyHeader = z.object({ 'Idempotency-Key': IdempotencyKey });

export interface FileComplaintDeps {
  store: IntakeStore;
  sealer: ContactSealer;
  /** The working-day calendar the decision's due date counts by, fixed once at filing. */
  calendar: CalendarStore;
  /** Reads the uploads a complaint names, to refuse one that may not be named with a clear reason. */
  uploads: Pick<EvidenceUploads, 'getMany'>;
  workflow?: FeeCaseWorkflow;
  /** The register's names: a complaint naming a registered association without its code gets the code. */
  registry?: RegisteredNames;
  now?: () => Date;
  newId?: () => string;
  /** How often a filing that lost a race re-reads and tries again before answering 429. */
  maxAttempts?: number;
  /**
   * How long it keeps trying (default: as many attempts as `maxAttempts`); a handler sets it well
   * inside its function's timeout, so the client hears 429 and retries, never a timeout.
   */
  retryBudgetMs?: number;
  onCaseStartFailed?: (caseId: string, error: unknown) => void;
}

export interface FileComplaintCommand {
  enterpriseCreditCode: string;
  /** The enterprise account filing: it owns the complaint, its receipts and its place on the case. */
  enterpriseId: string;
  /** The signed-in complainant: the uploads it names must be its own. */
  subject: string;
  body: unknown;
  idempotencyKey?: string | undefined;
  /** The language the handling office is named in; a replay names it in the replaying caller's. */
  language?: OfficeLanguage;
}

/** What the complainant is told: the receipt, its handling office named in the caller's language. */
export type IntakeAnswer = Omit<IntakeReceipt, 'handlingOffice'> & { handlingOffice?: HandlingOffice };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Field by field, so that a first answer and its replay (read back from the table) read alike. */
const answer = (receipt: IntakeReceipt, language: OfficeLanguage): IntakeAnswer => ({
  complaintId: receipt.complaintId,
  ...(receipt.reference ? { reference: receipt.reference } : {}),
  caseId: receipt.caseId,
  status: receipt.status,
  joinedExistingCase: receipt.joinedExistingCase,
  ...(receipt.repeatOf
    ? {
        repeatOf: {
          complaintId: receipt.repeatOf.complaintId,
          ...(receipt.repeatOf.reference ? { reference: receipt.repeatOf.reference } : {}),
        },
      }
    : {}),
  ...(receipt.handlingOffice
    ? {
        handlingOffice: handlingOffice(
          receipt.handlingOffice.agency,
          receipt.handlingOffice.province,
          language,
        ),
      }
    : {}),
  ...(receipt.decisionDueAt ? { decisionDueAt: receipt.decisionDueAt } : {}),
});

const replay = (stored: StoredReceipt, requestHash: string, language: OfficeLanguage): IntakeAnswer => {
  if (stored.requestHash !== requestHash) {
    throw new IdempotencyKeyReusedError('This Idempotency-Key was already used with a different complaint');
  }
  return answer(stored.receipt, language);
};

/**
 * The filing's references, drawn once and kept across its attempts: the complaint's, and the case's
 * as soon as an attempt opens one. A number drawn for an attempt that then joins a case is left unused.
 */
const referenceDrawer = (store: IntakeStore, series: ReferenceSeries) => {
  let complaint: string | undefined;
  let feeCase: string | undefined;
  return async (opensCase: boolean): Promise<{ complaint: string; feeCase?: string }> => {
    const wanted = (complaint ? 0 : 1) + (opensCase && !feeCase ? 1 : 0);
    if (wanted > 0) {
      const last = await store.drawReferences(series, wanted);
      complaint ??= formatReference(series, last - wanted + 1);
      if (opensCase) feeCase ??= formatReference(series, last);
    }
    return { complaint: complaint as string, ...(opensCase && feeCase ? { feeCase } : {}) };
  };
};

/**
 * How a filing enters the audit trail: it opens the case, joins it, or adds to the enterprise's earlier
 * complaint. It carries what the receipt promised (office and decision date), so the notice says the same.
 */
const intakeEvent = (
  standing: FeeStanding,
  complaintId: string,
  amountFen: number,
  promised: Required<Pick<IntakeReceipt, 'handlingOffice' | 'decisionDueAt'>>,
  fileIds: readonly string[],
): CaseEventDraft => {
  const actor = { role: 'enterprise' };
  // Files by id only: a file's name may say who complains.
  const filed = { complaintId, amountFen, ...promised, ...(fileIds.length > 0 ? { fileIds } : {}) };
  if (standing.kind === 'none')
    return {
      type: 'CASE_OPENED',
      actor,
      stage: 'RECEIVED',
      data: { ...filed, previousCaseId: standing.previousCaseId },
    };
  if (standing.earlierComplaint)
    return {
      type: 'INFORMATION_ADDED',
      actor,
      data: { ...filed, repeatOf: standing.earlierComplaint.complaintId },
    };
  return { type: 'COMPLAINT_JOINED', actor, data: filed };
};

export const fileComplaint = async (
  deps: FileComplaintDeps,
  command: FileComplaintCommand,
): Promise<IntakeAnswer> => {
  const input = parseWith(ComplaintInput, command.body, 'complaint');
  const suppliedKey =
    command.idempotencyKey === undefined
      ? undefined
      : parseWith(IdempotencyHeader, { 'Idempotency-Key': command.idempotencyKey }, 'headers')[
          'Idempotency-Key'
        ];
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const enterprise = command.enterpriseId;
  const requestHash = contentHash(input);
  // Without a key, the same enterprise sending the same complaint again is a retry, not a new complaint.
  const key = suppliedKey ?? `content:${requestHash}`;

  const startWorkflow = async (receipt: IntakeReceipt) => {
    if (receipt.joinedExistingCase || !deps.workflow) return;
    try {
      await deps.workflow.start(receipt.caseId);
    } catch (error) {
      // The case is stored; the start-up sweep (local) or redrive (AWS) starts it later.
      deps.onCaseStartFailed?.(receipt.caseId, error);
    }
  };

  const language = command.language ?? 'zh-CN';
  const earlier = await deps.store.findReceipt(enterprise, key);
  if (earlier) {
    const receipt = replay(earlier, requestHash, language);
    await startWorkflow(receipt);
    return receipt;
  }

  const complaintId = newId();
  const sealedContact = await deps.sealer.seal(input.contact, complaintId);
  // A registered association named without its code gets it, so the complaint joins the coded case.
  const registered = await registeredIdentity(deps.registry, input.association);
  const feeKey = feeCaseKey({ association: registered, fee: input.fee });
  const association = { ...registered, province: associationProvince(registered) };
  const maxAttempts = deps.maxAttempts ?? 60;
  const giveUpAt = Date.now() + (deps.retryBudgetMs ?? Number.POSITIVE_INFINITY);
  const drawReferences = referenceDrawer(deps.store, referenceSeries(now(), association.province));
  const suggestedAgency = classifyFee(input).agency;
  const calendar = await deps.calendar.calendar();
  const fileIds = input.attachments ?? [];
  const named = fileIds.length > 0 ? await deps.uploads.getMany(fileIds) : new Map();

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const standing: FeeStanding = await deps.store.findFeeStanding(feeKey, enterprise);
    const filedAt = now();
    const at = filedAt.toISOString();
    const caseId = standing.kind === 'open' ? standing.caseId : newId();
    const repeatOf = standing.kind === 'open' ? standing.earlierComplaint : undefined;
    const references = await drawReferences(standing.kind !== 'open');
    const promised = {
      // An open case keeps the office it is with (routed, or transferred); a new one goes where the
      // rulebook suggests, in the association's province.
      handlingOffice:
        standing.kind === 'open'
          ? { agency: standing.agency ?? suggestedAgency, province: standing.province }
          : { agency: suggestedAgency, province: association.province },
      // Counted from the filing as stored, once: the receipt, the notice and the progress all say this date.
      decisionDueAt: calendar.dueAt(filedAt, decisionWorkingDays),
    };
    const receipt: IntakeReceipt = {
      complaintId,
      reference: references.complaint,
      caseId,
      status: 'RECEIVED',
      joinedExistingCase: standing.kind === 'open',
      ...(repeatOf ? { repeatOf } : {}),
      ...promised,
    };
    // A repeat filing keeps its files too: they add information to the enterprise's complaint.
    const evidence =
      fileIds.length > 0
        ? planAttachment(named, {
            uploadIds: fileIds,
            owner: command.subject,
            party: 'ENTERPRISE',
            purpose: 'COMPLAINT',
            target: { kind: 'COMPLAINT', complaintId, caseId },
          })
        : undefined;
    let caseChange: CaseChange;
    if (standing.kind === 'open') {
      const append = {
        caseId,
        expectedVersion: standing.version,
        updatedAt: at,
        chainHead: { eventSeq: standing.eventSeq, lastEventHash: standing.lastEventHash },
      };
      // An enterprise counts once per case: its repeat moves no count, and the case keeps the amount
      // the enterprise claimed first (the repeat's own figure stays on the repeat), so refiling can
      // never raise the campaign's figures.
      caseChange = repeatOf
        ? { ...append, kind: 'add-information' }
        : { ...append, kind: 'join', amountFen: input.fee.amountFen };
    } else {
      const feeCase: FeeCase = {
        caseId,
        ...(references.feeCase ? { reference: references.feeCase } : {}),
        feeKey,
        association,
        fee: input.fee,
        province: association.province,
        stage: 'RECEIVED',
        flags: [],
        complaintCount: 1,
        enterpriseCount: 1,
        claimedFen: input.fee.amountFen,
        refundedFen: 0,
        reducedAnnualFen: 0,
        openedAt: at,
        updatedAt: at,
        ...(standing.previousCaseId ? { previousCaseId: standing.previousCaseId } : {}),
        version: 1,
        eventSeq: 0,
        lastEventHash: genesisHash,
      };
      caseChange = { kind: 'open', feeCase };
    }

    const outcome = await deps.store.record({
      complaint: {
        complaintId,
        reference: references.complaint,
        caseId,
        enterpriseCreditCode: command.enterpriseCreditCode,
        enterpriseId: enterprise,
        association,
        fee: input.fee,
        facts: input.facts,
        description: input.description,
        sealedContact,
        discloseIdentityToAssociation: input.discloseIdentityToAssociation,
        filedAt: at,
        decisionDueAt: promised.decisionDueAt,
        ...(repeatOf ? { repeatOf } : {}),
        ...(evidence ? { attachments: evidence.records } : {}),
      },
      idempotency: { key, requestHash, receipt },
      caseChange,
      event: intakeEvent(standing, complaintId, input.fee.amountFen, promised, fileIds),
      ...(evidence ? { evidence } : {}),
    });
    if (outcome === 'recorded') {
      await startWorkflow(receipt);
      return answer(receipt, language);
    }
    if (outcome === 'receipt-exists') {
      const stored = await deps.store.findReceipt(enterprise, key);
      if (stored) return replay(stored, requestHash, language);
    }
    // Someone else moved the case first: back off (exponentially, with jitter), re-read, try again.
    const delay = Math.random() * Math.min(1_000, 10 * 2 ** attempt);
    if (Date.now() + delay >= giveUpAt) break;
    await sleep(delay);
  }
  throw new ThrottledError(
    'Many complaints about this fee are arriving at once; please retry (repeating the request is safe)',
  );
};
