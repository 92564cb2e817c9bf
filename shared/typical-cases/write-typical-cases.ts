/**
 * Campaign admins write typical cases (典型案例) about closed cases and publish them. Every text meant
 * for the public is screened for the complainants of its cases (names, contacts, enterprises' credit
 * codes) when it is written and again when it is published; a text that names one is refused and
 * nothing is stored. The rules: docs/associations.md, "Typical cases".
 */
import { hash } from 'node:crypto';
import { canonicalJson } from '#shared/domain/case-event';
import {
  type ComplainantIdentifiers,
  findComplainantIdentifier,
} from '#shared/domain/complainant-identifiers';
import { ConflictError, NotFoundError, ValidationError } from '#shared/domain/errors';
import type { FeeCase } from '#shared/domain/fee-case';
import type { Principal } from '#shared/domain/principal';
import { parseWith } from '#shared/domain/validation';
import type { ComplaintReads, ContactSealer } from '#shared/ports/complaints';
import {
  type TypicalCaseFacts,
  TypicalCaseInput,
  TypicalCasesQuery,
  type TypicalCaseView,
} from '#shared/typical-cases/messages';
import type { TypicalCase, TypicalCaseStore } from '#shared/typical-cases/ports';

export interface TypicalCaseDeps {
  reads: Pick<ComplaintReads, 'getCases' | 'listEvents' | 'getComplaint'>;
  sealer: Pick<ContactSealer, 'open'>;
  store: TypicalCaseStore;
  now?: () => Date;
}

type Author = Extract<Principal, { role: 'campaign-admin' }>;

const notFound = () => new NotFoundError('No such typical case');

/** The public facts of a closed case: what the open-data export publishes of it too. */
const factsOf = (feeCase: FeeCase): TypicalCaseFacts => ({
  caseId: feeCase.caseId,
  ...(feeCase.reference ? { reference: feeCase.reference } : {}),
  association: feeCase.association,
  fee: { name: feeCase.fee.name, category: feeCase.fee.category, amountFen: feeCase.fee.amountFen },
  outcome: feeCase.outcome ?? 'DISMISSED',
  closedAt: feeCase.closedAt ?? feeCase.updatedAt,
  refundedFen: feeCase.refundedFen,
  reducedAnnualFen: feeCase.reducedAnnualFen,
});

/** The named cases, every one of them closed (an unknown one: 404; one still open: 409). */
const closedCases = async (deps: TypicalCaseDeps, caseIds: readonly string[]): Promise<FeeCase[]> => {
  const found = await deps.reads.getCases(caseIds);
  return caseIds.map((caseId) => {
    const feeCase = found.get(caseId);
    if (!feeCase) throw new NotFoundError(`No case ${caseId}`);
    if (feeCase.stage !== 'CLOSED')
      throw new ConflictError(`Case ${caseId} is not closed: only closed cases make typical cases`, {
        reason: 'case_not_closed',
      });
    return feeCase;
  });
};

/**
 * Everything that identifies the complainants of the cases: every complaint the case's audit trail
 * names (those that opened, joined or added to it), its contact opened, its enterprise's credit code.
 */
const identifiersOf = async (
  deps: TypicalCaseDeps,
  cases: readonly FeeCase[],
): Promise<ComplainantIdentifiers> => {
  const eventLists = await Promise.all(cases.map((feeCase) => deps.reads.listEvents(feeCase.caseId)));
  const complaintIds = new Set(
    eventLists.flat().flatMap((event) => {
      const complaintId = event.data?.complaintId;
      return typeof complaintId === 'string' ? [complaintId] : [];
    }),
  );
  const identifiers = {
    names: [] as string[],
    phones: [] as string[],
    emails: [] as string[],
    creditCodes: [] as string[],
  };
  await Promise.all(
    [...complaintIds].map(async (complaintId) => {
      const complaint = await deps.reads.getComplaint(complaintId);
      if (!complaint) return;
      const contact = await deps.sealer.open(complaint.sealedContact, complaintId);
      identifiers.names.push(contact.name);
      identifiers.phones.push(contact.phone);
      if (contact.email) identifiers.emails.push(contact.email);
      identifiers.creditCodes.push(complaint.enterpriseCreditCode);
    }),
  );
  return identifiers;
};

const kindWords = {
  complainant_name: "a complainant's name",
  contact: "a complainant's phone number or e-mail address",
  credit_code: "a complaining enterprise's credit code",
} as const;

/**
 * Refuses text that names a complainant of the cases: a 400 naming the field and the kind of
 * identifier, never the text found (the answer and any log of it stay free of it).
 */
const screen = async (
  deps: TypicalCaseDeps,
  cases: readonly FeeCase[],
  texts: Pick<TypicalCase, 'title' | 'summary' | 'lessons'>,
): Promise<void> => {
  const found = findComplainantIdentifier(
    { title: texts.title, summary: texts.summary, lessons: texts.lessons },
    await identifiersOf(deps, cases),
  );
  if (!found) return;
  const message = `contains ${kindWords[found.kind]} of the cases: remove it before publishing`;
  throw new ValidationError(`Invalid body: ${found.field}: ${message}`, [
    { path: found.field, code: 'identifies_complainant', params: { kind: found.kind }, message },
  ]);
};

