/**
 * Labelled form controls and field errors. Every control sits in a wrapper that names the API path
 * it fills (`data-path="fee.amountFen"`), so an issue from the client-side check or from the server's
 * `error.details[].path` lands beside the field it is about; what has no field goes to the summary.
 */

import { ValidationError } from '#shared/domain/errors';
import { parseYuanToFen } from '#shared/domain/money';
import type * as z from '#shared/domain/schema';
import { toFieldIssues } from '#shared/domain/validation';
import { ApiError, type FieldIssue } from './api.ts';
import { type Child, h, uid } from './dom.ts';
import { type IssueField, issueText } from './i18n/issues.ts';
import { hasKey, type MessageKey, t } from './i18n.ts';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface FieldOptions {
  path: string;
  label: string;
  hint?: string;
  optional?: boolean;
  /** An amount typed in yuan for a field the API takes in fen: its limits are shown as money. */
  money?: boolean;
}

const describe = (control: Control, ...ids: string[]) => {
  const existing = control.getAttribute('aria-describedby');
  control.setAttribute('aria-describedby', [existing, ...ids].filter(Boolean).join(' '));
};

const errorSlot = (id: string) => h('p', { class: 'field-error', id, hidden: true });

/** A label, an optional hint, the control and its error slot. */
export const field = (options: FieldOptions, control: Control): HTMLElement => {
  const id = control.id || uid('f');
  control.id = id;
  if (!control.name) control.name = options.path;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  if (options.hint) describe(control, hintId);
  describe(control, errorId);
  return h(
    'div',
    { class: 'field', 'data-path': options.path, 'data-money': options.money ? 'yuan' : undefined },
    h(
      'label',
      { for: id },
      options.label,
      options.optional ? h('span', { class: 'optional' }, ` ${t('optional')}`) : null,
    ),
    options.hint ? h('p', { class: 'hint', id: hintId }, options.hint) : null,
    errorSlot(errorId),
    control,
  );
};

export interface Choice {
  value: string;
  label: string;
}

/** Radio buttons in a fieldset whose legend is the question. */
export const radioGroup = (
  options: FieldOptions & { name: string; choices: readonly Choice[]; value?: string; inline?: boolean },
): HTMLFieldSetElement => {
  const groupId = uid('g');
  const errorId = `${groupId}-error`;
  const hintId = `${groupId}-hint`;
  return h(
    'fieldset',
    {
      class: options.inline ? 'field choices inline' : 'field choices',
      'data-path': options.path,
      'aria-describedby': options.hint ? `${hintId} ${errorId}` : errorId,
    },
    h(
      'legend',
      null,
      options.label,
      options.optional ? h('span', { class: 'optional' }, ` ${t('optional')}`) : null,
    ),
    options.hint ? h('p', { class: 'hint', id: hintId }, options.hint) : null,
    errorSlot(errorId),
    h(
      'div',
      { class: 'choice-list' },
      options.choices.map((choice) => {
        const id = uid('r');
        return h(
          'div',
          { class: 'choice' },
          h('input', {
            type: 'radio',
            id,
            name: options.name,
            value: choice.value,
            checked: choice.value === (options.value ?? ''),
          }),
          h('label', { for: id }, choice.label),
        );
      }),
    ),
  );
};

/** Checkboxes in a fieldset; `detail` adds a second line under a choice. */
export const checkboxGroup = (
  options: FieldOptions & {
    name: string;
    choices: readonly (Choice & { detail?: Child })[];
    values?: readonly string[];
  },
): HTMLFieldSetElement => {
  const groupId = uid('g');
  const errorId = `${groupId}-error`;
  return h(
    'fieldset',
    { class: 'field choices', 'data-path': options.path, 'aria-describedby': errorId },
    h('legend', null, options.label),
    options.hint ? h('p', { class: 'hint' }, options.hint) : null,
    errorSlot(errorId),
    h(
      'div',
      { class: 'choice-list' },
      options.choices.map((choice) => {
        const id = uid('c');
        return h(
          'div',
          { class: 'choice' },
          h('input', {
            type: 'checkbox',
            id,
            name: options.name,
            value: choice.value,
            checked: options.values?.includes(choice.value) ?? false,
          }),
          h(
            'label',
            { for: id },
            choice.label,
            choice.detail ? h('span', { class: 'choice-detail' }, choice.detail) : null,
          ),
        );
      }),
    ),
  );
};

