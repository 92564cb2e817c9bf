/**
 * The sections of the case page, each from the case as the API shows it to the reader: regulators and
 * admins see the full view, the association the redacted one.
 */
import { isTimelineEvent, timelineParams } from '#shared/domain/timeline';
import { href } from '../../app.ts';
import { attachmentList, attachmentsBlock } from '../../attachments.ts';
import { h, scrollTable, table } from '../../dom.ts';
import { notice } from '../../forms.ts';
import { officeName, officeStaff } from '../../i18n/offices.ts';
import { timelineText } from '../../i18n/timeline.ts';
import {
  formatDate,
  formatDateTime,
  formatMoney,
  joinList,
  orderTextIn,
  provinceName,
  ruleTitle,
  t,
  tx,
} from '../../i18n.ts';
import type { Identity } from '../../session.ts';
import type { CaseView } from '../../types.ts';
import { badge, dl, dueDate, flagBadges, section, stageBadge } from '../../ui.ts';

const money = (fen: number) => h('span', { class: 'money' }, formatMoney(fen));

/** What the case is about and where it stands, with its aggregates. */
export const summarySection = (detail: CaseView) => {
  const c = detail.case;
  // The association's view carries no complaint's amount or dates and no internal reasoning.
  const full = detail.view === 'full';
  return section(
    t('caseSummary'),
    h(
      'p',
      null,
      stageBadge(c.stage),
      ' ',
      flagBadges({
        overdue: c.flags.includes('overdue'),
        escalated: c.flags.includes('escalated'),
        attention: c.flags.includes('attention'),
      }),
      c.flags.includes('undeclared') ? [' ', badge(t('flagUndeclared'), 'attention')] : null,
    ),
    dl([
      c.reference ? [t('caseReference'), c.reference] : null,
      [
        t('caseOrigin'),
        c.origin === 'SELF_INSPECTION'
          ? t('originSelfInspection', { year: c.declaration?.year ?? '' })
          : t('originComplaint'),
      ],
      [
        t('caseAssociation'),
        `${c.association.name}${c.association.creditCode ? ` (${c.association.creditCode})` : ''} · ${provinceName(c.association.province)}`,
      ],
      [t('caseFee'), c.fee.name],
      [t('caseCategory'), tx('category', c.fee.category)],
      full ? [t('caseAmount'), money(detail.case.fee.amountFen)] : null,
      [t('casePeriod'), tx('period', c.fee.period)],
      full ? [t('caseChargedOn'), formatDate(detail.case.fee.chargedOn)] : null,
      full && detail.case.fee.publishedStandardFen !== undefined
        ? [t('publishedStandard'), money(detail.case.fee.publishedStandardFen)]
        : null,
      [t('caseAgency'), (c.agency && officeName(c.agency, c.province)) || '–'],
      [t('caseVerdict'), c.verdict ? tx('verdict', c.verdict) : t('verdictPending')],
      [t('caseOutcome'), c.outcome ? tx('outcome', c.outcome) : t('outcomePending')],
      [t('caseComplaints'), String(c.complaintCount)],
      [t('caseEnterprises'), String(c.enterpriseCount)],
      [t('caseClaimed'), money(c.claimedFen)],
      [t('caseRefunded'), money(c.refundedFen)],
      [t('caseReduced'), money(c.reducedAnnualFen)],
      full ? [t('caseOpened'), formatDateTime(detail.case.openedAt)] : null,
      c.closedAt ? [t('caseClosed'), formatDateTime(c.closedAt)] : null,
    ]),
  );
};

/** The rulebook's suggestion: verdict, routing, actions and the rules matched with their citations. */
export const classificationSection = (detail: CaseView) => {
  const { suggested } = detail.classification;
  const province = detail.case.province;
  return section(
    t('suggestedTitle'),
    suggested
      ? [
          dl([
            [t('suggestedVerdict'), tx('verdict', suggested.verdict)],
            [t('suggestedAgency'), officeName(suggested.agency, province) ?? suggested.agency],
            [
              t('suggestedActions'),
              suggested.actions.length > 0
                ? joinList(suggested.actions.map((a) => tx('action', a)))
                : t('none'),
            ],
            'refundBasisFen' in suggested ? [t('refundBasis'), money(suggested.refundBasisFen)] : null,
            [t('rulebookVersion'), suggested.rulebookVersion],
          ]),
          h('h3', null, t('matchedRules')),
          suggested.rules.length === 0
            ? h('p', null, t('noRulesMatched'))
            : h(
                'ul',
                { class: 'rules' },
                suggested.rules.map((rule) =>
                  h(
                    'li',
                    null,
                    h('strong', null, `${rule.id} `, ruleTitle(rule.id, rule.title)),
                    h(
                      'p',
                      { class: 'citation' },
                      t('issueEntry', { label: t('citation'), message: '' }),
                      h('cite', { lang: 'zh-CN' }, rule.citation),
                    ),
                  ),
                ),
              ),
        ]
      : h('p', null, t('suggestedNone')),
  );
};

