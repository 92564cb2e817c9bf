/** Users API: placeholder of the contract commit, replaced by the user-management change. */
import { DependencyUnavailableError } from '#shared/domain/errors';
import { apiHandler } from '#shared/http/api-handler';

const pending = async (): Promise<never> => {
  throw new DependencyUnavailableError('User management is not built yet');
};

export const handler = apiHandler({
  listUsers: pending,
  inviteUser: pending,
  disableUser: pending,
  enableUser: pending,
  resetUserPassword: pending,
  linkEnterprise: pending,
  signOutEverywhere: pending,
});