export const input = (attrs: Record<string, string | number | boolean | undefined> = {}): HTMLInputElement =>
  h('input', { type: 'text', ...attrs });

/**
 * A filter of a list or a dashboard: a labelled select whose empty choice means "any", unless the
 * filter always has a value (`any: false`).
 */
export const filterField = (
  options: FieldOptions & { value: string | undefined; any?: boolean },
  choices: readonly Choice[],
): HTMLElement =>
  field(
    options,
    select(options.path, choices, {
      value: options.value,
      ...(options.any === false ? {} : { placeholder: t('any') }),
    }),
  );

/** A refusal the API named for clients to act on (`evidence_case_limit`), in words; undefined for others. */
export const namedRefusal = (problem: unknown): string | undefined => {
  const key = problem instanceof ApiError ? `conflict.${problem.reason}` : '';
  return hasKey(key) ? t(key) : undefined;
};

/** The sentence for each answer the API may give, by HTTP status (404: `problemText`'s `notFound`). */
const problemByStatus: Record<number, MessageKey> = {
  0: 'problemNetwork',
  400: 'problemInvalid',
  401: 'sessionEnded',
  403: 'problemForbidden',
  409: 'problemConflict',
  413: 'problemTooLarge',
  415: 'problemMediaType',
  422: 'problemRepeated',
  429: 'problemThrottled',
  503: 'problemUnavailable',
};

/** A browser's own words for a request that never reached the API ("Failed to fetch"). */
const isNetworkFailure = (problem: unknown) =>
  problem instanceof TypeError && /fetch|network|load failed/i.test(problem.message);

/**
 * Any failure as the page's language says it, never the server's English: a refusal the API named,
 * else by status (`notFound` names what a 404 did not find), else a failure of the page itself.
 * Text a page wrote itself passes as it is.
 */
export const problemText = (problem: unknown, notFound: MessageKey = 'problemNotFound'): string => {
  if (typeof problem === 'string') return problem;
  if (isNetworkFailure(problem)) return t('problemNetwork');
  if (!(problem instanceof ApiError)) return t('problemUnexpected');
  if (problem.status === 404) return t(notFound);
  const key = problemByStatus[problem.status] ?? (problem.status >= 500 ? 'problemServer' : 'problemInvalid');
  return namedRefusal(problem) ?? t(key);
};

/** Failures that may pass if the same request is sent again: the network, a busy or failing service. */
export const isRetryable = (problem: unknown): boolean =>
  isNetworkFailure(problem) ||
  (problem instanceof ApiError && (problem.status === 0 || problem.status === 429 || problem.status >= 500));

/** A failure in words, with a button to try again when trying again may help. */
export const failureNotice = (problem: unknown, retry: () => void, notFound?: MessageKey): HTMLElement =>
  notice(
    'error',
    h('p', null, problemText(problem, notFound)),
    isRetryable(problem) ? h('button', { type: 'button', class: 'retry', onclick: retry }, t('retry')) : null,
  );

/** Shows a failure that names no field at the top of the form, and moves the focus to it. */
export const showProblem = (form: HTMLElement, problem: unknown): void => {
  const element = notice('error', problemText(problem));
  form.prepend(element);
  element.focus();
};

export const select = (
  name: string,
  choices: readonly Choice[],
  options: { value?: string; placeholder?: string } = {},
): HTMLSelectElement =>
  h(
    'select',
    { name },
    options.placeholder !== undefined ? h('option', { value: '' }, options.placeholder) : null,
    choices.map((choice) =>
      h('option', { value: choice.value, selected: choice.value === options.value }, choice.label),
    ),
  );

// --- reading values ----------------------------------------------------------------------------

export const textOf = (form: HTMLFormElement, name: string): string => {
  const element = form.elements.namedItem(name);
  return element && 'value' in element ? String(element.value).trim() : '';
};

export const radioOf = (form: HTMLFormElement, name: string): string => {
  const checked = form.querySelector<HTMLInputElement>(`input[type="radio"][name="${name}"]:checked`);
  return checked?.value ?? '';
};

export const checkedOf = (form: HTMLFormElement, name: string): string[] =>
  Array.from(form.querySelectorAll<HTMLInputElement>(`input[type="checkbox"][name="${name}"]:checked`)).map(
    (box) => box.value,
  );

/** Yes/No/Don't know as true/false/left out. */
export const triState = (value: string): boolean | undefined =>
  value === 'yes' ? true : value === 'no' ? false : undefined;

