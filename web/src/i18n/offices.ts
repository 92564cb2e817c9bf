/** Offices by their real names in the current language (广东省市场监督管理局), as the server names them. */
import { handlingOffice } from '#shared/domain/handling-office';
import { type Agency, agencies } from '#shared/domain/principal';
import { t, tx } from '../i18n.ts';
import type { Identity } from '../session.ts';
import { lang } from './language.ts';

const isAgency = (value: string): value is Agency => (agencies as readonly string[]).includes(value);

/** The office of `agency` in `province` (00: the national one); none for an agency it does not know. */
export const officeName = (agency: string, province: string): string | undefined =>
  isAgency(agency) ? handlingOffice(agency, province, lang()).name : undefined;

/** An officer as others see them (广东省民政厅工作人员), never by their sign-in's subject. */
export const officeStaff = (agency: string | undefined, province: string | undefined): string => {
  const office = agency && province ? officeName(agency, province) : undefined;
  return office ? t('officeStaff', { office }) : tx('actor', 'regulator');
};

/**
 * Who is signed in, as the header names them: the role, then the office of a regulator (广东省民政厅),
 * the name and credit code of an enterprise or association, and the person's name.
 */
export const identityText = (identity: Identity): string => {
  const office =
    identity.role === 'regulator' && identity.agency && identity.province
      ? officeName(identity.agency, identity.province)
      : undefined;
  const parts =
    identity.role === 'enterprise' || identity.role === 'association'
      ? [identity.name, identity.creditCode]
      : [office, identity.name];
  return [t(`role.${identity.role}`), ...parts].filter(Boolean).join(' · ');
};
