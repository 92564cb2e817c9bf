/** What acting on a task that is no longer open answers: why it is closed, so the caller knows where the work went. */
import { ConflictError } from '#shared/domain/errors';
import type { FeeTask } from '#shared/domain/fee-task';

export const notOpenConflict = (task: Pick<FeeTask, 'status' | 'transferredTo'>): ConflictError =>
  task.status === 'TRANSFERRED'
    ? new ConflictError(
        task.transferredTo
          ? `The task was transferred to ${task.transferredTo.agency} ${task.transferredTo.province}, where it continues as ${task.transferredTo.taskId}`
          : 'The task was transferred to another office',
      )
    : new ConflictError('The task is already completed');
