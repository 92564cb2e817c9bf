/** Registry API: campaign admins import the association register; anyone gets suggestions from it. */
import { TableAssociationRegistry } from '#shared/adapters/dynamodb/association-registry';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { loadConfig, TableConfig } from '#shared/config';
import { apiHandler } from '#shared/http/api-handler';
import { importRegister } from '#shared/registry/import-register';
import { cachedSearchable, suggestAssociations } from '#shared/registry/suggest-associations';

const config = loadConfig(TableConfig);
const registry = new TableAssociationRegistry(documentClient, config.TABLE_NAME);
// The register changes only by imports: a minute's staleness per instance buys answers without a read.
const register = cachedSearchable(registry, 60_000);

export const handler = apiHandler({
  importAssociationRegister: async (request) => ({
    status: 200,
    body: await importRegister({ store: registry }, request.principal, {
      bytes: request.body as Buffer,
      contentType: request.headers['content-type'],
    }),
  }),
  suggestAssociations: async (request) => ({
    status: 200,
    body: await suggestAssociations(register, request.query),
    headers: { 'cache-control': 'public, max-age=60' },
  }),
});
