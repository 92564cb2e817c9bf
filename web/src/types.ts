/** Response types of the API, inferred from the server's own zod schemas (types only: nothing is bundled). */
import type * as z from '#shared/domain/schema';
import type { IntakeReceiptMessage } from '#shared/file-complaint/messages';
import type { TaskList as TaskListSchema } from '#shared/tasks/messages';

export type TaskList = z.infer<typeof TaskListSchema>;
export type IntakeReceipt = z.infer<typeof IntakeReceiptMessage>;
export type { TaskView } from '#shared/domain/views';
export type { CaseView } from '#shared/read-cases/messages';
export type { ComplaintDetail, ComplaintList } from '#shared/read-complaints/messages';
