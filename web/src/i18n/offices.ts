/** Offices by their real names in the current language (广东省市场监督管理局), as the server names them. */
import { handlingOffice } from '#shared/domain/handling-office';
import { type Agency, agencies } from '#shared/domain/principal';
import { lang } from './language.ts';
import { provinceName } from './provinces.ts';

const isAgency = (value: string): value is Agency => (agencies as readonly string[]).includes(value);

/** The office of `agency` in `province` (00: the national one); an agency it does not know stays a code. */
export const officeName = (agency: string, province: string): string =>
  isAgency(agency) ? handlingOffice(agency, province, lang()).name : `${agency} · ${provinceName(province)}`;
