/** Offices by their real names in the current language (广东省市场监督管理局), as the server names them. */
import { handlingOffice } from '#shared/domain/handling-office';
import { type Agency, agencies } from '#shared/domain/principal';
import { t, tx } from '../i18n.ts';
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
