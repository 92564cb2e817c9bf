/**
 * The HTTP contract: every route of the API with the roles that may call it. It lives in `shared/`
 * because the Lambda handlers need it at run time (role checks); `infra/system.ts` maps each route to
 * the function that serves it, for CDK and the local runtime alike. The messages each route exchanges
 * are in `route-messages.ts`, which only the OpenAPI document loads.
 */

import type { Role } from '#shared/domain/principal';
import { maxRegisterFileBytes, registerMediaTypes } from '#shared/registry/register-media';

export type HttpMethod = 'GET' | 'POST' | 'PUT';

export interface ApiRoute {
  operationId: string;
  method: HttpMethod;
  /** API Gateway resource path, with `{param}` placeholders. */
  path: string;
  /** Roles allowed to call it; `public` means no token is needed. */
  access: 'public' | readonly Role[];
  summary: string;
  /** Extra request headers the operation reads. */
  headers?: readonly { name: string; description: string }[];
  /**
   * Requests one client address may make per minute; more are refused with 429 and Retry-After (the
   * local gateway counts them, on AWS a WAF rate-based rule does). For public routes that guessing
   * could abuse.
   */
  requestsPerMinutePerAddress?: number;
  success: { status: number; contentType?: string };
  /**
   * The body is a file sent as it is, not JSON: the handler receives its bytes (`ApiRequest.body` is a
   * Buffer) when it is of one of these media types and at most `maxBytes` long. On AWS the media types
   * are binary media types of the API, so the bytes reach the function base64-encoded, unaltered.
   */
  upload?: { mediaTypes: readonly string[]; maxBytes: number };
}

