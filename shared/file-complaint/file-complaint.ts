/**
 * Filing a complaint: validate, deduplicate into the open case for the same fee (or open one), and
 * record everything in one transaction. An enterprise that already complained about the open case
 * adds information to its earlier complaint and counts once. A filing never writes an existing case
 * item: it writes its complaint, the account's marker on the case and a pending event, and the case
 * journal (a stream consumer) links the event into the case's chain and moves the counts, once. So
 * complaints about one fee do not contend (docs/hot-fee.md). Reads are folded into the write's
 * conditions: the receipt, the account's earlier complaint and the fee's pointer are read only when a
 * condition says so (a fee this process has not seen with a case is written as the fee's first case,
 * unread; one seen with a case lately is read first; one seen open a moment ago is joined at once),
 * and the workflow of a new case is started from the stream, not here.
 */
import { randomUUID } from 'node:crypto';
import { type CaseEventDraft, contentHash } from '#shared/domain/case-event';
import { openedCase } from '#shared/domain/case-opening';
import { ComplaintInput, decisionWorkingDays } from '#shared/domain/complaint';
import { ConflictError, IdempotencyKeyReusedError, ThrottledError } from '#shared/domain/errors';
import { associationProvince, feeCaseKey } from '#shared/domain/fee-identity';
import { type HandlingOffice, handlingOffice, type OfficeLanguage } from '#shared/domain/handling-office';
import { formatReference, type ReferenceSeries, referenceSeries } from '#shared/domain/reference';
import * as z from '#shared/domain/schema';
import { parseWith } from '#shared/domain/validation';
import { type EvidenceAttachment, planAttachment } from '#shared/evidence/attach';
import type {
  CaseChange,
  FeeStanding,
  FeeStandingMemory,
  IntakeReceipt,
  IntakeStore,
  StoredReceipt,
} from '#shared/file-complaint/ports';
import type { RegisteredNames } from '#shared/ports/associations';
import type { CalendarStore } from '#shared/ports/calendar';
import type { ContactSealer, EarlierComplaint } from '#shared/ports/complaints';
import type { EvidenceUploads } from '#shared/ports/evidence';
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
  /** The register's names: a complaint naming a registered association without its code gets the code. */
  registry?: RegisteredNames;
  /** What this process saw of fees lately: a rush on one fee joins its case in one write. */
  standings?: FeeStandingMemory;
  now?: () => Date;
  newId?: () => string;
  /**
   * How often a filing writes (a first write finding the fee's case, a fee that moved meanwhile: each
   * is tried again) before 429.
   */
  maxAttempts?: number;
  /**
   * How long it keeps trying (default: as many attempts as `maxAttempts`); a handler sets it well
   * inside its function's timeout, so the client hears 429 and retries, never a timeout.
   */
  retryBudgetMs?: number;
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
  const drawn = new Map<'complaint' | 'feeCase', string>();
  return async (what: 'complaint' | 'feeCase'): Promise<string> => {
    let reference = drawn.get(what);
    if (!reference) {
      reference = formatReference(series, await store.drawReference(series));
      drawn.set(what, reference);
    }
    return reference;
  };
};

/**
 * How a filing enters the audit trail: it opens the case, joins it, or adds to the enterprise's earlier
 * complaint. It carries what the receipt promised (office and decision date), so the notice says the same.
 */
