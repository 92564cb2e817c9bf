/**
 * The self-inspection deadline (docs/associations.md, "Self-inspection"): once the declarations of a
 * year are due, every ACTIVE registered association without one gets a DECLARATION task in the inbox
 * of the civil-affairs regulators that register it (its province's; the national office for national
 * associations). One task per association and year whatever the reruns; the year is then marked done.
 */
import { todayInChina } from '#shared/domain/complaint';
import { NATIONAL_PROVINCE } from '#shared/domain/credit-code';
import { declarationSubjectOf, missingDeclarationTaskId, REVIEW_SLA_DAYS } from '#shared/domain/fee-task';
import { declarationDueAt } from '#shared/domain/self-inspection';
import type { CalendarStore } from '#shared/ports/calendar';
import type { StoredTask } from '#shared/ports/cases';
import type {
  ActiveAssociations,
  DeclarationStore,
  MissingDeclarationTasks,
} from '#shared/self-inspection/ports';

export interface DeadlineDeps {
  associations: ActiveAssociations;
  declarations: Pick<DeclarationStore, 'latest'>;
  tasks: MissingDeclarationTasks;
  calendar: CalendarStore;
  /** `MM-DD` of the year after the one declared (SELF_INSPECTION_DUE). */
  due: string;
}

export interface DeadlineRun {
  /** The year whose declarations were last due; absent when that year was already gone through. */
  year: number;
  associations: number;
  opened: number;
  skipped?: true;
}

/** The latest year whose declarations are past due at `now`. */
export const yearPastDue = (now: Date, due: string): number => {
  const year = Number(todayInChina(now).slice(0, 4));
  return Date.parse(declarationDueAt(year - 1, due)) < now.getTime() ? year - 1 : year - 2;
};

export const openMissingDeclarationTasks = async (deps: DeadlineDeps, now: Date): Promise<DeadlineRun> => {
  const year = yearPastDue(now, deps.due);
  if (await deps.tasks.yearDone(year)) return { year, associations: 0, opened: 0, skipped: true };
  const at = now.toISOString();
  const dueAt = (await deps.calendar.calendar()).dueAt(now, REVIEW_SLA_DAYS);
  let associations = 0;
  let opened = 0;
  for await (const page of deps.associations.active()) {
    for (const association of page) {
      associations += 1;
      if (await deps.declarations.latest(association.creditCode, year)) continue;
      const task: StoredTask = {
        taskId: missingDeclarationTaskId(association.creditCode, year),
        caseId: declarationSubjectOf(association.creditCode, year),
        kind: 'DECLARATION',
        status: 'OPEN',
        agency: 'MCA',
        province: association.level === 'NATIONAL' ? NATIONAL_PROVINCE : association.province,
        dueAt,
        createdAt: at,
        escalated: false,
        overdue: false,
        associationName: association.name,
        associationCreditCode: association.creditCode,
        declarationYear: year,
        // No workflow waits on it: the declaration closes it.
        taskToken: '',
        version: 1,
      };
      if ((await deps.tasks.openTask(task, association.creditCode, year)) === 'opened') opened += 1;
    }
  }
  await deps.tasks.markYearDone(year, at);
  return { year, associations, opened };
};
