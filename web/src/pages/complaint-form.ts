/**
 * The enterprise's complaint form. It asks the rulebook's fact questions in plain words, checks the
 * answers with the server's own schema (`ComplaintInput`) before sending, and shows the server's field
 * errors beside the fields when the server still refuses something.
 */
import { ComplaintInput, feeCategories, todayInChina } from '#shared/domain/complaint';
import { provinceCodes } from '#shared/domain/credit-code';
import { ApiError, api, bodyOf, type FieldIssue, idempotencyKey } from '../api.ts';
import type { PageRender } from '../app.ts';
import { suggestAssociations } from '../association-suggestions.ts';
import { h } from '../dom.ts';
import { attachmentsOf, type EvidencePicker, evidencePicker } from '../evidence-picker.ts';
import {
  check,
  clearIssues,
  field,
  input,
  notice,
  problemText,
  radioGroup,
  radioOf,
  select,
  showIssues,
  showProblem,
  textOf,
  yuanField,
} from '../forms.ts';
import { provinceName, t, tx } from '../i18n.ts';
import type { BodyOf } from '../types.ts';
import { factQuestions, readFacts, showFactsFor } from '../ui.ts';

/** Text the complaint cannot go without: left empty, each says "required", whatever its other rules. */
const requiredText = ['association.name', 'fee.name', 'description', 'contact.name', 'contact.phone'];

/**
 * The request body from the form, and the issues found while reading it (amounts that are not yuan,
 * required text left empty).
 */
export const readComplaint = (form: HTMLFormElement, evidence: EvidencePicker) => {
  const issues: FieldIssue[] = [];
  for (const path of requiredText)
    if (textOf(form, path) === '') issues.push({ path, code: 'required', message: 'is required' });
  const optional = (name: string) => textOf(form, name) || undefined;
  const category = textOf(form, 'fee.category');
  const amountFen = yuanField(textOf(form, 'fee.amountFen'), 'fee.amountFen', issues, true);
  if (textOf(form, 'fee.chargedOn') === '')
    issues.push({ path: 'fee.chargedOn', code: 'required', message: 'is required' });
  const publishedStandardFen = yuanField(
    textOf(form, 'fee.publishedStandardFen'),
    'fee.publishedStandardFen',
    issues,
  );
  const creditCode = optional('association.creditCode')?.toUpperCase();
  const body = {
    association: {
      name: textOf(form, 'association.name'),
      ...(creditCode ? { creditCode } : {}),
      ...(optional('association.province') ? { province: textOf(form, 'association.province') } : {}),
    },
    fee: {
      name: textOf(form, 'fee.name'),
      category: category || undefined,
      amountFen,
      chargedOn: textOf(form, 'fee.chargedOn'),
      period: radioOf(form, 'fee.period') || undefined,
      ...(publishedStandardFen !== undefined ? { publishedStandardFen } : {}),
    },
    facts: readFacts(form, issues, category),
    description: textOf(form, 'description'),
    ...attachmentsOf(evidence),
    contact: {
      name: textOf(form, 'contact.name'),
      phone: textOf(form, 'contact.phone'),
      ...(optional('contact.email') ? { email: textOf(form, 'contact.email') } : {}),
    },
    discloseIdentityToAssociation:
      form.querySelector<HTMLInputElement>('input[name="discloseIdentityToAssociation"]')?.checked ?? false,
  };
  return { body, issues };
};

