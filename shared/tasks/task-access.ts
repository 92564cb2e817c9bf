/**
 * Who may see and complete which task. Regulators act in their agency and province (escalated
 * tasks sit at the national level, 00); associations act on their own rectification orders;
 * complainants answer their information requests; campaign admins see everything.
 */
import type { FeeTask } from '#shared/domain/fee-task';
import type { Principal } from '#shared/http/principal';

const regulatorActs = (principal: Principal, task: FeeTask) =>
  principal.role === 'regulator' && principal.agency === task.agency && principal.province === task.province;

export const canSeeTask = (principal: Principal, task: FeeTask): boolean => {
  switch (principal.role) {
    case 'campaign-admin':
      return true;
    case 'regulator':
      return regulatorActs(principal, task);
    case 'association':
      return task.kind === 'RECTIFICATION' && task.associationCreditCode === principal.creditCode;
    case 'enterprise':
      return task.kind === 'INFO' && task.enterpriseCreditCode === principal.creditCode;
    default:
      return false;
  }
};

export const canCompleteTask = (principal: Principal, task: FeeTask): boolean => {
  switch (task.kind) {
    case 'REVIEW':
    case 'VERIFICATION':
      return regulatorActs(principal, task);
    case 'RECTIFICATION':
      // A regulator may report on the association's behalf.
      return (
        regulatorActs(principal, task) ||
        (principal.role === 'association' && principal.creditCode === task.associationCreditCode)
      );
    case 'INFO':
      return principal.role === 'enterprise' && principal.creditCode === task.enterpriseCreditCode;
  }
};

export const subjectOf = (principal: Principal): string =>
  principal.role === 'anonymous' ? 'anonymous' : principal.subject;
