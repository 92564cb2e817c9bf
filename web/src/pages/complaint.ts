/**
 * One complaint: where its case stands (stage, verdict, outcome, money), its public timeline, and its
 * evidence files, to which the complainant may add while the case is open.
 */
import { MAX_ATTACHMENTS } from '#shared/domain/evidence';
import { api, bodyOf } from '../api.ts';
import { type App, href, type PageRender } from '../app.ts';
import { attachmentsBlock } from '../attachments.ts';
import { h } from '../dom.ts';
import { evidencePicker } from '../evidence-picker.ts';
import { clearIssues, showProblem } from '../forms.ts';
import { timelineText } from '../i18n/timeline.ts';
import { formatDate, formatDateTime, formatMoney, provinceName, t, tx } from '../i18n.ts';
import type { ComplaintDetail } from '../types.ts';
import { dl, factsList, section, stageBadge } from '../ui.ts';
import { closingFeedback } from './closing-feedback.ts';
import { progressSection } from './progress.ts';

/** 补充证明材料: more files for the complaint while its case is open, up to the complaint's limit. */
const addEvidenceSection = (app: App, complaint: ComplaintDetail['complaint'], reload: string) => {
  const room = MAX_ATTACHMENTS - (complaint.attachments?.length ?? 0);
  if (room <= 0) return null;
  const evidence = evidencePicker({ purpose: 'COMPLAINT', room, required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('evidenceAddSubmit'));
  const form = h(
    'form',
    { novalidate: true, class: 'stack' },
    evidence.element,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearIssues(form);
    if (!evidence.ready()) return;
    const body = { attachments: evidence.clean().map((file) => file.uploadId) };
    if (body.attachments.length === 0) return showProblem(form, t('evidenceAddNone'));
    submit.disabled = true;
    try {
      await bodyOf(
        api.POST('/api/complaints/{id}/attachments', {
          params: { path: { id: complaint.complaintId } },
          body,
        }),
      );
      app.navigate(reload, { kind: 'success', text: t('evidenceAdded') });
    } catch (error) {
      showProblem(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'add-evidence' },
    h('h2', { id: 'add-evidence' }, t('evidenceAddTitle')),
    h('p', { class: 'hint' }, t('evidenceAddIntro')),
    form,
  );
};

export const complaintPage: PageRender = async ({ app, path, params, identity }) => {
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
            ? [
                t('publishedStandard'),
                h('span', { class: 'money' }, formatMoney(complaint.fee.publishedStandardFen)),
              ]
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
        attachmentsBlock(t('attachmentsTitle'), complaint.attachments),
      ),
      identity?.role === 'enterprise' && feeCase.stage !== 'CLOSED'
        ? addEvidenceSection(app, complaint, path)
        : null,
    ],
  };
};