type FinalDecision = NonNullable<CaseView['classification']['final']>;

/** A decision as its reader checks it: verdict, the rules it rests on, the actions and the reason. */
export const decisionList = (final: FinalDecision) =>
  dl([
    [t('verdictLabel'), tx('verdict', final.verdict)],
    [
      t('finalRules'),
      final.ruleIds.length > 0
        ? joinList(final.ruleIds.map((id) => `${id} ${ruleTitle(id, id)}`))
        : t('none'),
    ],
    [
      t('finalActions'),
      final.actions.length > 0 ? joinList(final.actions.map((a) => tx('action', a))) : t('none'),
    ],
    'reason' in final ? [t('finalReason'), h('span', { class: 'prewrap' }, final.reason)] : null,
  ]);

/** The regulator's decision, once there is one; one awaiting its second regulator says so. */
export const decisionSection = (detail: CaseView) => {
  const { final } = detail.classification;
  const proposed = detail.tasks.some((task) => task.kind === 'SECOND_REVIEW' && task.status === 'OPEN');
  return final ? section(t(proposed ? 'finalTitleProposed' : 'finalTitle'), decisionList(final)) : null;
};

/** The rectification order and the report on it, once ordered. */
export const orderSection = (detail: CaseView) => {
  const c = detail.case;
  const { final } = detail.classification;
  // The report's files are those of the order's task it completed, the latest.
  const reportFiles = detail.tasks.findLast(
    (task) => task.kind === 'RECTIFICATION' && task.status === 'COMPLETED',
  )?.attachments;
  return c.order
    ? section(
        t('orderTitle'),
        dl([
          [
            t('finalActions'),
            c.order.actions.length > 0 ? joinList(c.order.actions.map((a) => tx('action', a))) : t('none'),
          ],
          [t('rectificationDaysLabel'), t('orderDays', { n: c.order.rectificationDays })],
          [t('orderDue'), formatDate(c.order.dueAt)],
          c.order.orderText
            ? [
                t('orderTextTitle'),
                h(
                  'span',
                  { class: 'prewrap' },
                  orderTextIn(c.order.orderText, final?.verdict, c.order.actions),
                ),
              ]
            : null,
        ]),
        c.rectification
          ? [
              h('h3', null, t('rectificationTitle')),
              dl([
                [t('rectAbolished'), c.rectification.abolished ? t('yes') : t('no')],
                [t('caseRefunded'), money(c.rectification.refundedFen)],
                c.rectification.reducedAnnualFen === undefined
                  ? null
                  : [t('caseReduced'), money(c.rectification.reducedAnnualFen)],
                [
                  t('rectEvidence'),
                  [
                    c.rectification.evidence.length > 0
                      ? h(
                          'ul',
                          null,
                          c.rectification.evidence.map((item) =>
                            h(
                              'li',
                              null,
                              t('issueEntry', { label: tx('evidence', item.kind), message: item.reference }),
                            ),
                          ),
                        )
                      : null,
                    reportFiles && reportFiles.length > 0 ? attachmentList(reportFiles) : null,
                  ],
                ],
                c.rectification.note ? [t('rectNote'), c.rectification.note] : null,
                [
                  t('rectAccepted'),
                  c.rectification.accepted === undefined
                    ? t('rectAcceptedPending')
                    : c.rectification.accepted
                      ? badge(t('rectAcceptedYes'), 'ok')
                      : badge(t('rectAcceptedNo'), 'overdue'),
                ],
              ]),
            ]
          : null,
      )
    : null;
};

