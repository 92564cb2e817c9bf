/** The OpenAPI document and liveness: public, cheap, no table access. */
import { apiHandler } from '#shared/http/api-handler';
import { buildOpenApiDocument } from '#shared/http/openapi';

// Built once per cold start: the document only changes with a deployment.
const openApiDocument = buildOpenApiDocument();

export const handler = apiHandler({
  getOpenApi: async () => ({ status: 200, body: openApiDocument }),
  getHealth: async () => ({ status: 200, body: { status: 'ok', time: new Date().toISOString() } }),
});