export const complaintFormPage: PageRender = ({ app }) => {
  let key = idempotencyKey();
  const today = todayInChina();
  const description = h('textarea', { name: 'description', rows: 6, maxlength: 4000 });
  const counter = h(
    'p',
    { class: 'hint counter', 'aria-live': 'polite' },
    t('characters', { n: 0, max: 4000 }),
  );
  description.addEventListener('input', () => {
    counter.textContent = t('characters', { n: description.value.length, max: 4000 });
  });
  const category = select(
    'fee.category',
    feeCategories.map((value) => ({ value, label: tx('category', value) })),
    { placeholder: t('chooseCategory') },
  );
  const factsHint = h('p', { class: 'hint' }, t('factsForCategory'));
  const facts = h(
    'fieldset',
    { class: 'card facts' },
    h('legend', null, t('sectionFacts')),
    factsHint,
    ...factQuestions({}, { category: '' }),
  );
  const submit = h('button', { type: 'submit', class: 'primary' }, t('fileComplaint'));
  const evidence = evidencePicker({ purpose: 'COMPLAINT', hint: t('evidenceComplaintHint') });

  const associationName = input({ name: 'association.name', maxlength: 200, autocomplete: 'off' });
  const suggestions = suggestAssociations(associationName, (chosen) => {
    associationName.value = chosen.name;
    const code = form.querySelector<HTMLInputElement>('[name="association.creditCode"]');
    if (code) code.value = chosen.creditCode;
    const province = form.querySelector<HTMLSelectElement>('[name="association.province"]');
    // A national association (00) is complained about from the complainant's own province.
    if (province && chosen.province !== '00') province.value = chosen.province;
  });
  const form = h(
    'form',
    { novalidate: true, class: 'stack', 'aria-describedby': 'complaint-intro' },
    h(
      'fieldset',
      { class: 'card' },
      h('legend', null, t('sectionAssociation')),
      field(
        { path: 'association.name', label: t('associationName'), hint: t('associationSuggestionsHint') },
        associationName,
      ),
      suggestions,
      h(
        'div',
        { class: 'field-group', 'data-path': 'association' },
        h('p', { class: 'field-error', id: 'association-error', hidden: true }),
        field(
          {
            path: 'association.creditCode',
            label: t('associationCreditCode'),
            hint: t('associationCreditCodeHint'),
            optional: true,
          },
          input({
            name: 'association.creditCode',
            maxlength: 18,
            autocomplete: 'off',
            spellcheck: 'false',
            class: 'code',
            'aria-describedby': 'association-error',
          }),
        ),
        field(
          { path: 'association.province', label: t('associationProvince'), optional: true },
          select(
            'association.province',
            provinceCodes.map((code) => ({ value: code, label: provinceName(code) })),
            {
              placeholder: t('chooseProvince'),
            },
          ),
        ),
      ),
    ),
    h(
      'fieldset',
      { class: 'card' },
      h('legend', null, t('sectionFee')),
      field(
        { path: 'fee.name', label: t('feeName'), hint: t('feeNameHint') },
        input({ name: 'fee.name', maxlength: 200 }),
      ),
      field({ path: 'fee.category', label: t('feeCategory') }, category),
      field(
        { path: 'fee.amountFen', label: t('feeAmount'), hint: t('amountHint'), money: true },
        input({ name: 'fee.amountFen', inputmode: 'decimal', autocomplete: 'off', class: 'narrow' }),
      ),
      field(
        { path: 'fee.chargedOn', label: t('feeChargedOn') },
        input({ type: 'date', name: 'fee.chargedOn', max: today, class: 'narrow' }),
      ),
      radioGroup({
        path: 'fee.period',
        name: 'fee.period',
        label: t('feePeriod'),
        choices: [
          { value: 'ONE_OFF', label: t('period.ONE_OFF') },
          { value: 'ANNUAL', label: t('period.ANNUAL') },
        ],
        inline: true,
      }),
      field(
        {
          path: 'fee.publishedStandardFen',
          money: true,
          label: t('publishedStandard'),
          hint: t('publishedStandardHint'),
          optional: true,
        },
        input({
          name: 'fee.publishedStandardFen',
          inputmode: 'decimal',
          autocomplete: 'off',
          class: 'narrow',
        }),
      ),
    ),
    facts,
    h(
      'fieldset',
      { class: 'card' },
      h('legend', null, t('sectionDescription')),
      h(
        'div',
        { class: 'field', 'data-path': 'description' },
        h('label', { for: 'complaint-description' }, t('description')),
        h('p', { class: 'hint', id: 'complaint-description-hint' }, t('descriptionHint')),
        h('p', { class: 'field-error', id: 'complaint-description-error', hidden: true }),
        Object.assign(description, { id: 'complaint-description' }),
        counter,
      ),
    ),
    h('fieldset', { class: 'card' }, h('legend', null, t('attachmentsTitle')), evidence.element),
    h(
      'fieldset',
      { class: 'card' },
      h('legend', null, t('sectionContact')),
      field(
        { path: 'contact.name', label: t('contactName') },
        input({ name: 'contact.name', maxlength: 200, autocomplete: 'name' }),
      ),
      field(
        { path: 'contact.phone', label: t('contactPhone'), hint: t('contactPhoneHint') },
        input({ type: 'tel', name: 'contact.phone', maxlength: 20, autocomplete: 'tel', class: 'narrow' }),
      ),
      field(
        { path: 'contact.email', label: t('contactEmail'), optional: true },
        input({ type: 'email', name: 'contact.email', maxlength: 254, autocomplete: 'email' }),
      ),
      h(
        'div',
        { class: 'field checkbox', 'data-path': 'discloseIdentityToAssociation' },
        h('p', { class: 'field-error', id: 'disclose-error', hidden: true }),
        h('input', {
          type: 'checkbox',
          id: 'disclose',
          name: 'discloseIdentityToAssociation',
          'aria-describedby': 'disclose-hint disclose-error',
        }),
        h('label', { for: 'disclose' }, t('disclose')),
        h('p', { class: 'hint', id: 'disclose-hint' }, t('discloseHint')),
      ),
    ),
    h('div', { class: 'actions' }, submit),
  );
  description.setAttribute('aria-describedby', 'complaint-description-hint complaint-description-error');

  // The questions follow the fee's category: an exhibition fee is not asked about dues.
  category.addEventListener('change', () => {
    showFactsFor(facts, category.value);
    factsHint.hidden = category.value !== '';
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearIssues(form);
    if (!evidence.ready()) return;
    const { body, issues: early } = readComplaint(form, evidence);
    const issues = check(ComplaintInput, body, early);
    if (issues.length > 0) {
      showIssues(form, issues);
      return;
    }
    submit.disabled = true;
    submit.textContent = t('filing');
    try {
      // The form's reading has passed the server's own schema (`check` above): it is a complaint.
      const complaint = body as BodyOf<'fileComplaint'>;
      const receipt = await bodyOf(
        api.POST('/api/complaints', { params: { header: { 'Idempotency-Key': key } }, body: complaint }),
      );
      key = idempotencyKey();
      app.navigate(`/complaints/${encodeURIComponent(receipt.complaintId)}/receipt`, {
        kind: 'success',
        text: receipt.repeatOf
          ? t('filedRepeat')
          : receipt.joinedExistingCase
            ? t('filedJoined')
            : t('filed'),
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.details.length > 0) {
        showIssues(form, error.details);
      } else if (error instanceof ApiError && error.status === 422) {
        // The key was used for a different body: this is a new complaint, so a new key.
        key = idempotencyKey();
        form.prepend(notice('error', problemText(error)));
      } else {
        showProblem(form, error);
      }
    } finally {
      submit.disabled = false;
      submit.textContent = t('fileComplaint');
    }
  });

  return {
    title: t('complaintFormTitle'),
    body: [h('p', { id: 'complaint-intro', class: 'lead' }, t('complaintFormIntro')), form],
  };
};
