/**
 * 收费自查申报: the association lists every fee it charges for a year, one row per fee (added and
 * removed as needed), and learns at once which fees the rulebook found suspect and which case handles
 * each of them. Declaring again for the same year keeps the earlier version and records the next.
 */
import { feeCategories, todayInChina } from '#shared/domain/complaint';
import type { FieldIssue } from '#shared/domain/errors';
import { feeBasisKinds, SelfInspectionInput } from '#shared/domain/self-inspection';
import type { components } from '#shared/http/api-types';
import { ApiError, api, bodyOf } from '../api.ts';
import { href, type PageRender } from '../app.ts';
import { attachmentList } from '../attachments.ts';
import { h, scrollTable, table } from '../dom.ts';
import { attachmentsOf, type EvidencePicker, evidencePicker } from '../evidence-picker.ts';
import {
  check,
  clearIssues,
  field,
  input,
  notice,
  select,
  showIssues,
  showProblem,
  textOf,
  yuanField,
} from '../forms.ts';
import { formatDateTime, t, tx } from '../i18n.ts';
import { badge, section } from '../ui.ts';
import { amountOf } from './fee-list.ts';

type Declaration = components['schemas']['Declaration'];

/** Each fee row's picker of the documents the fee rests on. */
const pickers = new WeakMap<Element, EvidencePicker>();

const choicesOf = (prefix: string, values: readonly string[]) =>
  values.map((value) => ({ value, label: tx(prefix, value) }));

/** One fee's row: every field named `fees.<n>.<field>`, so the server's issues land on it. */
const feeRow = (): HTMLElement => {
  const picker = evidencePicker({
    purpose: 'DECLARATION',
    label: t('declarationFiles'),
    path: 'fees.n.attachments',
    hint: t('evidenceDeclarationHint'),
  });
  const row = h(
    'fieldset',
    { class: 'fee-row' },
    h('legend', null, ''),
    field({ path: 'fees.n.name', label: t('feeName') }, input({ maxlength: 200, required: true })),
    field(
      { path: 'fees.n.category', label: t('caseCategory') },
      select('', choicesOf('category', feeCategories), { placeholder: t('choose') }),
    ),
    field(
      {
        path: 'fees.n.amountFen',
        label: t('declaredAmount'),
        hint: t('declaredAmountHint'),
        optional: true,
        money: true,
      },
      input({ inputmode: 'decimal', class: 'narrow' }),
    ),
    field(
      { path: 'fees.n.tiers', label: t('declaredTiers'), hint: t('declaredTiersHint'), optional: true },
      h('textarea', { rows: 3, maxlength: 2000 }),
    ),
    field(
      { path: 'fees.n.period', label: t('casePeriod') },
      select('', choicesOf('period', ['ANNUAL', 'ONE_OFF'])),
    ),
    field(
      { path: 'fees.n.basis.kind', label: t('feeBasis') },
      select('', choicesOf('basis', feeBasisKinds), { placeholder: t('choose') }),
    ),
    field(
      { path: 'fees.n.basis.text', label: t('feeBasisText'), hint: t('feeBasisTextHint'), optional: true },
      input({ maxlength: 500 }),
    ),
    field(
      { path: 'fees.n.compulsory', label: t('feeCompulsory') },
      select('', [
        { value: 'no', label: t('no') },
        { value: 'yes', label: t('yes') },
      ]),
    ),
    field(
      { path: 'fees.n.serviceProvided', label: t('feeServiceProvided') },
      select('', choicesOf('serviceProvided', ['YES', 'PARTIAL', 'NO'])),
    ),
    picker.element,
  );
  pickers.set(row, picker);
  const remove = h('button', { type: 'button', class: 'button' }, t('removeFee'));
  remove.addEventListener('click', () => {
    const rows = row.parentElement;
    row.remove();
    if (rows) numberRows(rows);
  });
  row.append(h('div', { class: 'actions' }, remove));
  return row;
};

/** Rows are numbered in order: their legends, paths and names follow a removal. */
const numberRows = (rows: HTMLElement) => {
  const all = Array.from(rows.querySelectorAll<HTMLElement>(':scope > .fee-row'));
  all.forEach((row, index) => {
    const legend = row.querySelector('legend');
    if (legend) legend.textContent = t('feeRowTitle', { n: index + 1 });
    for (const wrapper of Array.from(row.querySelectorAll<HTMLElement>('[data-path]'))) {
      const path = (wrapper.dataset.path ?? '').replace(/^fees\.[^.]+\./, `fees.${index}.`);
      wrapper.dataset.path = path;
      const control = wrapper.querySelector<HTMLInputElement>('input, select, textarea');
      if (control) control.name = path;
    }
    const remove = row.querySelector<HTMLButtonElement>('.actions button');
    if (remove) remove.disabled = all.length === 1;
  });
};

/** `会长单位 50000` per line: the label, then the amount in yuan. */
const readTiers = (text: string, path: string, issues: FieldIssue[]) => {
  if (text === '') return undefined;
  return text
    .split(/\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line, index) => {
      const match = /^(.*\S)\s+(\S+)$/.exec(line);
      if (!match) {
        issues.push({ path, code: 'invalid', message: t('declaredTiersHint') });
        return { label: line, amountFen: 0 };
      }
      return {
        label: match[1] ?? line,
        amountFen: yuanField(match[2] ?? '', `${path}.${index}.amountFen`, issues, true) ?? 0,
      };
    });
};

