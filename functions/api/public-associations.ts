/** The public fee list of one association (收费公示): reads the table only, for anyone. */
import { TableAssociationRegistry } from '#shared/adapters/dynamodb/association-registry';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoSelfInspectionStore } from '#shared/adapters/dynamodb/self-inspection-store';
import { loadConfig, TableConfig } from '#shared/config';
import { apiHandler } from '#shared/http/api-handler';
import { readPublicFeeList } from '#shared/self-inspection/public-fee-list';

const config = loadConfig(TableConfig);
const store = new DynamoSelfInspectionStore(documentClient, config.TABLE_NAME);
const deps = {
  registry: new TableAssociationRegistry(documentClient, config.TABLE_NAME),
  declarations: store,
  cases: store,
};

export const handler = apiHandler({
  getPublicAssociation: async (request) => ({
    status: 200,
    body: await readPublicFeeList(deps, request.pathParameters.creditCode ?? ''),
  }),
});
