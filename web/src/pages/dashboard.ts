/**
 * The campaign dashboard (regulators and admins, with filters) and the public campaign page: headline
 * figures, then each breakdown as a chart with its numbers as a table, and the open-data CSV.
 */
import { feeCategories } from '#shared/domain/complaint';
import { NATIONAL_PROVINCE, provinceCodes } from '#shared/domain/credit-code';
import { ApiError, api, bodyOf } from '../api.ts';
import { href, type PageContext, type PageRender } from '../app.ts';
import { chart } from '../charts.ts';
import { h } from '../dom.ts';
import { filterField, notice, showIssues } from '../forms.ts';
import { officeName } from '../i18n/offices.ts';
import { lang, provinceName, t, tx } from '../i18n.ts';
import { chartsOf, headlineOf } from '../metrics-model.ts';
import type { CampaignMetrics, QueryOf } from '../types.ts';
import { agencyChoices, provinceChoices } from '../ui.ts';

/** The open-data file for people, in the page's language (programs leave `lang` out for the machine form). */
export const outcomesCsvLink = (attrs: { class?: string } = {}, text = t('downloadCsv')) =>
  h(
    'a',
    {
      href: `/api/public/outcomes.csv?lang=${lang()}`,
      download: lang() === 'zh-CN' ? '涉企收费治理成效.csv' : 'fee-campaign-outcomes.csv',
      ...attrs,
    },
    text,
  );

const csvLink = () => h('p', { class: 'csv' }, outcomesCsvLink({ class: 'button' }, `⬇ ${t('downloadCsv')}`));

const figures = (metrics: CampaignMetrics) => [
  h(
    'section',
    { class: 'headline', 'aria-labelledby': 'headline-title' },
    h('h2', { id: 'headline-title' }, t('headline')),
    h(
      'ul',
      { class: 'headline-list' },
      headlineOf(metrics).map((figure) =>
        h(
          'li',
          { class: 'headline-figure', 'data-figure': figure.key },
          h('span', { class: 'headline-value' }, figure.value),
          h('span', { class: 'headline-label' }, figure.label),
        ),
      ),
    ),
  ),
  breakdowns(chartsOf(metrics).map(chart)),
];

/**
 * The breakdowns behind one disclosure, open on a wide screen and closed on a phone, where a dozen
 * charts would make the figures a long scroll.
 */
const breakdowns = (charts: HTMLElement[]) =>
  h(
    'details',
    { class: 'breakdowns', open: window.matchMedia('(min-width: 48rem)').matches },
    h('summary', null, t('breakdownsSummary', { n: charts.length })),
    h('div', { class: 'charts' }, charts),
  );