const readDeclaration = (form: HTMLFormElement, rows: HTMLElement, issues: FieldIssue[]) => ({
  year: Number(textOf(form, 'year')),
  fees: Array.from(rows.querySelectorAll(':scope > .fee-row')).map((row, i) => {
    const picker = pickers.get(row);
    const at = (name: string) => textOf(form, `fees.${i}.${name}`);
    const tiers = readTiers(at('tiers'), `fees.${i}.tiers`, issues);
    const amountFen = yuanField(at('amountFen'), `fees.${i}.amountFen`, issues);
    const basisText = at('basis.text');
    return {
      name: at('name'),
      category: at('category') || undefined,
      ...(amountFen !== undefined ? { amountFen } : {}),
      ...(tiers ? { tiers } : {}),
      period: at('period'),
      basis: { kind: at('basis.kind') || undefined, ...(basisText ? { text: basisText } : {}) },
      compulsory: at('compulsory') === 'yes',
      serviceProvided: at('serviceProvided'),
      ...(picker ? attachmentsOf(picker) : {}),
    };
  }),
});

const filesOf = (files: Declaration['fees'][number]['attachments']) =>
  files && files.length > 0 ? attachmentList(files) : '–';

/** A version's files, each once however many fees rest on it. */
const versionFiles = (declaration: Declaration) =>
  filesOf([
    ...new Map(
      declaration.fees.flatMap((fee) => fee.attachments ?? []).map((file) => [file.fileId, file]),
    ).values(),
  ]);

/** What the rulebook made of each fee: declared, or suspect with the case that now handles it. */
const screeningResult = (declaration: Declaration): HTMLElement => {
  const suspect = declaration.fees.filter((fee) => fee.screening.result === 'SUSPECT').length;
  return section(
    t('declarationResultTitle', { year: declaration.year, version: declaration.version }),
    notice(
      suspect > 0 ? 'info' : 'success',
      suspect > 0 ? t('declarationSuspect', { n: suspect }) : t('declarationClean'),
    ),
    scrollTable(
      t('declarationResultTitle', { year: declaration.year, version: declaration.version }),
      table(
        t('declarationResultTitle', { year: declaration.year, version: declaration.version }),
        [t('feeName'), t('colAmount'), t('screeningResult'), t('screeningRules'), t('declarationFiles')],
        declaration.fees.map((fee) => [
          fee.name,
          amountOf(fee),
          fee.screening.result === 'SUSPECT'
            ? [
                badge(t('screeningSuspect'), 'attention'),
                ' ',
                fee.screening.caseId
                  ? h(
                      'a',
                      { href: href(`/cases/${encodeURIComponent(fee.screening.caseId)}`) },
                      t('screeningCase'),
                    )
                  : null,
              ]
            : badge(t('screeningDeclared'), 'ok'),
          (fee.screening.ruleIds ?? []).join('、') || '–',
          filesOf(fee.attachments),
        ]),
        { captionHidden: true, cards: { title: 0, shown: [1, 2, 3, 4] } },
      ),
    ),
  );
};

/** Every version declared so far, newest first: earlier versions stay on record. */
const declaredVersions = (declarations: readonly Declaration[]): HTMLElement | null =>
  declarations.length === 0
    ? null
    : section(
        t('declaredVersionsTitle'),
        scrollTable(
          t('declaredVersionsTitle'),
          table(
            t('declaredVersionsTitle'),
            [
              t('declarationYear'),
              t('declarationVersion'),
              t('submittedAt'),
              t('screeningSuspect'),
              t('declarationFiles'),
            ],
            declarations.map((declaration) => [
              t('yearLabel', { year: declaration.year }),
              String(declaration.version),
              formatDateTime(declaration.declaredAt),
              String(declaration.fees.filter((fee) => fee.screening.result === 'SUSPECT').length),
              versionFiles(declaration),
            ]),
            { captionHidden: true, cards: { title: 0, shown: [1, 2, 3, 4] } },
          ),
        ),
      );

export const selfInspectionPage: PageRender = async () => {
  const { items: declared } = await bodyOf(api.GET('/api/self-inspections', { params: { query: {} } }));
  const thisYear = Number(todayInChina().slice(0, 4));
  const year = select(
    'year',
    [thisYear - 1, thisYear].map((value) => ({
      value: String(value),
      label: t('yearLabel', { year: value }),
    })),
    { value: String(thisYear - 1) },
  );
  const rows = h('div', { class: 'fee-rows' }, feeRow());
  numberRows(rows);
  const add = h('button', { type: 'button', class: 'button' }, t('addFee'));
  add.addEventListener('click', () => {
    rows.append(feeRow());
    numberRows(rows);
    rows.lastElementChild?.querySelector<HTMLInputElement>('input')?.focus();
  });
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('declareSubmit'));
  const result = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { novalidate: true },
    field({ path: 'year', label: t('declarationYear'), hint: t('declarationYearHint') }, year),
    rows,
    h('div', { class: 'actions' }, add),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearIssues(form);
    result.replaceChildren();
    const early: FieldIssue[] = [];
    const body = readDeclaration(form, rows, early);
    const issues = check(SelfInspectionInput, body, early);
    if (issues.length > 0) {
      showIssues(form, issues);
      return;
    }
    // A file still on its way: its picker says why the form waits.
    const waiting = Array.from(rows.querySelectorAll(':scope > .fee-row')).some(
      (row) => pickers.get(row)?.ready() === false,
    );
    if (waiting) return;
    submit.disabled = true;
    try {
      const declaration = await bodyOf(
        api.POST('/api/self-inspections', { body: body as components['schemas']['SelfInspectionInput'] }),
      );
      result.replaceChildren(screeningResult(declaration));
      result.querySelector<HTMLElement>('h2')?.focus();
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.details.length > 0)
        showIssues(form, error.details);
      else showProblem(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return {
    title: t('selfInspectionTitle'),
    body: [h('p', { class: 'lead' }, t('selfInspectionIntro')), form, result, declaredVersions(declared)],
  };
};
