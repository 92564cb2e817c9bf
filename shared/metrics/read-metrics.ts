/**
 * Reading campaign metrics: one scope per request, a constant number of counter items whatever the
 * number of cases. Regulators see their own agency and province; admins choose; the public sees the
 * campaign as a whole.
 */
import { NATIONAL_PROVINCE } from '#shared/domain/credit-code';
import { ForbiddenRoleError, ValidationError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import { parseWith } from '#shared/domain/validation';
import type { Counters } from '#shared/metrics/counters';
import { metricsOf } from '#shared/metrics/figures';
import { type CampaignMetrics, MetricsQuery } from '#shared/metrics/messages';

export interface MetricsReader {
  read(scope: string): Promise<Counters>;
}

/** The scope a caller asks for, checked against what the caller may see. */
export const scopeFor = (principal: Principal, rawQuery: unknown): string => {
  const query = parseWith(MetricsQuery, rawQuery, 'query');
  if (principal.role === 'regulator') {
    const own = principal.province === NATIONAL_PROVINCE ? undefined : principal.province;
    const province = query.province ?? own;
    if (query.agency && query.agency !== principal.agency)
      throw new ForbiddenRoleError('Regulators see their own agency');
    if (own && province !== own) throw new ForbiddenRoleError('Regulators see their own province');
    if (query.category) throw new ForbiddenRoleError('Regulators see their agency and province as a whole');
    return province ? `AGENCY_PROVINCE#${principal.agency}#${province}` : `AGENCY#${principal.agency}`;
  }
  if (principal.role !== 'campaign-admin')
    throw new ForbiddenRoleError('Only regulators and admins read these metrics');
  const { agency, province, category } = query;
  if (category && (agency || province)) {
    throw new ValidationError('Filter by category alone', [
      { path: 'category', code: 'not_combinable', message: 'cannot be combined' },
    ]);
  }
  if (agency && province) return `AGENCY_PROVINCE#${agency}#${province}`;
  if (agency) return `AGENCY#${agency}`;
  if (province) return `PROVINCE#${province}`;
  if (category) return `CATEGORY#${category}`;
  return 'ALL';
};

export const readMetrics = async (
  reader: MetricsReader,
  principal: Principal,
  query: unknown,
): Promise<CampaignMetrics> => {
  const scope = scopeFor(principal, query);
  return metricsOf(scope, await reader.read(scope));
};

export const readPublicMetrics = async (reader: MetricsReader): Promise<CampaignMetrics> =>
  metricsOf('ALL', await reader.read('ALL'));