export const apiRoutes = [
  {
    operationId: 'fileComplaint',
    method: 'POST',
    path: '/api/complaints',
    access: ['enterprise'],
    summary: 'File a complaint about a fee',
    headers: [
      {
        name: 'Idempotency-Key',
        description: 'Repeat a request safely: the same key and body give the same answer',
      },
    ],
    success: { status: 202 },
  },
  {
    operationId: 'listComplaints',
    method: 'GET',
    path: '/api/complaints',
    access: ['enterprise'],
    summary: "The caller's own complaints, newest first",
    success: { status: 200 },
  },
  {
    operationId: 'getComplaint',
    method: 'GET',
    path: '/api/complaints/{id}',
    access: ['enterprise', 'regulator', 'campaign-admin'],
    summary: 'A complaint with its case summary and public timeline',
    success: { status: 200 },
  },
  {
    operationId: 'giveFeedback',
    method: 'POST',
    path: '/api/complaints/{id}/feedback',
    access: ['enterprise'],
    summary:
      'Closing feedback, once within 30 days of closure: did the refund arrive, how was the case handled; "not received" reopens verification',
    success: { status: 200 },
  },
  {
    operationId: 'addComplaintAttachments',
    method: 'POST',
    path: '/api/complaints/{id}/attachments',
    access: ['enterprise'],
    summary: 'Attach more screened files to a complaint while its case is open',
    success: { status: 200 },
  },
  {
    operationId: 'createUpload',
    method: 'POST',
    path: '/api/uploads',
    access: ['enterprise', 'association', 'regulator', 'campaign-admin'],
    summary:
      'Ask to upload an evidence file: a presigned POST for exactly this file, then screening before anyone else sees it',
    success: { status: 201 },
  },
  {
    operationId: 'getUpload',
    method: 'GET',
    path: '/api/uploads/{id}',
    access: ['enterprise', 'association', 'regulator', 'campaign-admin'],
    summary: "The caller's own upload: its screening status and why a refused file was refused",
    success: { status: 200 },
  },
  {
    operationId: 'getFile',
    method: 'GET',
    path: '/api/files/{id}',
    access: ['enterprise', 'association', 'regulator', 'campaign-admin'],
    summary:
      'A short-lived download link for a screened file, to those allowed to read it; an official download is recorded in the audit trail',
    success: { status: 200 },
  },
  {
    operationId: 'getCase',
    method: 'GET',
    path: '/api/cases/{id}',
    access: ['regulator', 'association', 'campaign-admin'],
    summary: 'A fee case with its classification, tasks and audit trail',
    success: { status: 200 },
  },
  {
    operationId: 'searchCases',
    method: 'GET',
    path: '/api/cases',
    access: ['regulator', 'campaign-admin'],
    summary: "Find cases within the caller's jurisdiction, newest first",
    success: { status: 200 },
  },
  {
    operationId: 'getCaseLedger',
    method: 'GET',
    path: '/api/cases.csv',
    access: ['regulator', 'campaign-admin'],
    summary: 'The ledger (台账) of the cases a search finds, as CSV',
    success: { status: 200, contentType: 'text/csv' },
  },
  {
    operationId: 'listTasks',
    method: 'GET',
    path: '/api/tasks',
    access: ['regulator', 'association', 'enterprise', 'campaign-admin'],
    summary: 'The task inbox, by due date',
    success: { status: 200 },
  },
  {
    operationId: 'claimTask',
    method: 'POST',
    path: '/api/tasks/{id}/claim',
    access: ['regulator'],
    summary: 'Take a task so that nobody else completes it',
    success: { status: 200 },
  },
  {
    operationId: 'releaseTask',
    method: 'POST',
    path: '/api/tasks/{id}/release',
    access: ['regulator', 'campaign-admin'],
    summary: 'Release a claim on a task so that someone else can take it',
    success: { status: 200 },
  },
  {
    operationId: 'completeTask',
    method: 'POST',
    path: '/api/tasks/{id}/complete',
    access: ['regulator', 'association', 'enterprise'],
    summary: 'Complete a task; the body depends on its kind',
    success: { status: 200 },
  },
  {
    operationId: 'assignTask',
    method: 'POST',
    path: '/api/tasks/{id}/assign',
    access: ['regulator', 'campaign-admin'],
    summary:
      "Give an open task to a named officer of its agency and jurisdiction, or take it back (campaign admins, the agency's national regulators)",
    success: { status: 200 },
  },
  {
    operationId: 'requestExtension',
    method: 'POST',
    path: '/api/tasks/{id}/extension',
    access: ['association'],
    summary:
      'Ask for more time on a rectification order (at most 30 working days); the regulators decide it as an EXTENSION task',
    success: { status: 201 },
  },
  {
    operationId: 'transferCase',
    method: 'POST',
    path: '/api/cases/{id}/transfer',
    access: ['regulator', 'campaign-admin'],
    summary:
      'Transfer (转办) a case awaiting a regulator to another agency or province: the open task ends TRANSFERRED and opens there with its deadline restarted',
    success: { status: 200 },
  },
  {
    operationId: 'getMetrics',
    method: 'GET',
    path: '/api/metrics',
    access: ['regulator', 'campaign-admin'],
    summary: 'Campaign metrics of one scope: a province, a category, an agency, or everything',
    success: { status: 200 },
  },
  {
    operationId: 'getPublicMetrics',
    method: 'GET',
    path: '/api/public/metrics',
    access: 'public',
    summary: 'Campaign-wide aggregates',
    success: { status: 200 },
  },
  {
    operationId: 'getOutcomesCsv',
    method: 'GET',
    path: '/api/public/outcomes.csv',
    access: 'public',
    summary: 'Open data: every closed case, as CSV (RFC 4180), without complainant data',
    success: { status: 200, contentType: 'text/csv' },
  },
  {
    operationId: 'getNotificationSettings',
    method: 'GET',
    path: '/api/notifications/settings',
    access: ['enterprise', 'regulator', 'association', 'campaign-admin'],
    summary: "The caller's notification settings: addresses, language and opt-outs",
    success: { status: 200 },
  },
  {
    operationId: 'putNotificationSettings',
    method: 'PUT',
    path: '/api/notifications/settings',
    access: ['enterprise', 'regulator', 'association', 'campaign-admin'],
    summary: "Replace the caller's notification settings",
    success: { status: 200 },
  },
  {
    operationId: 'getCalendarYear',
    method: 'GET',
    path: '/api/calendar/{year}',
    access: 'public',
    summary: "A year's public holidays and make-up working days, as deadlines count them",
    success: { status: 200 },
  },
  {
    operationId: 'putCalendarYear',
    method: 'PUT',
    path: '/api/calendar/{year}',
    access: ['campaign-admin'],
    summary: "Store a year's holiday notice (or correct one), as the State Council published it",
    success: { status: 200 },
  },
  {
    operationId: 'listNotifications',
    method: 'GET',
    path: '/api/notifications',
    access: ['enterprise', 'association', 'regulator', 'campaign-admin'],
    summary: "The caller's notifications, newest first, with the unread count",
    success: { status: 200 },
  },
  {
    operationId: 'markNotificationRead',
    method: 'POST',
    path: '/api/notifications/{id}/read',
    access: ['enterprise', 'association', 'regulator', 'campaign-admin'],
    summary: "Mark one of the caller's notifications read; marking it again changes nothing",
    success: { status: 200 },
  },
  {
    operationId: 'getPublicProgress',
    method: 'GET',
    path: '/api/public/progress',
    access: 'public',
    summary:
      "A complaint's progress, without signing in: its reference and the filing enterprise's credit code; " +
      'steps and dates only, and the same 404 for an unknown reference and a wrong code',
    requestsPerMinutePerAddress: 20,
    success: { status: 200 },
  },
  {
    operationId: 'listUsers',
    method: 'GET',
    path: '/api/admin/users',
    access: ['campaign-admin', 'regulator'],
    summary: 'Accounts, searched by e-mail, name or credit code (national regulators: their agency only)',
    success: { status: 200 },
  },
  {
    operationId: 'inviteUser',
    method: 'POST',
    path: '/api/admin/users',
    access: ['campaign-admin', 'regulator'],
    summary: 'Invite a regulator, an association or a campaign admin; a temporary password is e-mailed',
    success: { status: 201 },
  },
  {
    operationId: 'disableUser',
    method: 'POST',
    path: '/api/admin/users/{id}/disable',
    access: ['campaign-admin', 'regulator'],
    summary: 'Deactivate an account: it can no longer sign in',
    success: { status: 200 },
  },
  {
    operationId: 'enableUser',
    method: 'POST',
    path: '/api/admin/users/{id}/enable',
    access: ['campaign-admin', 'regulator'],
    summary: 'Reactivate an account',
    success: { status: 200 },
  },
  {
    operationId: 'resetUserPassword',
    method: 'POST',
    path: '/api/admin/users/{id}/reset',
    access: ['campaign-admin', 'regulator'],
    summary: 'Send an account a new temporary password',
    success: { status: 200 },
  },
  {
    operationId: 'linkEnterprise',
    method: 'POST',
    path: '/api/admin/users/{id}/link',
    access: ['campaign-admin'],
    summary: 'Make an enterprise account share the complaints of another account of the same enterprise',
    success: { status: 200 },
  },
  {
    operationId: 'signOutEverywhere',
    method: 'POST',
    path: '/api/session/sign-out',
    access: ['enterprise', 'association', 'regulator', 'campaign-admin'],
    summary: "End every session of the caller's account, on every device",
    success: { status: 200 },
  },
  // Associations: the registry and its suggestions.
  // (routes of this part go below this line)
  {
    operationId: 'importAssociationRegister',
    method: 'POST',
    path: '/api/admin/associations/import',
    access: ['campaign-admin'],
    summary:
      'Import the association register (社会组织登记信息) as the civil-affairs offices publish it, CSV or XLSX; ' +
      'answers which rows were accepted, changed, unchanged or refused and why',
    upload: { mediaTypes: registerMediaTypes, maxBytes: maxRegisterFileBytes },
    success: { status: 200 },
  },
  {
    operationId: 'suggestAssociations',
    method: 'GET',
    path: '/api/associations',
    access: 'public',
    summary: 'Registered associations whose name contains the text, or whose credit code starts with it',
    requestsPerMinutePerAddress: 120,
    success: { status: 200 },
  },
  // Associations: self-inspection and public fee lists.
  // (routes of this part go below this line)
  {
    operationId: 'declareFees',
    method: 'POST',
    path: '/api/self-inspections',
    access: ['association'],
    summary:
      "The association's yearly fee self-inspection (收费自查): every fee it charges, each screened by the rulebook; " +
      'a suspect fee opens a SELF_INSPECTION case. The same body again answers the same version; a new body is the next version',
    success: { status: 200 },
  },
  {
    operationId: 'listSelfInspections',
    method: 'GET',
    path: '/api/self-inspections',
    access: ['association', 'regulator', 'campaign-admin'],
    summary:
      "Declarations, every version: an association's own, or any association's for officials (by `creditCode`)",
    success: { status: 200 },
  },
  {
    operationId: 'getPublicAssociation',
    method: 'GET',
    path: '/api/public/associations/{creditCode}',
    access: 'public',
    summary:
      "An association's public fee list (收费公示): its register entry, its declared fees with their basis, and its closed cases' outcomes",
    requestsPerMinutePerAddress: 60,
    success: { status: 200 },
  },
  // Associations: repeat offenders.
  // (routes of this part go below this line)
  {
    operationId: 'getAssociationRanking',
    method: 'GET',
    path: '/api/metrics/associations',
    access: ['regulator', 'campaign-admin'],
    summary:
      'Associations ranked by their cases, abolished fees, refunds, recurrences or cases per 1,000 members',
    success: { status: 200 },
  },
  // Associations: typical cases.
  // (routes of this part go below this line)
  {
    operationId: 'createTypicalCase',
    method: 'POST',
    path: '/api/admin/typical-cases',
    access: ['campaign-admin'],
    summary:
      'Write a typical case (典型案例) about closed cases, as a draft or published at once; text naming a complainant of the cases is refused',
    success: { status: 201 },
  },
  {
    operationId: 'listTypicalCases',
    method: 'GET',
    path: '/api/admin/typical-cases',
    access: ['campaign-admin'],
    summary: 'Every typical case, drafts, published and withdrawn, newest first',
    success: { status: 200 },
  },
  {
    operationId: 'publishTypicalCase',
    method: 'POST',
    path: '/api/admin/typical-cases/{id}/publish',
    access: ['campaign-admin'],
    summary: 'Publish a typical case, screened again for complainants; publishing it again changes nothing',
    success: { status: 200 },
  },
  {
    operationId: 'withdrawTypicalCase',
    method: 'POST',
    path: '/api/admin/typical-cases/{id}/withdraw',
    access: ['campaign-admin'],
    summary: 'Take a published typical case off the public list and feed',
    success: { status: 200 },
  },
  {
    operationId: 'listPublicTypicalCases',
    method: 'GET',
    path: '/api/public/typical-cases',
    access: 'public',
    summary: 'Published typical cases, newest first: texts and the public facts of their cases',
    requestsPerMinutePerAddress: 60,
    success: { status: 200 },
  },
  {
    operationId: 'getPublicTypicalCase',
    method: 'GET',
    path: '/api/public/typical-cases/{id}',
    access: 'public',
    summary: 'One published typical case',
    success: { status: 200 },
  },
  {
    operationId: 'getTypicalCasesAtom',
    method: 'GET',
    path: '/api/public/typical-cases.atom',
    access: 'public',
    summary: 'The newest published typical cases as an Atom 1.0 feed',
    requestsPerMinutePerAddress: 60,
    success: { status: 200, contentType: 'application/atom+xml' },
  },
  {
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/api/openapi.json',
    access: 'public',
    summary: 'This document',
    success: { status: 200 },
  },
  {
    operationId: 'getHealth',
    method: 'GET',
    path: '/api/health',
    access: 'public',
    summary: 'Liveness',
    success: { status: 200 },
  },
] as const satisfies readonly ApiRoute[];

/**
 * Media types some route takes as a file: API Gateway's binary media types, so it hands such a body
 * to the function base64-encoded and unaltered (a GB18030 CSV included), as the local gateway does.
 */
export const binaryMediaTypes: readonly string[] = [
  ...new Set(apiRoutes.flatMap((route: ApiRoute) => route.upload?.mediaTypes ?? [])),
];

export type OperationId = (typeof apiRoutes)[number]['operationId'];

export const routeKey = (route: Pick<ApiRoute, 'method' | 'path'>): string => `${route.method} ${route.path}`;