const intakeEvent = (
  change: CaseChange,
  complaintId: string,
  amountFen: number,
  promised: Required<Pick<IntakeReceipt, 'handlingOffice' | 'decisionDueAt'>>,
  fileIds: readonly string[],
  repeatOf: EarlierComplaint | undefined,
): CaseEventDraft => {
  const actor = { role: 'enterprise' };
  // Files by id only: a file's name may say who complains.
  const filed = { complaintId, amountFen, ...promised, ...(fileIds.length > 0 ? { fileIds } : {}) };
  switch (change.kind) {
    case 'open':
      return {
        type: 'CASE_OPENED',
        actor,
        stage: 'RECEIVED',
        data: { ...filed, previousCaseId: change.feeCase.previousCaseId },
      };
    case 'add-information':
      return { type: 'INFORMATION_ADDED', actor, data: { ...filed, repeatOf: repeatOf?.complaintId } };
    case 'join':
      return { type: 'COMPLAINT_JOINED', actor, data: filed };
  }
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
  // Without a key, the same enterprise sending the same complaint again within the receipt's 24 hours
  // is a retry, not a new complaint.
  const key = suppliedKey ?? `content:${requestHash}`;

  const language = command.language ?? 'zh-CN';
  const complaintId = newId();
  // A registered association named without its code gets it, so the complaint joins the coded case.
  const registered = await registeredIdentity(deps.registry, input.association);
  const feeKey = feeCaseKey({ association: registered, fee: input.fee });
  const association = { ...registered, province: associationProvince(registered) };
  const maxAttempts = deps.maxAttempts ?? 60;
  const giveUpAt = Date.now() + (deps.retryBudgetMs ?? Number.POSITIVE_INFINITY);
  const drawReference = referenceDrawer(deps.store, referenceSeries(now(), association.province));
  const suggestedAgency = classifyFee(input).agency;
  const fileIds = input.attachments ?? [];
  const readStanding = async () => {
    const read = await deps.store.findFeeStanding(feeKey);
    deps.standings?.keep(feeKey, read);
    return read;
  };
  // Independent of each other, and usually answered in process.
  const [sealedContact, calendar, named] = await Promise.all([
    deps.sealer.seal(input.contact, complaintId),
    deps.calendar.calendar(),
    fileIds.length > 0 ? deps.uploads.getMany(fileIds) : new Map(),
  ]);
  /**
   * Where the fee stands, once read or recalled; unread, the filing opens the fee's first case. Recalled
   * just before writing, so that an open case trusted is at most that moment old; the pointer is read
   * first when this process saw the fee with a case lately (a first write would fail on it).
   */
  let standing: FeeStanding | undefined =
    deps.standings?.recallOpen(feeKey) ??
    (deps.standings?.hadCase(feeKey) ? await readStanding() : undefined);
  /** The account's complaint on the case, once a join found the account had complained before. */
  let earlier: { caseId: string; complaint: EarlierComplaint } | undefined;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const filedAt = now();
    const at = filedAt.toISOString();
    const firstOfFee = standing === undefined;
    const fee: FeeStanding = standing ?? { kind: 'none' };
    const caseId = fee.kind === 'open' ? fee.caseId : newId();
    const repeatOf = fee.kind === 'open' && earlier?.caseId === caseId ? earlier.complaint : undefined;
    const reference = await drawReference('complaint');
    const promised = {
      // An open case keeps the office it is with (routed, or transferred); a new one goes where the
      // rulebook suggests, in the association's province.
      handlingOffice:
        fee.kind === 'open'
          ? { agency: fee.agency ?? suggestedAgency, province: fee.province }
          : { agency: suggestedAgency, province: association.province },
      // Counted from the filing as stored, once: the receipt, the notice and the progress all say this date.
      decisionDueAt: calendar.dueAt(filedAt, decisionWorkingDays),
    };
    const receipt: IntakeReceipt = {
      complaintId,
      reference,
      caseId,
      status: 'RECEIVED',
      joinedExistingCase: fee.kind === 'open',
      ...(repeatOf ? { repeatOf } : {}),
      ...promised,
    };
    // A repeat filing keeps its files too: they add information to the enterprise's complaint.
    let evidence: EvidenceAttachment | undefined;
    try {
      evidence =
        fileIds.length > 0
          ? planAttachment(named, {
              uploadIds: fileIds,
              owner: command.subject,
              party: 'ENTERPRISE',
              purpose: 'COMPLAINT',
              target: { kind: 'COMPLAINT', complaintId, caseId },
            })
          : undefined;
    } catch (error) {
      // Files attached already may be this very request's, recorded before: then it is a replay.
      const stored =
        error instanceof ConflictError ? await deps.store.findReceipt(enterprise, key, filedAt) : undefined;
      if (stored) return replay(stored, requestHash, language);
      throw error;
    }
    // An enterprise counts once per case: its repeat moves no count, and the case keeps the amount
    // the enterprise claimed first (the repeat's own figure stays on the repeat), so refiling can
    // never raise the campaign's figures.
    const caseChange: CaseChange =
      fee.kind === 'none'
        ? {
            kind: 'open',
            firstOfFee,
            feeCase: openedCase({
              caseId,
              reference: await drawReference('feeCase'),
              feeKey,
              association,
              fee: input.fee,
              at,
              previousCaseId: fee.previousCaseId,
              openedByComplaint: true,
            }),
          }
        : repeatOf
          ? { kind: 'add-information', caseId }
          : { kind: 'join', caseId, amountFen: input.fee.amountFen };

    const outcome = await deps.store.record({
      complaint: {
        complaintId,
        reference,
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
      event: intakeEvent(caseChange, complaintId, input.fee.amountFen, promised, fileIds, repeatOf),
      ...(evidence ? { evidence } : {}),
    });
    switch (outcome) {
      case 'recorded':
        // The next filings about this fee here join the case this one opened, without a failing write.
        if (caseChange.kind === 'open') {
          const { agency, province } = caseChange.feeCase;
          deps.standings?.keep(feeKey, { kind: 'open', caseId, ...(agency ? { agency } : {}), province });
        }
        return answer(receipt, language);
      case 'receipt-exists': {
        const stored = await deps.store.findReceipt(enterprise, key, filedAt);
        if (stored) return replay(stored, requestHash, language);
        break;
      }
      case 'already-complained': {
        const complaint = await deps.store.findEarlierComplaint(caseId, enterprise);
        if (complaint) {
          earlier = { caseId, complaint };
          continue;
        }
        break;
      }
      case 'fee-moved':
        break;
    }
    // The fee has a case after all, or it moved (a concurrent first filing opened its case, or the
    // case closed): read where it stands and try again; at once after a first write, otherwise after
    // backing off a little (exponentially, with jitter).
    const delay = firstOfFee ? 0 : Math.random() * Math.min(1_000, 10 * 2 ** attempt);
    if (Date.now() + delay >= giveUpAt) break;
    if (delay > 0) await sleep(delay);
    standing = await readStanding();
  }
  throw new ThrottledError(
    'Many complaints about this fee are arriving at once; please retry (repeating the request is safe)',
  );
};
