/** One complaint: where its case stands (stage, verdict, outcome, money) and its public timeline. */
import { api, bodyOf } from '../api.ts';
import { href, type PageRender } from '../app.ts';
import { h } from '../dom.ts';
import { timelineText } from '../i18n/timeline.ts';
import { formatDate, formatDateTime, formatMoney, provinceName, t, tx } from '../i18n.ts';
import { dl, factsList, section, stageBadge } from '../ui.ts';
import { closingFeedback } from './closing-feedback.ts';
import { progressSection } from './progress.ts';

export const complaintPage: PageRender = async ({ app, params, identity }) => {
  const detail = await bodyOf(api.GET('/api/complaints/{id}', { params: { path: { id: params.id ?? '' } } }));
  const { complaint, case: feeCase, timeline, progress } = detail;
  const info =
    identity?.role === 'enterprise' && feeCase.stage === 'INFO_REQUESTED'
      ? (
          await bodyOf(
            api.GET('/api/tasks', { params: { query: { kind: 'INFO', status: 'OPEN', limit: 100 } } }),
          )
        ).items.find((task) => task.caseId === feeCase.caseId)
      : undefined;

  return {
    title: t('complaintTitle', { fee: complaint.fee.name }),
    body: [
      identity?.role !== 'enterprise'
        ? h(
            'p',
            null,
            h('a', { href: href(`/cases/${encodeURIComponent(feeCase.caseId)}`) }, `← ${t('caseSummary')}`),
          )
        : null,
      section(
        t('caseStatus'),
        dl([
          [t('colStage'), stageBadge(feeCase.stage)],
          [t('colVerdict'), feeCase.verdict ? tx('verdict', feeCase.verdict) : t('verdictPending')],
          [t('colOutcome'), feeCase.outcome ? tx('outcome', feeCase.outcome) : t('outcomePending')],
          [t('refunded'), h('span', { class: 'money' }, formatMoney(feeCase.refundedFen))],
          [t('annualRemoved'), h('span', { class: 'money' }, formatMoney(feeCase.reducedAnnualFen))],
        ]),
        info
          ? h(
              'p',
              { class: 'callout' },
              t('infoRequestsIntro'),
              ' ',
              h(
                'a',
                { href: href(`/info/${encodeURIComponent(info.taskId)}`), class: 'button primary' },
                t('answer'),
              ),
            )
          : null,
      ),
      progressSection(progress),
      closingFeedback(app, detail, identity?.role === 'enterprise'),
      section(
        t('timeline'),
        h(
          'ol',
          { class: 'timeline' },
          timeline.map((entry) =>
            h(
              'li',
              null,
              h('time', { datetime: entry.at }, formatDateTime(entry.at)),
              ' ',
              h('span', { class: 'timeline-note' }, timelineText(entry.type, entry.params)),
            ),
          ),
        ),
      ),
      section(
        identity?.role === 'enterprise' ? t('yourComplaint') : t('theComplaint'),
        dl([
          complaint.reference ? [t('referenceLabel'), complaint.reference] : null,
          [
            t('caseAssociation'),
            `${complaint.association.name}${complaint.association.creditCode ? ` (${complaint.association.creditCode})` : ''} · ${provinceName(complaint.association.province)}`,
          ],
          [t('caseFee'), complaint.fee.name],
          complaint.repeatOf
            ? [
                t('addedToEarlier'),
                h(
                  'a',
                  { href: href(`/complaints/${encodeURIComponent(complaint.repeatOf.complaintId)}`) },
                  complaint.repeatOf.reference ?? complaint.repeatOf.complaintId,
                ),
              ]
            : null,
          [t('caseCategory'), tx('category', complaint.fee.category)],
          [t('caseAmount'), h('span', { class: 'money' }, formatMoney(complaint.fee.amountFen))],
          [t('casePeriod'), tx('period', complaint.fee.period)],
          [t('caseChargedOn'), formatDate(complaint.fee.chargedOn)],
          complaint.fee.publishedStandardFen !== undefined
            ? [t('publishedStandard'), formatMoney(complaint.fee.publishedStandardFen)]
            : null,
          [t('description'), h('span', { class: 'prewrap' }, complaint.description)],
          [t('disclose'), complaint.discloseIdentityToAssociation ? t('yes') : t('no')],
          // Regulators reach the complainant; the enterprise knows its own details.
          identity?.role !== 'enterprise' ? [t('creditCodeLabel'), complaint.enterpriseCreditCode] : null,
          identity?.role !== 'enterprise'
            ? [
                t('sectionContact'),
                [complaint.contact.name, complaint.contact.phone, complaint.contact.email]
                  .filter(Boolean)
                  .join(' · '),
              ]
            : null,
        ]),
        h('h3', null, t('factsTitle')),
        factsList(complaint.facts),
      ),
    ],
  };
};
