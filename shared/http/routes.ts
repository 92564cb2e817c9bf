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
}

export const apiRoutes = [
  {
    operationId: 'fileComplaint',
    method: 'POST',
    path: '/api/complaints',
    access: ['enterprise'],
    summary: 'File a complaint about a fee',
  },
  {
    operationId: 'listComplaints',
    method: 'GET',
    path: '/api/complaints',
    access: ['enterprise'],
    summary: "The caller's own complaints, newest first",
  },
  {
    operationId: 'getComplaint',
    method: 'GET',
    path: '/api/complaints/{id}',
    access: ['enterprise', 'regulator', 'campaign-admin'],
    summary: 'A complaint with its case summary and public timeline',
  },
  {
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/api/openapi.json',
    access: 'public',
    summary: 'This document',
  },
  {
    operationId: 'getHealth',
    method: 'GET',
    path: '/api/health',
    access: 'public',
    summary: 'Liveness',
  },
] as const satisfies readonly ApiRoute[];

export type OperationId = (typeof apiRoutes)[number]['operationId'];

export const routeKey = (route: Pick<ApiRoute, 'method' | 'path'>): string => `${route.method} ${route.path}`;
