/** Users API: user management for campaign admins and national regulators, and everyone's sign-out everywhere. */
import { disableUser, enableUser, linkEnterprise, resetUserPassword } from '#shared/accounts/change-user';
import { inviteUser } from '#shared/accounts/invite-user';
import { listUsers } from '#shared/accounts/list-users';
import { signOutEverywhere } from '#shared/accounts/sign-out-everywhere';
import { accountDirectoryFor } from '#shared/adapters/account-directories';
import { auditSealFor } from '#shared/adapters/audit-seal';
import { DynamoAccountAudit } from '#shared/adapters/dynamodb/account-audit';
import { TableAssociationRegistry } from '#shared/adapters/dynamodb/association-registry';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { AccountDirectoryConfig, AuditKeyConfig, loadConfig, TableConfig } from '#shared/config';
import { apiHandler } from '#shared/http/api-handler';

const config = loadConfig(TableConfig, AuditKeyConfig, AccountDirectoryConfig);
const deps = {
  directory: accountDirectoryFor(config),
  audit: new DynamoAccountAudit(documentClient, config.TABLE_NAME, auditSealFor(config)),
  registry: new TableAssociationRegistry(documentClient, config.TABLE_NAME),
};

export const handler = apiHandler({
  listUsers: async (request) => ({
    status: 200,
    body: await listUsers(deps.directory, request.principal, request.query),
  }),
  inviteUser: async (request) => ({
    status: 201,
    body: await inviteUser(deps, request.principal, request.body),
  }),
  disableUser: async (request) => ({
    status: 200,
    body: await disableUser(deps, request.principal, request.pathParameters),
  }),
  enableUser: async (request) => ({
    status: 200,
    body: await enableUser(deps, request.principal, request.pathParameters),
  }),
  resetUserPassword: async (request) => ({
    status: 200,
    body: await resetUserPassword(deps, request.principal, request.pathParameters),
  }),
  linkEnterprise: async (request) => ({
    status: 200,
    body: await linkEnterprise(deps, request.principal, request.pathParameters, request.body),
  }),
  signOutEverywhere: async (request) => ({
    status: 200,
    body: await signOutEverywhere(deps, request.principal),
  }),
});
