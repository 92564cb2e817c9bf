/**
 * Notifications from the audit trail: each event of a case that someone must hear about becomes one
 * notification per recipient, written once however often the event is delivered. Who hears what:
 * the complainant (received, information requested, order issued, transferred, closed), the association
 * (order issued, verification result, extension decided, verification reopened) and the regulators'
 * office (a new task in its inbox, a transferred one and a request for more time among them; an
 * escalated task, a task assigned to one of its officers, verification reopened). Parameters carry references,
 * names of fees, associations and offices, dates and outcomes, never who complained.
 */
import type { CaseEvent } from '#shared/domain/case-event';
import type { FeeCase } from '#shared/domain/fee-case';
import type { TaskKind } from '#shared/domain/fee-task';
import {
  type Notification,
  type NotificationKind,
  type NotificationRecipient,
  nationalOffice,
  notificationIdOf,
} from '#shared/domain/notification';
import type { Agency } from '#shared/domain/principal';
import { decisionDueAtOf } from '#shared/domain/progress';
import type { CaseComplaint, NotificationSources, NotificationStore } from '#shared/notifications/ports';
import { classifyFee } from '#shared/rulebook/evaluate';

/** Tasks the regulators' office works on; the others wait on the association or the complainant. */
const officeTaskKinds: ReadonlySet<string> = new Set<TaskKind>([
  'REVIEW',
  'VERIFICATION',
  'EXTENSION',
  'SECOND_REVIEW',
]);
const isOfficeTask = (kind: string) => officeTaskKinds.has(kind);

export interface NotifyDeps {
  sources: NotificationSources;
  store: NotificationStore;
}

/** A notification before its id; `source` when it is not the event alone (a closing's notices). */
type Draft = Omit<Notification, 'notificationId' | 'read' | 'at'> & { source?: string };

interface EventData {
  complaintId?: string;
  taskId?: string;
  kind?: TaskKind;
  dueAt?: string;
  agency?: Agency;
  province?: string;
  outcome?: string;
  granted?: boolean;
  /** On an assignment: the officer's subject, or null when the task was taken back. */
  assignee?: string | null;
  /** On a filing: what its receipt promised. */
  handlingOffice?: { agency: Agency; province: string };
  decisionDueAt?: string;
  /** On a filing: the journal linked it after its case had closed. */
  linkedAfterClosing?: boolean;
}

/** What every notification about the case may say: its fee and association, its reference. */
const caseParams = (feeCase: FeeCase & { reference?: string }): Notification['params'] => ({
  feeName: feeCase.fee.name,
  associationName: feeCase.association.name,
  ...(feeCase.reference ? { caseReference: feeCase.reference } : {}),
});

const officeParams = (agency: Agency | undefined, province: string | undefined) =>
  agency && province !== undefined ? { agency, province } : {};

/** One enterprise may have complained twice about a fee (a repeat filing): it hears once, of its first. */
const complainants = (complaints: readonly CaseComplaint[]): CaseComplaint[] => {
  const seen = new Set<string>();
  return complaints.filter((complaint) => {
    if (seen.has(complaint.enterpriseId)) return false;
    seen.add(complaint.enterpriseId);
    return true;
  });
};

const toComplainant = (
  complaint: Pick<CaseComplaint, 'complaintId' | 'enterpriseId' | 'reference'>,
  kind: NotificationKind,
  caseId: string,
  params: Notification['params'],
  taskId?: string,
): Draft => ({
  recipient: { party: 'enterprise', enterpriseId: complaint.enterpriseId },
  kind,
  complaintId: complaint.complaintId,
  caseId,
  ...(taskId ? { taskId } : {}),
  params: { ...params, ...(complaint.reference ? { reference: complaint.reference } : {}) },
});

const toAssociation = (
  feeCase: FeeCase,
  kind: NotificationKind,
  params: Notification['params'],
  taskId?: string,
): Draft[] =>
  feeCase.association.creditCode
    ? [
        {
          recipient: { party: 'association', creditCode: feeCase.association.creditCode },
          kind,
          caseId: feeCase.caseId,
          ...(taskId ? { taskId } : {}),
          params,
        },
      ]
    : [];

const toOffice = (
  recipient: NotificationRecipient,
  kind: NotificationKind,
  caseId: string,
  params: Notification['params'],
  taskId?: string,
): Draft => ({ recipient, kind, caseId, ...(taskId ? { taskId } : {}), params });

/**
 * Every notice of one closing has one source, whichever event gives it: the closing's own notices to
 * the complaints it finds, or the filing of a complaint linked onto the case after it closed. A
 * complainant is thus told once of a closing, whether the closing's notices found its complaint or
 * only its own filing's event did.
 */
const closingSource = (caseId: string, closedAt: string) => `closing#${caseId}#${closedAt}`;

