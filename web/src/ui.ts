/** Pieces several pages share: badges, definition lists, the fact questions, paging. */
import type { ComplaintFacts } from '#shared/domain/complaint';
import { agencies } from '#shared/domain/principal';
import type { FieldIssue } from './api.ts';
import { type Child, h } from './dom.ts';
import { type Choice, field, input, radioGroup, radioOf, textOf, triState } from './forms.ts';
import { formatDate, type MessageKey, provinceName, t, tx } from './i18n.ts';

export const badge = (text: string, kind: 'stage' | 'overdue' | 'escalated' | 'attention' | 'ok' | 'muted') =>
  h('span', { class: `badge badge-${kind}` }, text);

export const stageBadge = (stage: string | undefined) =>
  stage ? badge(tx('stage', stage), stage === 'CLOSED' ? 'ok' : 'stage') : null;

/** Overdue and escalated are spelled out, not only coloured. */
export const flagBadges = (flags: { overdue?: boolean; escalated?: boolean; attention?: boolean }) =>
  h(
    'span',
    { class: 'badges' },
    flags.overdue ? badge(`⚠ ${t('overdue')}`, 'overdue') : null,
    flags.escalated ? badge(`↑ ${t('escalated')}`, 'escalated') : null,
    flags.attention ? badge(`! ${t('attention')}`, 'attention') : null,
  );

/** The working days left on an open task, spelled out: left, due today, or overdue by how many. */
const workingDaysBadge = (left: number) => {
  if (left > 0) return badge(t(left === 1 ? 'dueLeftOne' : 'dueLeft', { n: left }), 'muted');
  if (left === 0) return badge(t('dueToday'), 'attention');
  return badge(t(left === -1 ? 'dueOverdueOne' : 'dueOverdue', { n: -left }), 'overdue');
};

/**
 * A due date as people count it: the day (China time; a deadline ends with its day) and, for an open
 * task, the working days the API counted left.
 */
export const dueDate = (task: { dueAt: string; dueWorkingDays?: number }) =>
  h(
    'span',
    { class: 'due' },
    h('time', { datetime: task.dueAt }, formatDate(task.dueAt)),
    task.dueWorkingDays === undefined ? null : [' ', workingDaysBadge(task.dueWorkingDays)],
  );

export const dl = (entries: readonly (readonly [string, Child] | null | false)[], variant?: 'questions') =>
  h(
    'dl',
    { class: variant === 'questions' ? 'summary-list questions' : 'summary-list' },
    entries
      .filter((entry): entry is readonly [string, Child] => Boolean(entry))
      .map(([term, value]) => h('div', null, h('dt', null, term), h('dd', null, value))),
  );

export const section = (title: string, ...children: Child[]) =>
  h('section', { class: 'card' }, h('h2', null, title), ...children);

type BooleanFact = Exclude<keyof ComplaintFacts, 'serviceProvided' | 'duesTiers'>;

/** The rulebook's questions, in plain words, in the order a complainant thinks about them. */
export const generalFacts: readonly BooleanFact[] = [
  'compulsory',
  'forcedMembership',
  'governmentLinked',
  'duplicateCharge',
  'chargedByBranch',
  'kickback',
  'standardPublished',
  'monopolyService',
];
export const duesFacts: readonly BooleanFact[] = [
  'duesAdoptedByAssembly',
  'floatingDues',
  'chargedAsNonMember',
];

type FactName = keyof ComplaintFacts;

/** Fees a person pays as a member, or to hold a council seat: joining and recruiting matter there. */
const membershipCategories = new Set(['MEMBERSHIP_DUES', 'COUNCIL_POSITION', 'OTHER']);
/** Fees paid for a service: whether it came, and whether only this association offers it. */
const serviceCategories = new Set([
  'MEETING_TRAINING',
  'EXHIBITION',
  'RATING_AWARD',
  'QUALIFICATION_CERTIFICATION',
  'PUBLICATION_SUBSCRIPTION',
  'ADVERTISING',
  'DELEGATED_GOVERNMENT_SERVICE',
  'MARKET_SERVICE',
  'OTHER',
]);
/** Fees that may charge again for what the dues already cover. */
const duesCoveredCategories = new Set([
  'MEMBERSHIP_DUES',
  'COUNCIL_POSITION',
  'MEETING_TRAINING',
  'PUBLICATION_SUBSCRIPTION',
  'OTHER',
]);

