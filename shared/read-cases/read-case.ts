/**
 * A fee case for those who act on it: regulators with jurisdiction and campaign admins see it all;
 * the association sees its own case without anything that identifies a complainant who did not
 * agree to be named.
 */
import { verifyChain } from '#shared/domain/case-event';
import { NotFoundError } from '#shared/domain/errors';
import type { FeeCase } from '#shared/domain/fee-case';
import { regulatorHasJurisdiction } from '#shared/domain/jurisdiction';
import type { CaseStore } from '#shared/fee-case-workflow/ports';
import { mergedFacts } from '#shared/fee-case-workflow/steps';
import type { Principal } from '#shared/http/principal';
import { CaseDetail } from '#shared/read-cases/messages';
import type { ComplaintReads } from '#shared/read-complaints/ports';
import { taskView } from '#shared/tasks/tasks';

export interface ReadCaseDeps {
  store: CaseStore;
  reads: ComplaintReads;
  now?: () => Date;
}

const canSeeCase = (principal: Principal, feeCase: FeeCase): 'full' | 'association' | false => {
  switch (principal.role) {
    case 'campaign-admin':
      return 'full';
    case 'regulator':
      return regulatorHasJurisdiction(principal, feeCase) ? 'full' : false;
    case 'association':
      return feeCase.association.creditCode === principal.creditCode ? 'association' : false;
    default:
      return false;
  }
};

export const readCase = async (
  deps: ReadCaseDeps,
  principal: Principal,
  caseId: string,
): Promise<CaseDetail> => {
  const feeCase = caseId.length <= 100 ? await deps.store.getCase(caseId) : undefined;
  const view = feeCase ? canSeeCase(principal, feeCase) : false;
  if (!feeCase || !view) throw new NotFoundError('No such case');
  const taskIds = Object.entries(feeCase.taskRounds ?? {}).flatMap(([kind, rounds]) =>
    Array.from({ length: rounds ?? 0 }, (_, i) => `${caseId}.${kind.toLowerCase()}.${i + 1}`),
  );
  const [complaints, tasks, events] = await Promise.all([
    deps.store.listComplaints(caseId),
    deps.store.getTasks(taskIds),
    deps.reads.listEvents(caseId),
  ]);
  const full = view === 'full';
  const now = (deps.now ?? (() => new Date()))();
  const detail = {
    case: feeCase,
    classification: feeCase.classification ?? {},
    facts: mergedFacts(
      complaints.map((complaint) => complaint.facts),
      feeCase.supplementaryFacts,
    ),
    complaints: complaints.map((complaint) => {
      const named = full || complaint.discloseIdentityToAssociation;
      return {
        complaintId: complaint.complaintId,
        filedAt: complaint.filedAt,
        amountFen: complaint.fee.amountFen,
        ...(named
          ? { description: complaint.description, enterpriseCreditCode: complaint.enterpriseCreditCode }
          : {}),
        ...(full && complaint.repeatOf ? { repeatOf: complaint.repeatOf } : {}),
      };
    }),
    tasks: tasks
      .filter((task) => full || task.kind === 'RECTIFICATION')
      .map((task) => taskView(task, now, principal)),
    // The association sees what happened, not the data behind each step.
    audit: full ? events : events.map(({ data: _data, ...event }) => event),
    auditIntegrity: verifyChain(events, feeCase.lastEventHash),
  };
  // Parsing through the schema drops storage-only fields and anything the view does not name.
  return CaseDetail.parse(detail);
};