const closingNotice = (
  complaint: Pick<CaseComplaint, 'complaintId' | 'enterpriseId' | 'reference'>,
  feeCase: FeeCase,
  closedAt: string,
  params: Notification['params'],
  outcome: string | undefined,
): Draft => ({
  ...toComplainant(complaint, 'CASE_CLOSED', feeCase.caseId, { ...params, ...(outcome ? { outcome } : {}) }),
  source: closingSource(feeCase.caseId, closedAt),
});

/**
 * A filing linked onto its case after the case closed (docs/hot-fee.md): its complainant is told the
 * outcome, not "received, decision due". A case reopened meanwhile tells it when it closes again.
 */
const closingNoticeOfLateFiling = (
  complaint: CaseComplaint,
  feeCase: FeeCase,
  params: Notification['params'],
): Draft[] =>
  feeCase.stage === 'CLOSED' && feeCase.closedAt
    ? [closingNotice(complaint, feeCase, feeCase.closedAt, params, feeCase.outcome)]
    : [];

/** The notifications an event gives, without ids; none for events nobody is told about. */
const draftsOf = async (
  deps: NotifyDeps,
  event: CaseEvent,
  feeCase: FeeCase & { reference?: string },
): Promise<Draft[]> => {
  const data = (event.data ?? {}) as EventData;
  const params = caseParams(feeCase);
  const { caseId } = feeCase;
  switch (event.type) {
    case 'CASE_OPENED':
    case 'COMPLAINT_JOINED': {
      // The one complaint, not the case's list: a busy case is joined many times.
      const complaint = data.complaintId ? await deps.sources.getComplaint(data.complaintId) : undefined;
      if (!complaint) return [];
      if (data.linkedAfterClosing) return closingNoticeOfLateFiling(complaint, feeCase, params);
      // What the receipt said; a filing recorded before the event carried it is read as the receipt was.
      const office = data.handlingOffice ?? {
        agency: classifyFee({ fee: complaint.fee, facts: complaint.facts }).agency,
        province: feeCase.province,
      };
      return [
        toComplainant(complaint, 'COMPLAINT_RECEIVED', caseId, {
          ...params,
          ...officeParams(office.agency, office.province),
          dueAt: decisionDueAtOf({ filedAt: event.at, decisionDueAt: data.decisionDueAt }),
        }),
      ];
    }
    // An association's request for more time opens an EXTENSION task in the office's inbox.
    case 'EXTENSION_REQUESTED':
    case 'TASK_OPENED': {
      const taskParams = {
        ...params,
        ...officeParams(data.agency, data.province),
        ...(data.kind ? { taskKind: data.kind } : {}),
        ...(data.dueAt ? { dueAt: data.dueAt } : {}),
      };
      if (data.kind === 'INFO') {
        const task = data.taskId ? await deps.sources.getTask(data.taskId) : undefined;
        const asked = (await deps.sources.listComplaints(caseId)).find(
          (complaint) => complaint.enterpriseId === task?.enterpriseId,
        );
        // The task is where the complainant answers.
        return asked ? [toComplainant(asked, 'INFO_REQUESTED', caseId, taskParams, data.taskId)] : [];
      }
      if (data.kind === 'RECTIFICATION') {
        const complaints = complainants(await deps.sources.listComplaints(caseId));
        return [
          ...toAssociation(feeCase, 'ORDER_ISSUED', taskParams, data.taskId),
          ...complaints.map((complaint) => toComplainant(complaint, 'ORDER_ISSUED', caseId, taskParams)),
        ];
      }
      if (!data.kind || !isOfficeTask(data.kind) || !data.agency || data.province === undefined) return [];
      return [
        toOffice(
          { party: 'office', agency: data.agency, province: data.province },
          'TASK_OPENED',
          caseId,
          taskParams,
          data.taskId,
        ),
      ];
    }
    case 'TASK_ESCALATED': {
      const task = data.taskId ? await deps.sources.getTask(data.taskId) : undefined;
      if (!task) return [];
      const office = nationalOffice(task.agency);
      return [
        toOffice(
          office,
          'TASK_ESCALATED',
          caseId,
          {
            ...params,
            ...officeParams(office.agency, office.province),
            taskKind: task.kind,
            ...(data.dueAt ? { dueAt: data.dueAt } : {}),
          },
          task.taskId,
        ),
      ];
    }
    case 'TASK_ASSIGNED': {
      // Taking a task back tells nobody: it is simply in the office's inbox again.
      const task = data.taskId && data.assignee ? await deps.sources.getTask(data.taskId) : undefined;
      if (!task || !data.assignee) return [];
      return [
        toOffice(
          { party: 'office', agency: task.agency, province: task.province },
          'TASK_ASSIGNED',
          caseId,
          {
            ...params,
            ...officeParams(task.agency, task.province),
            taskKind: task.kind,
            dueAt: task.dueAt,
            assignee: data.assignee,
          },
          task.taskId,
        ),
      ];
    }
    case 'CASE_TRANSFERRED': {
      if (!data.kind || !data.agency || data.province === undefined) return [];
      const office = officeParams(data.agency, data.province);
      const complaints = complainants(await deps.sources.listComplaints(caseId));
      return [
        // The receiving office hears of the task as of any new task in its inbox.
        toOffice(
          { party: 'office', agency: data.agency, province: data.province },
          'TASK_OPENED',
          caseId,
          { ...params, ...office, taskKind: data.kind, ...(data.dueAt ? { dueAt: data.dueAt } : {}) },
          data.taskId,
        ),
        ...complaints.map((complaint) =>
          toComplainant(complaint, 'CASE_TRANSFERRED', caseId, { ...params, ...office }),
        ),
      ];
    }
    case 'RECTIFICATION_ACCEPTED':
    case 'RECTIFICATION_REJECTED':
      return toAssociation(feeCase, 'VERIFICATION_RESULT', {
        ...params,
        ...officeParams(feeCase.agency, feeCase.province),
        accepted: event.type === 'RECTIFICATION_ACCEPTED',
        // A rejected report leaves the order running: the association hears until when.
        ...(event.type === 'RECTIFICATION_REJECTED' && feeCase.order?.dueAt
          ? { dueAt: feeCase.order.dueAt }
          : {}),
      });
    case 'EXTENSION_DECIDED':
      return toAssociation(feeCase, 'EXTENSION_DECIDED', {
        ...params,
        ...officeParams(feeCase.agency, feeCase.province),
        granted: data.granted === true,
        ...(data.dueAt ? { dueAt: data.dueAt } : {}),
      });
    case 'VERIFICATION_REOPENED': {
      const office = officeParams(data.agency ?? feeCase.agency, data.province ?? feeCase.province);
      const reopened = { ...params, ...office, ...(data.dueAt ? { dueAt: data.dueAt } : {}) };
      return [
        ...toAssociation(feeCase, 'VERIFICATION_REOPENED', { ...params, ...office }),
        ...(office.agency && office.province !== undefined
          ? [
              toOffice(
                { party: 'office', agency: office.agency, province: office.province },
                'VERIFICATION_REOPENED',
                caseId,
                reopened,
                data.taskId,
              ),
            ]
          : []),
      ];
    }
    case 'CASE_CLOSED': {
      const complaints = complainants(await deps.sources.listComplaints(caseId));
      return complaints.map((complaint) => closingNotice(complaint, feeCase, event.at, params, data.outcome));
    }
    default:
      return [];
  }
};

