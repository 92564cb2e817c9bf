import type { z } from 'zod';
import { ComplaintInput } from '#shared/domain/complaint';
import { IntakeReceiptMessage } from '#shared/file-complaint/messages';
import { Health } from '#shared/http/messages';
import { CampaignMetrics, MetricsQuery, PublicMetricsQuery } from '#shared/metrics/messages';
import { CaseDetail } from '#shared/read-cases/messages';
import { ComplaintDetail, ComplaintList, ListComplaintsQuery } from '#shared/read-complaints/messages';
import { ClaimedTask, CompletedTask, ListTasksQuery, TaskCompletion, TaskList } from '#shared/tasks/messages';

/**
 * The HTTP contract: every route of the API with the roles that may call it. It lives in `shared/`
 * because the Lambda handlers need it at run time (role checks, the generated OpenAPI document);
 * `infra/system.ts` maps each route to the function that serves it, for CDK and the local runtime alike.
 */

export const roles = ['enterprise', 'regulator', 'association', 'campaign-admin'] as const;
export type Role = (typeof roles)[number];

export type HttpMethod = 'GET' | 'POST';

export interface ApiRoute {
  operationId: string;
  method: HttpMethod;
  /** API Gateway resource path, with `{param}` placeholders. */
  path: string;
  /** Roles allowed to call it; `public` means no token is needed. */
  access: 'public' | readonly Role[];
  summary: string;
  /** Schemas of the request and the success response, for the generated OpenAPI document. */
  body?: z.ZodType;
  query?: z.ZodType;
  /** Extra request headers the operation reads. */
  headers?: readonly { name: string; description: string }[];
  success: { status: number; schema?: z.ZodType; contentType?: string };
}

export const apiRoutes = [
  {
    operationId: 'fileComplaint',
    method: 'POST',
    path: '/api/complaints',
    access: ['enterprise'],
    summary: 'File a complaint about a fee',
    body: ComplaintInput,
    headers: [
      {
        name: 'Idempotency-Key',
        description: 'Repeat a request safely: the same key and body give the same answer',
      },
    ],
    success: { status: 202, schema: IntakeReceiptMessage },
  },
  {
    operationId: 'listComplaints',
    method: 'GET',
    path: '/api/complaints',
    access: ['enterprise'],
    summary: "The caller's own complaints, newest first",
    query: ListComplaintsQuery,
    success: { status: 200, schema: ComplaintList },
  },
  {
    operationId: 'getComplaint',
    method: 'GET',
    path: '/api/complaints/{id}',
    access: ['enterprise', 'regulator', 'campaign-admin'],
    summary: 'A complaint with its case summary and public timeline',
    success: { status: 200, schema: ComplaintDetail },
  },
  {
    operationId: 'getCase',
    method: 'GET',
    path: '/api/cases/{id}',
    access: ['regulator', 'association', 'campaign-admin'],
    summary: 'A fee case with its classification, tasks and audit trail',
    success: { status: 200, schema: CaseDetail },
  },
  {
    operationId: 'listTasks',
    method: 'GET',
    path: '/api/tasks',
    access: ['regulator', 'association', 'enterprise', 'campaign-admin'],
    summary: 'The task inbox, by due date',
    query: ListTasksQuery,
    success: { status: 200, schema: TaskList },
  },
  {
    operationId: 'claimTask',
    method: 'POST',
    path: '/api/tasks/{id}/claim',
    access: ['regulator'],
    summary: 'Take a task so that nobody else completes it',
    success: { status: 200, schema: ClaimedTask },
  },
  {
    operationId: 'completeTask',
    method: 'POST',
    path: '/api/tasks/{id}/complete',
    access: ['regulator', 'association', 'enterprise'],
    summary: 'Complete a task; the body depends on its kind',
    body: TaskCompletion,
    success: { status: 200, schema: CompletedTask },
  },
  {
    operationId: 'getMetrics',
    method: 'GET',
    path: '/api/metrics',
    access: ['regulator', 'campaign-admin'],
    summary: 'Campaign metrics of one scope: a province, a category, an agency, or everything',
    query: MetricsQuery,
    success: { status: 200, schema: CampaignMetrics },
  },
  {
    operationId: 'getPublicMetrics',
    method: 'GET',
    path: '/api/public/metrics',
    access: 'public',
    summary: 'Campaign-wide aggregates',
    query: PublicMetricsQuery,
    success: { status: 200, schema: CampaignMetrics },
  },
  {
    operationId: 'getOutcomesCsv',
    method: 'GET',
    path: '/api/public/outcomes.csv',
    access: 'public',
    summary: 'Open data: every closed case, as CSV (RFC 4180), without complainant data',
    query: PublicMetricsQuery,
    success: { status: 200, contentType: 'text/csv' },
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
    success: { status: 200, schema: Health },
  },
] as const satisfies readonly ApiRoute[];

export type OperationId = (typeof apiRoutes)[number]['operationId'];

export const routeKey = (route: Pick<ApiRoute, 'method' | 'path'>): string => `${route.method} ${route.path}`;
