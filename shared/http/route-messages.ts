/** The request and response messages of each route (see `routes.ts` for the routes themselves). */
import {
  EnterpriseLink,
  UserAccountView,
  UserInvitation,
  UserList,
  UserQuery,
} from '#shared/accounts/messages';
import { SignedOut } from '#shared/accounts/session-messages';
import { CalendarNotice, CalendarYear } from '#shared/calendar/messages';
import { ClosingFeedbackInput } from '#shared/domain/closing-feedback';
import { ComplaintInput } from '#shared/domain/complaint';
import { NotificationSettings } from '#shared/domain/notification-settings';
import type * as z from '#shared/domain/schema';
import { SelfInspectionInput } from '#shared/domain/self-inspection';
import {
  AddAttachmentsBody,
  AddedAttachments,
  FileLink,
  UploadRequest,
  UploadStatus,
  UploadTicket,
} from '#shared/evidence/messages';
import { IntakeReceiptMessage } from '#shared/file-complaint/messages';
import { FeedbackReceipt } from '#shared/give-feedback/messages';
import { Health, OpenApiDocument } from '#shared/http/messages';
import type { OperationId } from '#shared/http/routes';
import {
  CampaignMetrics,
  MetricsQuery,
  OutcomesCsv,
  OutcomesCsvQuery,
  PublicMetricsQuery,
} from '#shared/metrics/messages';
import { AssociationRanking, AssociationRankingQuery } from '#shared/metrics/ranking-messages';
import { ListNotificationsQuery, NotificationList, NotificationRead } from '#shared/notifications/messages';
import { CaseView } from '#shared/read-cases/messages';
import {
  CaseLedgerCsv,
  CaseSearchResult,
  LedgerQuery,
  SearchCasesQuery,
} from '#shared/read-cases/search-messages';
import {
  ComplaintDetail,
  ComplaintList,
  ListComplaintsQuery,
  PublicProgress,
  PublicProgressQuery,
} from '#shared/read-complaints/messages';
import {
  AssociationSuggestions,
  AssociationSuggestionsQuery,
  RegisterImportReport,
} from '#shared/registry/messages';
import {
  DeclarationList,
  DeclarationView,
  ListSelfInspectionsQuery,
  PublicAssociation,
} from '#shared/self-inspection/messages';
import {
  AssignTaskBody,
  CompletedTask,
  ExtensionRequest,
  ListTasksQuery,
  RequestedExtension,
  TaskAnswer,
  TaskCompletion,
  TaskList,
  TransferCaseBody,
  TransferredCase,
} from '#shared/tasks/messages';
import {
  PublicTypicalCase,
  PublicTypicalCaseList,
  TypicalCaseInput,
  TypicalCaseList,
  TypicalCasesAtom,
  TypicalCasesQuery,
  TypicalCaseView,
} from '#shared/typical-cases/messages';

/** What a route takes and gives: its request body, its query, its success body. */
export interface RouteMessages {
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
  success?: z.ZodMiniType;
}

/**
 * The messages of every route, for the generated OpenAPI document. Kept apart from the route table,
 * which every API function loads at cold start, so that a function builds only the schemas its own
 * operations parse.
 */
export const routeMessages: Record<OperationId, RouteMessages> = {
  fileComplaint: { body: ComplaintInput, success: IntakeReceiptMessage },
  listComplaints: { query: ListComplaintsQuery, success: ComplaintList },
  getComplaint: { success: ComplaintDetail },
  giveFeedback: { body: ClosingFeedbackInput, success: FeedbackReceipt },
  addComplaintAttachments: { body: AddAttachmentsBody, success: AddedAttachments },
  createUpload: { body: UploadRequest, success: UploadTicket },
  getUpload: { success: UploadStatus },
  getFile: { success: FileLink },
  getCase: { success: CaseView },
  searchCases: { query: SearchCasesQuery, success: CaseSearchResult },
  getCaseLedger: { query: LedgerQuery, success: CaseLedgerCsv },
  listTasks: { query: ListTasksQuery, success: TaskList },
  claimTask: { success: TaskAnswer },
  releaseTask: { success: TaskAnswer },
  completeTask: { body: TaskCompletion, success: CompletedTask },
  assignTask: { body: AssignTaskBody, success: TaskAnswer },
  requestExtension: { body: ExtensionRequest, success: RequestedExtension },
  transferCase: { body: TransferCaseBody, success: TransferredCase },
  getMetrics: { query: MetricsQuery, success: CampaignMetrics },
  getPublicMetrics: { query: PublicMetricsQuery, success: CampaignMetrics },
  getOutcomesCsv: { query: OutcomesCsvQuery, success: OutcomesCsv },
  getNotificationSettings: { success: NotificationSettings },
  putNotificationSettings: { body: NotificationSettings, success: NotificationSettings },
  getCalendarYear: { success: CalendarYear },
  putCalendarYear: { body: CalendarNotice, success: CalendarYear },
  listNotifications: { query: ListNotificationsQuery, success: NotificationList },
  markNotificationRead: { success: NotificationRead },
  getPublicProgress: { query: PublicProgressQuery, success: PublicProgress },
  listUsers: { query: UserQuery, success: UserList },
  inviteUser: { body: UserInvitation, success: UserAccountView },
  disableUser: { success: UserAccountView },
  enableUser: { success: UserAccountView },
  resetUserPassword: { success: UserAccountView },
  linkEnterprise: { body: EnterpriseLink, success: UserAccountView },
  signOutEverywhere: { success: SignedOut },
  // Associations: the registry and its suggestions.
  // (messages of this part go below this line)
  importAssociationRegister: { success: RegisterImportReport },
  suggestAssociations: { query: AssociationSuggestionsQuery, success: AssociationSuggestions },
  // Associations: self-inspection and public fee lists.
  // (messages of this part go below this line)
  declareFees: { body: SelfInspectionInput, success: DeclarationView },
  listSelfInspections: { query: ListSelfInspectionsQuery, success: DeclarationList },
  getPublicAssociation: { success: PublicAssociation },
  // Associations: repeat offenders.
  // (messages of this part go below this line)
  getAssociationRanking: { query: AssociationRankingQuery, success: AssociationRanking },
  // Associations: typical cases.
  // (messages of this part go below this line)
  createTypicalCase: { body: TypicalCaseInput, success: TypicalCaseView },
  listTypicalCases: { query: TypicalCasesQuery, success: TypicalCaseList },
  publishTypicalCase: { success: TypicalCaseView },
  withdrawTypicalCase: { success: TypicalCaseView },
  listPublicTypicalCases: { query: TypicalCasesQuery, success: PublicTypicalCaseList },
  getPublicTypicalCase: { success: PublicTypicalCase },
  getTypicalCasesAtom: { success: TypicalCasesAtom },
  getOpenApi: { success: OpenApiDocument },
  getHealth: { success: Health },
};