/**
 * The same request names the same typical case: its id is a UUID (version 8) from the digest of the
 * cases and texts, so a request sent twice stores one typical case.
 */
const typicalCaseIdOf = (input: TypicalCaseInput): string => {
  const digest = hash(
    'sha256',
    canonicalJson({
      caseIds: [...input.caseIds].sort(),
      title: input.title,
      summary: input.summary,
      lessons: input.lessons,
    }),
    'hex',
  );
  const variant = ((Number.parseInt(digest[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${digest.slice(0, 8)}-${digest.slice(8, 12)}-8${digest.slice(13, 16)}-${variant}${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
};

export const typicalCaseView = (typicalCase: TypicalCase): TypicalCaseView => {
  const { createdBy: _by, publishedBy: _publisher, ...view } = typicalCase;
  return view;
};

const nowOf = (deps: TypicalCaseDeps) => (deps.now ?? (() => new Date()))().toISOString();

/** Publishes a draft or withdrawn typical case after screening it again; a published one stays as it is. */
const publish = async (
  deps: TypicalCaseDeps,
  admin: Author,
  typicalCase: TypicalCase,
): Promise<TypicalCase> => {
  if (typicalCase.status === 'PUBLISHED') return typicalCase;
  const cases = await closedCases(
    deps,
    typicalCase.cases.map((facts) => facts.caseId),
  );
  await screen(deps, cases, typicalCase);
  const { withdrawnAt: _withdrawn, ...rest } = typicalCase;
  const next: TypicalCase = {
    ...rest,
    status: 'PUBLISHED',
    publishedAt: nowOf(deps),
    publishedBy: admin.subject,
  };
  if (await deps.store.save(next, typicalCase.status)) return next;
  return settled(deps, typicalCase.typicalCaseId, 'PUBLISHED');
};

/** After losing a race: the typical case as the winner left it, if it is where we were taking it. */
const settled = async (deps: TypicalCaseDeps, typicalCaseId: string, status: TypicalCase['status']) => {
  const now = await deps.store.get(typicalCaseId);
  if (now?.status === status) return now;
  throw new ConflictError('The typical case changed meanwhile; read it again');
};

/**
 * Writes a typical case about closed cases, as a draft or published at once. The same body again
 * answers the same typical case (published, if this time it asks to publish).
 */
export const createTypicalCase = async (
  deps: TypicalCaseDeps,
  admin: Author,
  rawBody: unknown,
): Promise<TypicalCaseView> => {
  const input = parseWith(TypicalCaseInput, rawBody, 'body');
  const cases = await closedCases(deps, input.caseIds);
  await screen(deps, cases, input);
  const typicalCaseId = typicalCaseIdOf(input);
  const draft: TypicalCase = {
    typicalCaseId,
    title: input.title,
    summary: input.summary,
    ...(input.lessons ? { lessons: input.lessons } : {}),
    cases: cases.map(factsOf),
    status: 'DRAFT',
    createdAt: nowOf(deps),
    createdBy: admin.subject,
  };
  const created = await deps.store.save(draft, undefined);
  const stored = created ? draft : await deps.store.get(typicalCaseId);
  if (!stored) throw new ConflictError('The typical case changed meanwhile; send it again');
  const answer = input.publish ? await publish(deps, admin, stored) : stored;
  return typicalCaseView(answer);
};

export const publishTypicalCase = async (
  deps: TypicalCaseDeps,
  admin: Author,
  typicalCaseId: string,
): Promise<TypicalCaseView> => {
  const typicalCase = await deps.store.get(typicalCaseId);
  if (!typicalCase) throw notFound();
  return typicalCaseView(await publish(deps, admin, typicalCase));
};

/** Takes a typical case off the public list and feed; withdrawing it again changes nothing. */
export const withdrawTypicalCase = async (
  deps: TypicalCaseDeps,
  typicalCaseId: string,
): Promise<TypicalCaseView> => {
  const typicalCase = await deps.store.get(typicalCaseId);
  if (!typicalCase) throw notFound();
  if (typicalCase.status === 'WITHDRAWN') return typicalCaseView(typicalCase);
  if (typicalCase.status === 'DRAFT')
    throw new ConflictError('Only a published typical case is withdrawn; a draft is simply not published');
  const next: TypicalCase = { ...typicalCase, status: 'WITHDRAWN', withdrawnAt: nowOf(deps) };
  if (await deps.store.save(next, 'PUBLISHED')) return typicalCaseView(next);
  return typicalCaseView(await settled(deps, typicalCaseId, 'WITHDRAWN'));
};

export const listTypicalCases = async (store: TypicalCaseStore, rawQuery: unknown) => {
  const query = parseWith(TypicalCasesQuery, rawQuery, 'query');
  const page = await store.listAll(query.limit, query.cursor);
  return { items: page.items.map(typicalCaseView), cursor: page.cursor };
};