/** The case's complaints: all of them for regulators, only those whose complainant agreed to be named for the association. */
export const complaintsSection = (detail: CaseView, identity: Identity | undefined) => {
  const c = detail.case;
  // Found in the association's own self-inspection: nobody complained, and no data is missing.
  if (c.origin === 'SELF_INSPECTION' && c.complaintCount === 0)
    return section(t('relatedTitle'), h('p', null, t('noComplainantSelfInspection')));
  // The association's view carries no complaint's amount or dates and no internal reasoning.
  const full = detail.view === 'full';
  return section(
    t('relatedTitle'),
    identity?.role === 'association' ? h('p', { class: 'hint' }, t('privacyNote')) : null,
    full
      ? scrollTable(
          t('relatedTitle'),
          table(
            t('relatedTitle'),
            [t('colFiled'), t('colAmount'), t('creditCodeLabel'), t('description')],
            detail.complaints.map((complaint) => [
              // Regulators and admins open the complaint itself (with the contact details).
              h(
                'a',
                { href: href(`/complaints/${encodeURIComponent(complaint.complaintId)}`) },
                h('time', { datetime: complaint.filedAt }, formatDateTime(complaint.filedAt)),
              ),
              money(complaint.amountFen),
              complaint.enterpriseCreditCode ?? t('complaintAnonymous'),
              complaint.description ? h('span', { class: 'prewrap' }, complaint.description) : '–',
            ]),
            { captionHidden: true },
          ),
        )
      : // The association sees only the complaints of those who agreed to be named.
        [
          c.complaintCount > detail.complaints.length
            ? h('p', null, t('complaintsUndisclosed', { n: c.complaintCount - detail.complaints.length }))
            : null,
          detail.complaints.length > 0
            ? scrollTable(
                t('relatedTitle'),
                table(
                  t('relatedTitle'),
                  [t('colFiled'), t('creditCodeLabel'), t('description')],
                  detail.complaints.map((complaint) => [
                    h('time', { datetime: complaint.filedAt }, formatDateTime(complaint.filedAt)),
                    complaint.enterpriseCreditCode,
                    h('span', { class: 'prewrap' }, complaint.description),
                  ]),
                  { captionHidden: true },
                ),
              )
            : null,
        ],
  );
};

type CaseTask = CaseView['tasks'][number];

const yesNo = (value: unknown, yes: string, no: string) =>
  value === true ? yes : value === false ? no : null;
const textIn = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** What a completed task's submission said, by kind, as an official would write it down. */
const resultFacts = (task: CaseTask): (readonly [string, string] | null)[] => {
  const result = task.result ?? {};
  const note = textIn(result.note);
  const noteFact = note ? ([t('noteLabel'), note] as const) : null;
  const fact = (label: string, value: string | null) => (value === null ? null : ([label, value] as const));
  switch (task.kind) {
    case 'REVIEW': {
      const ruleIds = Array.isArray(result.ruleIds) ? result.ruleIds.map(String) : [];
      const actions = Array.isArray(result.actions) ? result.actions.map(String) : [];
      const days = typeof result.rectificationDays === 'number' ? result.rectificationDays : undefined;
      return [
        fact(t('verdictLabel'), typeof result.verdict === 'string' ? tx('verdict', result.verdict) : null),
        fact(
          t('finalRules'),
          ruleIds.length > 0 ? joinList(ruleIds.map((id) => `${id} ${ruleTitle(id, id)}`)) : t('none'),
        ),
        fact(
          t('finalActions'),
          actions.length > 0 ? joinList(actions.map((a) => tx('action', a))) : t('none'),
        ),
        days === undefined ? null : fact(t('rectificationDaysLabel'), t('orderDays', { n: days })),
      ];
    }
    case 'RECTIFICATION':
      return [
        fact(t('rectAbolished'), yesNo(result.abolished, t('yes'), t('no'))),
        fact(
          t('caseRefunded'),
          typeof result.refundedFen === 'number' ? formatMoney(result.refundedFen) : null,
        ),
        fact(
          t('caseReduced'),
          typeof result.reducedAnnualFen === 'number' ? formatMoney(result.reducedAnnualFen) : null,
        ),
        noteFact,
      ];
    case 'VERIFICATION':
      return [
        fact(t('rectAccepted'), yesNo(result.accepted, t('rectAcceptedYes'), t('rectAcceptedNo'))),
        noteFact,
      ];
    case 'INFO': {
      const facts = result.facts && typeof result.facts === 'object' ? Object.keys(result.facts).length : 0;
      return [
        fact(t('resultAnswer'), note),
        facts > 0 ? fact(t('resultFacts'), t('resultFactsGiven', { n: facts })) : null,
      ];
    }
    case 'EXTENSION':
      return [
        fact(
          t('extensionGrantedLabel'),
          result.lapsed === true
            ? t('extensionLapsed')
            : yesNo(result.granted, t('extensionGrant'), t('extensionRefuse')),
        ),
        noteFact,
      ];
    case 'SECOND_REVIEW':
      return [
        fact(
          t('secondReviewLabel'),
          yesNo(result.confirmed, t('secondReviewConfirm'), t('secondReviewRefuse')),
        ),
        noteFact,
      ];
    case 'DECLARATION':
      // Never on a case: it follows up an association's missing declaration.
      return [];
  }
};

