/**
 * Self-inspection: an association declares its fees for a year (each screened by the rulebook, suspect
 * ones opening SELF_INSPECTION cases, which the case journal starts in the fee-case workflow); declarations are read back by version.
 */
import { TableAssociationRegistry } from '#shared/adapters/dynamodb/association-registry';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { DynamoSelfInspectionStore } from '#shared/adapters/dynamodb/self-inspection-store';
import { loadConfig, TableConfig } from '#shared/config';
import { apiHandler } from '#shared/http/api-handler';
import { requireRole } from '#shared/http/principal';
import { declareFees, listSelfInspections } from '#shared/self-inspection/declare-fees';

const config = loadConfig(TableConfig);
const store = new DynamoSelfInspectionStore(documentClient, config.TABLE_NAME);
const deps = {
  registry: new TableAssociationRegistry(documentClient, config.TABLE_NAME),
  declarations: store,
  uploads: new DynamoEvidenceUploads(documentClient, config.TABLE_NAME),
  cases: store,
  tasks: store,
};

export const handler = apiHandler({
  declareFees: async (request) => ({
    status: 200,
    body: await declareFees(deps, requireRole(request.principal, 'association'), request.body),
  }),
  listSelfInspections: async (request) => ({
    status: 200,
    body: await listSelfInspections(deps, request.principal, request.query),
  }),
});