/**
 * The fact questions that fit a fee's category, the one place that decides it: an exhibition fee is
 * not asked about dues or joining. Before a category is chosen, only what every fee is asked. The
 * branch and dues questions go with dues only, as the rulebook reads them only for dues.
 */
export const factsFor = (category: string): ReadonlySet<FactName> => {
  const facts: FactName[] = ['compulsory', 'governmentLinked', 'standardPublished'];
  if (membershipCategories.has(category)) facts.push('forcedMembership', 'kickback');
  if (serviceCategories.has(category)) facts.push('serviceProvided', 'monopolyService');
  if (duesCoveredCategories.has(category)) facts.push('duplicateCharge');
  if (category === 'MEMBERSHIP_DUES') facts.push('chargedByBranch', ...duesFacts, 'duesTiers');
  return new Set(facts);
};

/** Shows only the questions that fit `category` (see `factsFor`); hidden answers are not read. */
export const showFactsFor = (container: HTMLElement, category: string): void => {
  const asked = factsFor(category);
  for (const question of Array.from(container.querySelectorAll<HTMLElement>('[data-fact]')))
    question.hidden = !asked.has(question.dataset.fact as FactName);
  const dues = container.querySelector<HTMLElement>('[data-dues]');
  if (dues) dues.hidden = !duesFacts.some((fact) => asked.has(fact));
};

const yesNo = () => [
  { value: 'yes', label: t('yes') },
  { value: 'no', label: t('no') },
  { value: '', label: t('dontKnow') },
];

const asChoice = (value: boolean | undefined) => (value === true ? 'yes' : value === false ? 'no' : '');

/**
 * Yes / No / Don't know for each fact; "Don't know" leaves the fact out. With a `category` (the
 * complaint form) only the questions that fit it show; without one (an answer to a regulator's
 * question about a filed case) all of them.
 */
export const factQuestions = (values: ComplaintFacts = {}, options: { category?: string } = {}) => {
  const asked = options.category === undefined ? undefined : factsFor(options.category);
  const asFact = <E extends HTMLElement>(fact: FactName, element: E): E => {
    element.dataset.fact = fact;
    element.hidden = asked !== undefined && !asked.has(fact);
    return element;
  };
  const boolQuestion = (fact: BooleanFact) =>
    asFact(
      fact,
      radioGroup({
        path: `facts.${fact}`,
        name: `facts.${fact}`,
        label: t(`fact.${fact}` as MessageKey),
        choices: yesNo(),
        value: asChoice(values[fact]),
        inline: true,
      }),
    );
  const service = asFact(
    'serviceProvided',
    radioGroup({
      path: 'facts.serviceProvided',
      name: 'facts.serviceProvided',
      label: t('fact.serviceProvided'),
      choices: [
        { value: 'YES', label: t('yes') },
        { value: 'PARTIAL', label: t('partly') },
        { value: 'NO', label: t('no') },
        { value: '', label: t('dontKnow') },
      ],
      value: values.serviceProvided ?? '',
      inline: true,
    }),
  );
  const dues = h(
    'fieldset',
    {
      class: 'subsection',
      'data-dues': true,
      hidden: asked !== undefined && !duesFacts.some((fact) => asked.has(fact)),
    },
    h('legend', null, t('sectionDues')),
    h('p', { class: 'hint' }, t('sectionDuesHint')),
    boolQuestion('duesAdoptedByAssembly'),
    asFact(
      'duesTiers',
      field(
        {
          path: 'facts.duesTiers',
          label: t('fact.duesTiers'),
          hint: t('fact.duesTiersHint'),
          optional: true,
        },
        input({
          name: 'facts.duesTiers',
          inputmode: 'numeric',
          autocomplete: 'off',
          value: values.duesTiers !== undefined ? String(values.duesTiers) : '',
          class: 'narrow',
        }),
      ),
    ),
    boolQuestion('floatingDues'),
    boolQuestion('chargedAsNonMember'),
  );
  return [
    boolQuestion('compulsory'),
    boolQuestion('forcedMembership'),
    boolQuestion('governmentLinked'),
    service,
    ...generalFacts.slice(3).map(boolQuestion),
    dues,
  ];
};

