/**
 * Associations as the civil-affairs registers list them (社会组织登记信息): the registry the campaign
 * imports, and what ties complaints, self-inspections, orders and figures to one association.
 */

/** Where the association is registered: 民政部 (national), a province's, a city's or a county's 民政 office. */
export const associationLevels = ['NATIONAL', 'PROVINCIAL', 'CITY', 'COUNTY'] as const;
export type AssociationLevel = (typeof associationLevels)[number];

/** 正常 (active), 撤销登记 (registration revoked), 注销 (deregistered). */
export const associationStatuses = ['ACTIVE', 'REVOKED', 'DEREGISTERED'] as const;
export type AssociationStatus = (typeof associationStatuses)[number];

/** One association or chamber of commerce of the register, keyed by its unified social credit code. */
export interface RegisteredAssociation {
  creditCode: string;
  name: string;
  level: AssociationLevel;
  /** 登记管理机关, e.g. 广东省民政厅. */
  registeringAuthority: string;
  /** 业务主管单位, for associations that still have one. */
  businessSupervisor?: string;
  /** The association a branch (分支机构) belongs to. */
  parentCreditCode?: string;
  memberCount: number;
  status: AssociationStatus;
  /** The province its cases route to: the credit code's. */
  province: string;
  /** When an import first listed it, and when one last changed it. */
  registeredAt: string;
  updatedAt: string;
}

/** How a fee case came to be: an enterprise's complaint, or a fee the association declared in its self-inspection. */
export const caseOrigins = ['COMPLAINT', 'SELF_INSPECTION'] as const;
export type CaseOrigin = (typeof caseOrigins)[number];
