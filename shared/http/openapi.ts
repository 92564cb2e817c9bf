/**
 * The OpenAPI 3.1 document, generated from the route table and the same zod schemas that parse
 * requests, so the document cannot drift from what the API accepts.
 */
import * as z from '#shared/domain/schema';
// Imported for its registration: the Error component every error response refers to.
import '#shared/http/messages';
import { routeMessages } from '#shared/http/route-messages';
import { type ApiRoute, apiRoutes, type OperationId } from '#shared/http/routes';

const componentRef = (id: string) => `#/components/schemas/${id}`;

const schemaOf = (schema: z.ZodMiniType, io: 'input' | 'output') => {
  const id = z.globalRegistry.get(schema)?.id;
  return id ? { $ref: componentRef(id) } : z.toJSONSchema(schema, { io, unrepresentable: 'any' });
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: componentRef('Error') } } },
});

const pathParameters = (path: string) =>
  [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string', maxLength: 100 },
  }));

const queryParameters = (query: z.ZodMiniType | undefined) => {
  if (!query) return [];
  const json = z.toJSONSchema(query, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema,
  }));
};

const operation = (route: ApiRoute) => {
  const { body, query, success } = routeMessages[route.operationId as OperationId];
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.access === 'public' ? { security: [] } : { 'x-roles': route.access }),
    parameters: [
      ...pathParameters(route.path),
      ...queryParameters(query),
      ...(route.headers ?? []).map((header) => ({
        name: header.name,
        in: 'header',
        required: false,
        description: header.description,
        schema: { type: 'string', maxLength: 200 },
      })),
    ],
    ...(body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(body, 'input') } },
          },
        }
      : {}),
    responses: {
      [route.success.status]: {
        description: 'Success',
        ...(success
          ? {
              content: {
                [route.success.contentType ?? 'application/json']: {
                  schema: schemaOf(success, 'output'),
                },
              },
            }
          : {}),
      },
      ...(body ? { '400': errorResponse('Invalid request; `details` lists the failing fields') } : {}),
      ...(route.access === 'public'
        ? {}
        : {
            '401': errorResponse('No token, or an invalid one'),
            '403': errorResponse('Your role may not do this'),
          }),
      '404': errorResponse('Absent, or not yours'),
      ...(body
        ? {
            '413': errorResponse('Body over 32 KiB'),
            '415': errorResponse('Body is not application/json'),
            '422': errorResponse('Idempotency-Key reused with a different body'),
          }
        : {}),
      '503': errorResponse('A dependency is unavailable; retry'),
    },
  };
};

export const buildOpenApiDocument = () => {
  // Registered schemas (those with a `.meta({ id })`) become components, referenced by id.
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    io: 'input',
    unrepresentable: 'any',
    uri: componentRef,
  });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of apiRoutes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Fee-burden campaign API',
      version: '1.0.0',
      description:
        'Enterprises complain about association fees; regulators classify, order and verify rectification.',
    },
    servers: [{ url: '/' }],
    components: {
      schemas,
      securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    security: [{ cognito: [] }],
    paths,
  };
};