/** Event types that tell someone something; the others are passed over without a read. */
export const notifyingEventTypes: ReadonlySet<string> = new Set([
  'CASE_OPENED',
  'COMPLAINT_JOINED',
  'TASK_OPENED',
  'EXTENSION_REQUESTED',
  'TASK_ESCALATED',
  'TASK_ASSIGNED',
  'CASE_TRANSFERRED',
  'RECTIFICATION_ACCEPTED',
  'RECTIFICATION_REJECTED',
  'EXTENSION_DECIDED',
  'VERIFICATION_REOPENED',
  'CASE_CLOSED',
]);

/** The event's notifications, each with its id from the event (case and sequence) and its recipient. */
export const notificationsOfEvent = async (deps: NotifyDeps, event: CaseEvent): Promise<Notification[]> => {
  if (!notifyingEventTypes.has(event.type)) return [];
  const feeCase = await deps.sources.getCase(event.caseId);
  if (!feeCase) return [];
  const source = `event#${event.caseId}#${event.seq}`;
  return (await draftsOf(deps, event, feeCase)).map(({ source: own, ...draft }) => ({
    ...draft,
    notificationId: notificationIdOf(event.at, own ?? source, draft.recipient, draft.kind),
    at: event.at,
    read: false,
  }));
};

export interface NotifyResult {
  /** Events not fully notified yet: the caller has them delivered again. */
  failed: CaseEvent[];
  /** Notifications this call wrote (not those written before). */
  written: number;
}

/**
 * Writes the notifications of the events, in order. After an event fails, the events after it are
 * left for the retry too: a stream retries from the first failed record of a shard.
 */
export const notifyEvents = async (
  deps: NotifyDeps,
  events: readonly CaseEvent[],
  onFailure?: (event: CaseEvent, error: unknown) => void,
): Promise<NotifyResult> => {
  const failed: CaseEvent[] = [];
  let written = 0;
  for (const event of events) {
    if (failed.length > 0) {
      failed.push(event);
      continue;
    }
    try {
      for (const notification of await notificationsOfEvent(deps, event)) {
        if ((await deps.store.writeOnce(notification)) === 'written') written += 1;
      }
    } catch (error) {
      onFailure?.(event, error);
      failed.push(event);
    }
  }
  return { failed, written };
};
