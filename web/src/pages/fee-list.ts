/**
 * 收费公示查询: anyone looks up an association by its credit code and reads its register entry, the
 * fees it declared with their basis, and the outcomes of its closed cases. Nothing about complainants.
 */
import type { components } from '#shared/http/api-types';
import { ApiError, api, bodyOf } from '../api.ts';
import type { PageRender } from '../app.ts';
import { suggestAssociations } from '../association-suggestions.ts';
import { h, scrollTable, table } from '../dom.ts';
import { clearIssues, field, input, showProblem } from '../forms.ts';
import { formatDate, formatMoney, t, tx } from '../i18n.ts';
import { dl, section } from '../ui.ts';

type PublicAssociation = components['schemas']['PublicAssociation'];
type DeclaredAmount = { amountFen?: number; tiers?: { label: string; amountFen: number }[] };

/** One amount, or the tiers one under the other (会长单位 ¥50,000.00). */
export const amountOf = (fee: DeclaredAmount) =>
  fee.tiers
    ? h(
        'ul',
        { class: 'plain-list' },
        fee.tiers.map((tier) => h('li', null, `${tier.label} ${formatMoney(tier.amountFen)}`)),
      )
    : h('span', { class: 'money' }, fee.amountFen === undefined ? '–' : formatMoney(fee.amountFen));

/** The basis as declared: its kind, and the text it cites. */
export const basisOf = (basis: { kind: string; text?: string }) =>
  basis.text ? `${tx('basis', basis.kind)}：${basis.text}` : tx('basis', basis.kind);

const feeListOf = (found: PublicAssociation): HTMLElement => {
  const { association, fees, outcomes } = found;
  const declared = fees[0];
  return h(
    'div',
    { class: 'fee-list' },
    section(
      association.name,
      dl([
        [t('creditCodeLabel'), association.creditCode],
        [t('associationLevel'), tx('level', association.level)],
        [t('registeringAuthority'), association.registeringAuthority],
        association.businessSupervisor ? [t('businessSupervisor'), association.businessSupervisor] : null,
        association.parent
          ? [t('parentAssociation'), association.parent.name ?? association.parent.creditCode]
          : null,
        [t('memberCount'), String(association.memberCount)],
        [t('associationStatus'), tx('associationStatus', association.status)],
      ]),
    ),
    section(
      declared
        ? t('declaredFeesTitle', { year: declared.year, version: declared.version })
        : t('declaredFeesTitle0'),
      fees.length === 0
        ? h('p', null, t('noDeclaredFees'))
        : scrollTable(
            t('declaredFeesCaption'),
            table(
              t('declaredFeesCaption'),
              [
                t('feeName'),
                t('caseCategory'),
                t('colAmount'),
                t('casePeriod'),
                t('feeBasis'),
                t('feeCompulsory'),
              ],
              fees.map((fee) => [
                fee.name,
                tx('category', fee.category),
                amountOf(fee),
                tx('period', fee.period),
                basisOf(fee.basis),
                fee.compulsory ? t('yes') : t('no'),
              ]),
              { captionHidden: true, cards: { title: 0, shown: [1, 2, 3, 4, 5] } },
            ),
          ),
    ),
    section(
      t('closedOutcomesTitle'),
      outcomes.length === 0
        ? h('p', null, t('noClosedOutcomes'))
        : scrollTable(
            t('closedOutcomesTitle'),
            table(
              t('closedOutcomesTitle'),
              [t('feeName'), t('caseCategory'), t('caseOutcome'), t('caseClosed'), t('caseRefunded')],
              outcomes.map((outcome) => [
                outcome.fee,
                tx('category', outcome.category),
                tx('outcome', outcome.outcome),
                formatDate(outcome.closedAt),
                h('span', { class: 'money' }, formatMoney(outcome.refundedFen)),
              ]),
              { captionHidden: true, cards: { title: 0, shown: [1, 2, 3, 4] } },
            ),
          ),
    ),
  );
};

export const feeListPage: PageRender = ({ query, app }) => {
  const creditCode = input({
    name: 'creditCode',
    required: true,
    maxlength: 18,
    autocomplete: 'off',
    class: 'narrow',
  });
  creditCode.value = query.get('creditCode') ?? '';
  // Most people know the name, not the code: the register's suggestions fill the code in.
  const associationName = input({ name: 'associationName', maxlength: 200, autocomplete: 'off' });
  const suggestions = suggestAssociations(associationName, (chosen) => {
    associationName.value = chosen.name;
    creditCode.value = chosen.creditCode;
    form.requestSubmit();
  });
  const result = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('feeListSubmit'));
  const form = h(
    'form',
    { novalidate: true, role: 'search' },
    field(
      { path: 'associationName', label: t('feeListNameLabel'), hint: t('feeListNameHint') },
      associationName,
    ),
    suggestions,
    field({ path: 'creditCode', label: t('feeListCodeLabel'), hint: t('feeListCodeHint') }, creditCode),
    h('div', { class: 'actions' }, submit),
  );
  const lookUp = async (code: string) => {
    clearIssues(form);
    result.replaceChildren();
    submit.disabled = true;
    try {
      const found = await bodyOf(
        api.GET('/api/public/associations/{creditCode}', { params: { path: { creditCode: code } } }),
      );
      result.replaceChildren(feeListOf(found));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) showProblem(form, t('feeListNotFound'));
      else if (error instanceof ApiError && error.status === 429) showProblem(form, t('trackTooMany'));
      else showProblem(form, error);
    } finally {
      submit.disabled = false;
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = creditCode.value.trim().toUpperCase();
    // The address keeps the code, so a result can be shared and comes back on reload.
    if (code !== (query.get('creditCode') ?? ''))
      app.navigate(`/fees?creditCode=${encodeURIComponent(code)}`);
    else void lookUp(code);
  });
  if (creditCode.value) void lookUp(creditCode.value.trim().toUpperCase());
  return { title: t('feeListTitle'), body: [h('p', { class: 'lead' }, t('feeListIntro')), form, result] };
};
