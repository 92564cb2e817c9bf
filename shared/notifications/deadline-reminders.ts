/**
 * The daily deadline reminders: an association hears that its rectification order is due within 3
 * working days, a regulators' office that a task in its inbox is due within 2. One reminder per task,
 * due date and kind: a second run the same day, or the next day while the task is still due soon,
 * writes nothing new; a task whose due date moved (an extension) is reminded again.
 */
import type { FeeTask } from '#shared/domain/fee-task';
import { type Notification, notificationIdOf } from '#shared/domain/notification';
import type { NotifyDeps } from '#shared/notifications/notify-events';
import type { CalendarStore } from '#shared/ports/calendar';

/** The notifier's reads and writes, and the calendar that says how many working days are left. */
export interface ReminderDeps extends NotifyDeps {
  calendar: CalendarStore;
}

/** Working days before its due date that an association is reminded of its order. */
export const orderReminderWorkingDays = 3;
/** Working days before its due date that an office is reminded of a task. */
export const taskReminderWorkingDays = 2;

const reminderOf = (
  task: FeeTask,
  workingDaysLeft: number,
): Omit<Notification, 'notificationId' | 'at' | 'read'> | undefined => {
  const params = {
    ...(task.feeName ? { feeName: task.feeName } : {}),
    ...(task.associationName ? { associationName: task.associationName } : {}),
    agency: task.agency,
    province: task.province,
    taskKind: task.kind,
    dueAt: task.dueAt,
  };
  if (task.kind === 'RECTIFICATION') {
    if (!task.associationCreditCode || workingDaysLeft > orderReminderWorkingDays) return undefined;
    return {
      recipient: { party: 'association', creditCode: task.associationCreditCode },
      kind: 'ORDER_DUE_SOON',
      caseId: task.caseId,
      taskId: task.taskId,
      params,
    };
  }
  // An information request waits on the complainant, whom the request itself told its due date.
  if (task.kind === 'INFO' || workingDaysLeft > taskReminderWorkingDays) return undefined;
  return {
    recipient: { party: 'office', agency: task.agency, province: task.province },
    kind: 'TASK_DUE_SOON',
    caseId: task.caseId,
    taskId: task.taskId,
    params,
  };
};

export interface ReminderRun {
  /** Open tasks due soon that were looked at. */
  tasks: number;
  /** Reminders written by this run (not those of earlier runs). */
  written: number;
}

/** Writes the reminders due at `now`; reads only open tasks due within the widest window. */
export const remindDeadlines = async (deps: ReminderDeps, now: Date): Promise<ReminderRun> => {
  const widest = Math.max(orderReminderWorkingDays, taskReminderWorkingDays);
  const calendar = await deps.calendar.calendar();
  const tasks = await deps.sources.openTasksDueBetween(now.toISOString(), calendar.dueAt(now, widest));
  const at = now.toISOString();
  let written = 0;
  for (const task of tasks) {
    const reminder = reminderOf(task, calendar.workingDaysLeft(now, task.dueAt));
    if (!reminder) continue;
    const feeCase = await deps.sources.getCase(task.caseId);
    const source = `reminder#${task.taskId}#${task.dueAt}`;
    const notification: Notification = {
      ...reminder,
      params: { ...reminder.params, ...(feeCase?.reference ? { caseReference: feeCase.reference } : {}) },
      notificationId: notificationIdOf(at, source, reminder.recipient, reminder.kind),
      at,
      read: false,
    };
    if ((await deps.store.writeOnce(notification)) === 'written') written += 1;
  }
  return { tasks: tasks.length, written };
};
