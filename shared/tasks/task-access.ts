/**
 * Who may see and complete which task. Regulators act in their agency and province (escalated
 * tasks sit at the national level, 00); associations act on their own rectification orders;
 * complainants answer their information requests (the account that filed, by `enterpriseId`);
 * campaign admins see everything.
 */
import type { FeeTask } from '#shared/domain/fee-task';
import type { Principal } from '#shared/domain/principal';

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
      return task.kind === 'INFO' && task.enterpriseId === principal.enterpriseId;
    default:
      return false;
  }
};

/**
 * The party a task asks to act: the association ordered to rectify, the complainant asked for
 * information. A regulator's claim never keeps it from answering.
 */
export const isAddressedTo = (principal: Principal, task: FeeTask): boolean =>
  (task.kind === 'RECTIFICATION' &&
    principal.role === 'association' &&
    principal.creditCode === task.associationCreditCode) ||
  (task.kind === 'INFO' && principal.role === 'enterprise' && principal.enterpriseId === task.enterpriseId);

export const canCompleteTask = (principal: Principal, task: FeeTask): boolean => {
  switch (task.kind) {
    case 'REVIEW':
    case 'VERIFICATION':
      return regulatorActs(principal, task);
    case 'RECTIFICATION':
      // A regulator may report on the association's behalf.
      return regulatorActs(principal, task) || isAddressedTo(principal, task);
    case 'INFO':
      return isAddressedTo(principal, task);
    case 'EXTENSION':
      return regulatorActs(principal, task);
    case 'SECOND_REVIEW':
      // Four eyes: the regulator whose decision is under review cannot confirm it.
      return regulatorActs(principal, task) && subjectOf(principal) !== task.firstReviewer;
    case 'DECLARATION':
      // It closes itself when the association declares; nobody completes it by hand.
      return false;
  }
};

export const subjectOf = (principal: Principal): string =>
  principal.role === 'anonymous' ? 'anonymous' : principal.subject;