/** Who holds a task: the reader, or an officer of the task's office (never a sign-in's subject). */
const taskHolder = (task: CaseTask, identity: Identity | undefined) =>
  !task.assignee
    ? '–'
    : task.assignee === identity?.subject
      ? t('heldByYou')
      : officeStaff(task.agency, task.province);

/** The tasks of the case, with what was submitted (for regulators). */
export const tasksSection = (detail: CaseView, identity: Identity | undefined) => {
  // The association's view carries no complaint's amount or dates and no internal reasoning.
  const full = detail.view === 'full';
  return section(
    t('tasksTitle'),
    detail.tasks.length === 0
      ? h('p', null, t('none'))
      : scrollTable(
          t('tasksTitle'),
          table(
            t('tasksTitle'),
            [t('colKind'), t('colStatus'), t('colDue'), t('colAssignee'), ...(full ? [t('taskResult')] : [])],
            detail.tasks.map((task) => [
              tx('kind', task.kind),
              tx('status', task.status),
              h('span', null, dueDate(task), ' ', flagBadges(task)),
              taskHolder(task, identity),
              ...(full ? [task.result ? dl(resultFacts(task)) : '–'] : []),
            ]),
            { captionHidden: true },
          ),
        ),
    // What each task's submission or request named, to those who may read it.
    detail.tasks.map((task) =>
      attachmentsBlock(t('attachmentsOfTask', { task: tx('kind', task.kind) }), task.attachments),
    ),
  );
};

type AuditEvent = CaseView['audit'][number];

/**
 * Who acted, as a person would write it: a regulator as an officer of the office they acted for (the
 * office a transfer left, else that of the task the event is about), everyone else by role.
 */
const actorText = (event: AuditEvent, detail: CaseView) => {
  if (event.actor.role !== 'regulator') return tx('actor', event.actor.role);
  const data: Record<string, unknown> = event.data ?? {};
  if (typeof data.fromAgency === 'string' && typeof data.fromProvince === 'string')
    return officeStaff(data.fromAgency, data.fromProvince);
  const task = detail.tasks.find((candidate) => candidate.taskId === data.taskId);
  return officeStaff(task?.agency, task?.province);
};

/** The audit trail and the verdict of its integrity check. */
export const auditSection = (detail: CaseView) => {
  const integrity = detail.auditIntegrity;
  return section(
    t('auditTitle'),
    integrity.intact
      ? notice('success', `✓ ${t('auditIntact', { n: integrity.events ?? detail.audit.length })}`)
      : notice(
          'error',
          `✗ ${t('auditBroken', { seq: integrity.brokenAtSeq ?? '?', reason: integrity.reason ?? '' })}`,
        ),
    scrollTable(
      t('auditTitle'),
      table(
        t('auditTitle'),
        [t('colSeq'), t('colAt'), t('colEvent'), t('colStage'), t('colActor'), t('colNote')],
        detail.audit.map((event) => [
          String(event.seq),
          h('time', { datetime: event.at }, formatDateTime(event.at)),
          tx('event', event.type),
          event.stage ? tx('stage', event.stage) : '',
          actorText(event, detail),
          isTimelineEvent(event.type) ? timelineText(event.type, timelineParams(event.type, event.data)) : '',
        ]),
        { captionHidden: true },
      ),
    ),
  );
};