/** A yuan amount typed by a person, as integer fen; blank is undefined; bad text is an issue. */
export const yuanField = (
  text: string,
  path: string,
  issues: FieldIssue[],
  required = false,
): number | undefined => {
  if (text === '') {
    if (required) issues.push({ path, code: 'required', message: 'is required' });
    return undefined;
  }
  try {
    return parseYuanToFen(text.replace(/[,，\s]/g, '').replace(/^[¥￥]/, ''), path);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
};

/**
 * Checks `body` with the server's own schema; `early` are issues found while reading the form (an
 * amount that is not yuan): those fields' schema issues are left out, they would say the same twice.
 */
export const check = <T>(schema: z.ZodMiniType<T>, body: unknown, early: FieldIssue[] = []): FieldIssue[] => {
  const result = schema.safeParse(body);
  const schemaIssues = result.success ? [] : toFieldIssues(result.error.issues, body);
  const earlyPaths = new Set(early.map((issue) => issue.path));
  return [...early, ...schemaIssues.filter((issue) => !earlyPaths.has(issue.path))];
};

// --- showing issues ------------------------------------------------------------------------------

/** The wrapper for `path`, or for the nearest enclosing path that has one. */
const wrapperFor = (form: HTMLElement, path: string): HTMLElement | undefined => {
  const segments = path.split('.');
  while (segments.length > 0) {
    const candidate = segments.join('.');
    const found = form.querySelector<HTMLElement>(`[data-path="${CSS.escape(candidate)}"]`);
    if (found) return found;
    segments.pop();
  }
  return undefined;
};

/** The field's label as the summary names it: a question's ？ or a colon would double the entry's ：. */
const labelOf = (wrapper: HTMLElement): string =>
  (wrapper.querySelector(':scope > label, :scope > legend')?.textContent ?? '')
    .replace(t('optional'), '')
    .trim()
    .replace(/[？?：:]+$/, '');

/** What the issue's text depends on: whether the field is a choice, or an amount in yuan. */
const issueField = (wrapper: HTMLElement): IssueField => ({
  choice: wrapper.matches('fieldset') || wrapper.querySelector(':scope > select') !== null,
  money: wrapper.dataset.money === 'yuan',
});

const focusTarget = (wrapper: HTMLElement): HTMLElement | null =>
  wrapper.matches('input, select, textarea')
    ? wrapper
    : wrapper.querySelector<HTMLElement>('input, select, textarea, button');

export const clearIssues = (form: HTMLElement): void => {
  for (const slot of Array.from(form.querySelectorAll<HTMLElement>('.field-error'))) {
    slot.hidden = true;
    slot.textContent = '';
  }
  for (const wrapper of Array.from(form.querySelectorAll('.field.invalid')))
    wrapper.classList.remove('invalid');
  for (const control of Array.from(form.querySelectorAll('[aria-invalid]')))
    control.removeAttribute('aria-invalid');
  form.querySelector('.error-summary')?.remove();
};

/**
 * Puts each issue beside its field and lists them all in a summary at the top of the form, whose
 * entries move the focus to the field; the summary takes the focus so screen readers announce it.
 */
export const showIssues = (
  form: HTMLFormElement,
  issues: readonly FieldIssue[],
  heading = t('errorSummary'),
): void => {
  clearIssues(form);
  if (issues.length === 0) return;
  const entries: HTMLElement[] = [];
  // One message per field: the first says what to do (an empty name is not also "without letters").
  const seen = new Set<string>();
  const placed = issues
    .filter((issue) => !seen.has(issue.path) && Boolean(seen.add(issue.path)))
    .map((issue) => ({ issue, wrapper: wrapperFor(form, issue.path) }));
  // The summary reads as the page does, top to bottom; what has no field comes first.
  placed.sort((a, b) => {
    if (!a.wrapper || !b.wrapper) return (a.wrapper ? 1 : 0) - (b.wrapper ? 1 : 0);
    if (a.wrapper === b.wrapper) return 0;
    return a.wrapper.compareDocumentPosition(b.wrapper) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
  for (const { issue, wrapper } of placed) {
    const message = issueText(issue, wrapper ? issueField(wrapper) : {});
    if (wrapper) {
      wrapper.classList.add('invalid');
      const slot = wrapper.querySelector<HTMLElement>(':scope > .field-error');
      if (slot) {
        slot.hidden = false;
        slot.append(slot.textContent ? ` ${message}` : message);
      }
      const control = focusTarget(wrapper);
      if (wrapper.matches('fieldset')) wrapper.setAttribute('aria-invalid', 'true');
      else control?.setAttribute('aria-invalid', 'true');
      const label = labelOf(wrapper);
      entries.push(
        h(
          'li',
          null,
          h(
            'a',
            {
              href: `#${control?.id ?? ''}`,
              onclick: (event: Event) => {
                event.preventDefault();
                control?.focus();
              },
            },
            label ? t('issueEntry', { label, message }) : message,
          ),
        ),
      );
    } else {
      entries.push(h('li', null, issue.path ? `${issue.path}: ${message}` : message));
    }
  }
  const summary = h(
    'div',
    { class: 'error-summary', role: 'alert', tabindex: -1 },
    h('p', { class: 'error-summary-title' }, heading),
    h('ul', null, entries),
  );
  form.prepend(summary);
  summary.focus();
};

/** A status line for results: `role=status` for success, `alert` for failures. */
export const notice = (kind: 'success' | 'error' | 'info', ...children: Child[]): HTMLElement =>
  h(
    'div',
    { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status', tabindex: -1 },
    ...children,
  );

// --- keeping what was typed ----------------------------------------------------------------------

/** What was typed into a page's controls, by control name and position. */
export type FieldValues = { key: string; value: string; checked: boolean }[];

/** The controls a page's values are kept from: never a file or a password. */
const keptControls = (root: HTMLElement): [string, Control][] => {
  const seen = new Map<string, number>();
  return Array.from(root.querySelectorAll<Control>('input, select, textarea'))
    .filter((control) => control.type !== 'file' && control.type !== 'password')
    .map((control) => {
      const choice = control.type === 'radio' || control.type === 'checkbox';
      const base = `${control.name}|${choice ? control.value : ''}`;
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      return [`${base}|${n}`, control];
    });
};

const isChecked = (control: Control) => control instanceof HTMLInputElement && control.checked;

/** Whether the control differs from what the page drew: something a person typed or chose. */
const changed = (control: Control): boolean => {
  if (control instanceof HTMLSelectElement)
    return Array.from(control.options).some((option) => option.selected !== option.defaultSelected);
  if (control.type === 'radio' || control.type === 'checkbox')
    return (control as HTMLInputElement).checked !== (control as HTMLInputElement).defaultChecked;
  return control.value !== control.defaultValue;
};

export const fieldValues = (root: HTMLElement): FieldValues =>
  keptControls(root).map(([key, control]) => ({ key, value: control.value, checked: isChecked(control) }));

/** Puts `values` back into the page's controls; each tells its listeners, so what depends on it follows. */
export const restoreFieldValues = (root: HTMLElement, values: FieldValues): void => {
  const byKey = new Map(values.map((entry) => [entry.key, entry]));
  for (const [key, control] of keptControls(root)) {
    const saved = byKey.get(key);
    if (!saved) continue;
    if (control instanceof HTMLInputElement && (control.type === 'radio' || control.type === 'checkbox'))
      control.checked = saved.checked;
    else control.value = saved.value;
    control.dispatchEvent(new Event('input', { bubbles: true }));
    control.dispatchEvent(new Event('change', { bubbles: true }));
  }
};

const draftPrefix = 'campaign.draft:';

/**
 * Keeps what was typed on the page of `route` while its reader signs in again (in this tab only, as
 * the session is kept); nothing when nothing was typed. Returns whether anything was kept.
 */
export const keepDraft = (route: string, subject: string, root: HTMLElement): boolean => {
  if (!keptControls(root).some(([, control]) => changed(control))) return false;
  sessionStorage.setItem(`${draftPrefix}${route}`, JSON.stringify({ subject, values: fieldValues(root) }));
  return true;
};

/** The draft kept for `route`, once, and only for whoever kept it: another account never sees it. */
export const takeDraft = (route: string, subject: string): FieldValues | undefined => {
  const key = `${draftPrefix}${route}`;
  const stored = sessionStorage.getItem(key);
  sessionStorage.removeItem(key);
  try {
    const draft = JSON.parse(stored ?? 'null') as { subject: string; values: FieldValues } | null;
    return draft?.subject === subject ? draft.values : undefined;
  } catch {
    return undefined;
  }
};

/** Signing out leaves no draft behind. */
export const forgetDrafts = (): void => {
  for (const key of Object.keys(sessionStorage))
    if (key.startsWith(draftPrefix)) sessionStorage.removeItem(key);
};