const load = async (metrics: Promise<CampaignMetrics>) => {
  try {
    return await metrics;
  } catch (error) {
    // Until the metrics routes are deployed the API answers 404; an outage is a failure, not "no figures".
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
};

/** What a visitor comes to do, first: complain (signing in as an enterprise on the way) or track. */
const services = () =>
  h(
    'section',
    { class: 'services', 'aria-labelledby': 'services-title' },
    h('h2', { id: 'services-title', class: 'visually-hidden' }, t('servicesTitle')),
    h(
      'ul',
      { class: 'service-list' },
      [
        { path: '/complaints/new', label: t('serviceComplain'), text: t('serviceComplainText') },
        { path: '/track', label: t('serviceTrack'), text: t('serviceTrackText') },
      ].map((service) =>
        h(
          'li',
          { class: 'service' },
          h('a', { href: `#${service.path}`, class: 'service-link' }, service.label),
          h('p', { class: 'service-text' }, service.text),
        ),
      ),
    ),
  );

/** Before any complaint has been handled there is nothing to chart: say so once, not with empty charts. */
const hasFigures = (metrics: CampaignMetrics) =>
  metrics.figures.complaintsReceived > 0 || metrics.figures.casesOpened > 0;

export const campaignPage: PageRender = async ({ identity }) => {
  const metrics = await load(bodyOf(api.GET('/api/public/metrics')));
  return {
    title: t('campaignTitle'),
    body: [
      h('p', { class: 'lead' }, t('campaignAbout')),
      // Officials and associations come here for the figures; the services are for enterprises.
      identity === undefined || identity.role === 'enterprise' ? services() : null,
      !metrics
        ? notice('info', t('metricsUnavailable'))
        : !hasFigures(metrics)
          ? h(
              'section',
              { class: 'empty-state', 'aria-labelledby': 'no-public-data' },
              h('h2', { id: 'no-public-data' }, t('noPublicData')),
              h('p', null, t('noPublicDataText')),
            )
          : [h('p', { class: 'lead' }, t('campaignIntro')), csvLink(), figures(metrics)],
    ],
  };
};

/** `AGENCY_PROVINCE#MCA#11` -> "Beijing Municipal Civil Affairs Bureau" (北京市民政局). */
export const scopeLabel = (scope: string): string => {
  const [kind, ...parts] = scope.split('#');
  switch (kind) {
    case 'ALL':
      return t('scopeAll');
    case 'AGENCY_PROVINCE':
      return officeName(parts[0] ?? '', parts[1] ?? '') ?? scope;
    case 'AGENCY':
      return tx('agency', parts[0]);
    case 'PROVINCE':
      return provinceName(parts[0]);
    case 'CATEGORY':
      return tx('category', parts[0]);
    default:
      return scope;
  }
};

export const dashboardPage: PageRender = async ({ app, query, identity }: PageContext) => {
  const admin = identity?.role === 'campaign-admin';
  // Regulators see their agency in their province; a national one may pick a province.
  const nationalRegulator = identity?.role === 'regulator' && identity.province === NATIONAL_PROVINCE;
  const filters = {
    province: admin || nationalRegulator ? (query.get('province') ?? '') : '',
    category: admin ? (query.get('category') ?? '') : '',
    agency: admin ? (query.get('agency') ?? '') : '',
  };
  let metrics: CampaignMetrics | undefined;
  let refused: ApiError | undefined;
  try {
    // The address's filters go as they are (empty ones are left out): the API refuses what is not
    // valid, and the form shows why.
    metrics = await load(
      bodyOf(api.GET('/api/metrics', { params: { query: filters as QueryOf<'getMetrics'> } })),
    );
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 400 && error.status !== 403)) throw error;
    refused = error;
  }
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('filtersTitle'), novalidate: true },
    admin || nationalRegulator
      ? filterField(
          { path: 'province', label: t('provinceLabel'), value: filters.province },
          provinceChoices(provinceCodes),
        )
      : null,
    admin
      ? filterField({ path: 'agency', label: t('agencyLabel'), value: filters.agency }, agencyChoices())
      : null,
    admin
      ? filterField(
          { path: 'category', label: t('caseCategory'), hint: t('categoryAlone'), value: filters.category },
          feeCategories.map((category) => ({ value: category, label: tx('category', category) })),
        )
      : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('apply'))),
  );
  // The metrics are by category for the whole country, or by agency and province: choosing one side
  // takes the other out of reach, so the refused combination cannot be asked for.
  const control = (name: string) => form.querySelector<HTMLSelectElement>(`select[name="${name}"]`);
  const [category, province, agency] = [control('category'), control('province'), control('agency')];
  const exclude = () => {
    if (!category) return;
    const scoped = [province, agency].filter((other): other is HTMLSelectElement => other !== null);
    for (const other of scoped) {
      if (category.value !== '') other.value = '';
      other.disabled = category.value !== '';
    }
    category.disabled = scoped.some((other) => other.value !== '');
  };
  form.addEventListener('change', exclude);
  exclude();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '') || undefined;
    const next = { province: value('province'), category: value('category'), agency: value('agency') };
    app.navigate(`/dashboard${href('', next).slice(1)}`);
  });
  if (refused && refused.details.length > 0) showIssues(form, refused.details);
  return {
    title: t('dashboardTitle'),
    body: [
      admin || nationalRegulator ? form : null,
      refused && refused.details.length === 0 ? notice('error', t('forbiddenAction')) : null,
      metrics ? h('p', { class: 'scope' }, t('scope', { scope: scopeLabel(metrics.scope) })) : null,
      csvLink(),
      h('p', null, h('a', { href: '#/dashboard/associations' }, t('rankLink'))),
      metrics ? figures(metrics) : refused ? null : notice('info', t('metricsUnavailable')),
    ],
  };
};