/**
 * The facts answered in the form; unanswered ones are left out. With a `category`, only the facts
 * asked for it (`factsFor`): an answer given before the category changed is not sent.
 */
export const readFacts = (form: HTMLFormElement, issues: FieldIssue[], category?: string): ComplaintFacts => {
  const asked = category === undefined ? undefined : factsFor(category);
  const wanted = (fact: FactName) => asked === undefined || asked.has(fact);
  const facts: Record<string, unknown> = {};
  for (const fact of [...generalFacts, ...duesFacts].filter(wanted)) {
    const value = triState(radioOf(form, `facts.${fact}`));
    if (value !== undefined) facts[fact] = value;
  }
  const service = radioOf(form, 'facts.serviceProvided');
  if (service && wanted('serviceProvided')) facts.serviceProvided = service;
  const tiers = textOf(form, 'facts.duesTiers');
  if (tiers !== '' && wanted('duesTiers')) {
    // A number that is not whole stays a number, so the schema reports it as the server would.
    const parsed = Number(tiers);
    if (Number.isNaN(parsed))
      issues.push({
        path: 'facts.duesTiers',
        code: 'invalid_type',
        params: { expected: 'int' },
        message: 'must be a whole number',
      });
    else facts.duesTiers = parsed;
  }
  return facts as ComplaintFacts;
};

/** The stated facts as question -> answer; unstated ones are not listed. */
export const factsList = (facts: ComplaintFacts) => {
  const entries: [string, string][] = [];
  const answer = (value: unknown) =>
    value === true
      ? t('yes')
      : value === false
        ? t('no')
        : value === 'PARTIAL'
          ? t('partly')
          : value === 'YES'
            ? t('yes')
            : value === 'NO'
              ? t('no')
              : String(value);
  for (const fact of [
    ...generalFacts.slice(0, 3),
    'serviceProvided',
    ...generalFacts.slice(3),
    'duesAdoptedByAssembly',
    'duesTiers',
    'floatingDues',
    'chargedAsNonMember',
  ] as const) {
    const value = facts[fact];
    if (value !== undefined) entries.push([t(`fact.${fact}` as MessageKey), answer(value)]);
  }
  return entries.length > 0 ? dl(entries, 'questions') : h('p', null, t('factsNone'));
};

/** Cursors of the pages seen of a list, by its filters: "previous" goes back without the browser history. */
export type Trails = Map<string, (string | undefined)[]>;

/**
 * The page of a filtered, cursor-paged list the address asks for: its number, its cursor, and the
 * cursors of the pages seen with the same filters (for `pager`).
 */
export const pageOfList = (query: URLSearchParams, filters: object, trails: Trails) => {
  const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
  const cursor = query.get('cursor') ?? undefined;
  const signature = JSON.stringify(filters);
  const trail = trails.get(signature) ?? [undefined];
  trails.set(signature, trail);
  trail[page - 1] = cursor;
  return { page, cursor, trail };
};

/**
 * First / previous / next for cursor pagination, or nothing when everything fits on one page. `trail`
 * holds the cursor of every page seen so far, which makes "previous" possible.
 */
export const pager = (
  page: number,
  nextCursor: string | null,
  trail: readonly (string | undefined)[],
  go: (page: number, cursor?: string) => void,
) =>
  page === 1 && !nextCursor
    ? null
    : h(
        'nav',
        { class: 'pager', 'aria-label': t('pageN', { n: page }) },
        h('button', { type: 'button', disabled: page === 1, onclick: () => go(1) }, t('firstPage')),
        h(
          'button',
          { type: 'button', disabled: page === 1, onclick: () => go(page - 1, trail[page - 2]) },
          t('previousPage'),
        ),
        h('span', { class: 'pager-page' }, t('pageN', { n: page })),
        h(
          'button',
          {
            type: 'button',
            disabled: !nextCursor,
            onclick: () => {
              if (nextCursor) go(page + 1, nextCursor);
            },
          },
          t('nextPage'),
        ),
      );

/** The regulators' agencies, named in the reader's language. */
export const agencyChoices = (): Choice[] =>
  agencies.map((agency) => ({ value: agency, label: tx('agency', agency) }));

/** Province codes (`00`: national), named in the reader's language. */
export const provinceChoices = (codes: readonly string[]): Choice[] =>
  codes.map((code) => ({ value: code, label: provinceName(code) }));
