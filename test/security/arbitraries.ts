/**
 * fast-check generators for the API's inputs, written from the schemas' constraints: valid values
 * (boundaries included), single-field breakages that say which field they break, and garbage.
 */
import fc from 'fast-check';
import { feeCategories, MAX_AMOUNT_FEN, todayInChina } from '#shared/domain/complaint';
import { CREDIT_CODE_CHARSET, makeCreditCode, provinceCodes } from '#shared/domain/credit-code';
import { finalVerdicts, orderActions } from '#shared/tasks/messages';

export type Json = unknown;
export type Body = Record<string, unknown>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The day after today in China (UTC+8): in the future. */
export const tomorrowInChina = () => todayInChina(new Date(Date.now() + DAY_MS));

// ---------------------------------------------------------------- strings

const letterOrDigit = fc.constantFrom(...'AbZ09协会商會行業éßΩжـ'.split(''));

/** Any text: ASCII, full Unicode graphemes (CJK, emoji, combining marks), controls, a lone surrogate. */
const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.constantFrom('\u0000', '\ud800', '\u202e', '\ufeff', ' ', '\t\n', '🧾👨‍👩‍👧', 'Ａ　Ｂ'),
  );

/** zod counts a string's length in code points, not UTF-16 units. */
const codePoints = (text: string) => [...text];

/**
 * A valid name-like text: 1..max code points with at least one letter or digit; sometimes exactly
 * `max` long.
 */
export const validText = (max: number) =>
  fc
    .tuple(letterOrDigit, anyText(Math.min(max, 60)), fc.boolean(), anyText(8))
    .map(([first, rest, fill, tail]) => {
      const text = codePoints(`${first}${rest}`);
      const filler = codePoints(`x${tail}`);
      while (fill && text.length < max) text.push(...filler);
      return text.slice(0, max).join('');
    });

// ---------------------------------------------------------------- complaint

const digits = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(...'0123456789'.split('')), { minLength: min, maxLength: max })
    .map((d) => d.join(''));

export const associationCodeArb = fc
  .tuple(
    fc.constantFrom(...provinceCodes),
    fc.array(fc.constantFrom(...CREDIT_CODE_CHARSET), { minLength: 13, maxLength: 13 }),
  )
  .map(([province, rest]) => ({ province, code: makeCreditCode(`51${province}${rest.join('')}`) }));

const amountFen = fc.oneof(
  fc.constantFrom(1, 2, 99, MAX_AMOUNT_FEN - 1, MAX_AMOUNT_FEN),
  fc.integer({ min: 1, max: 1_000_000 }),
  fc.maxSafeNat().map((n) => 1 + (n % MAX_AMOUNT_FEN)),
);

const chargedOn = fc.oneof(
  fc.constant(null).map(() => todayInChina()),
  fc
    .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date(), noInvalidDate: true })
    .map((d) => todayInChina(d)),
);

const phone = fc
  .tuple(fc.constantFrom('', '+86 ', '+86-', '0'), digits(7, 13), fc.constantFrom('', ' ', '-'))
  .map(([prefix, number, separator]) =>
    `${prefix}${number.slice(0, 3)}${separator}${number.slice(3)}`.slice(0, 20),
  );

const email = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9]{1,16}$/),
    fc.constantFrom('', '.x', '+tag', '_y'),
    fc.stringMatching(/^[a-z0-9]{1,12}$/),
    fc.constantFrom('com', 'cn', 'org.cn', 'example'),
  )
  .map(([local, suffix, domain, tld]) => `${local}${suffix}@${domain}.${tld}`);

const facts = fc.record(
  {
    compulsory: fc.boolean(),
    forcedMembership: fc.boolean(),
    governmentLinked: fc.boolean(),
    serviceProvided: fc.constantFrom('YES', 'PARTIAL', 'NO'),
    duplicateCharge: fc.boolean(),
    chargedByBranch: fc.boolean(),
    kickback: fc.boolean(),
    duesAdoptedByAssembly: fc.boolean(),
    duesTiers: fc.integer({ min: 1, max: 100 }),
    floatingDues: fc.boolean(),
    chargedAsNonMember: fc.boolean(),
    standardPublished: fc.boolean(),
    monopolyService: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** A complaint body the schema accepts: every optional part sometimes left out. */
export const validComplaint: fc.Arbitrary<Body> = fc.record(
  {
    association: fc
      .tuple(validText(200), associationCodeArb, fc.constantFrom('code', 'province', 'both'))
      .map(([name, { code, province }, which]) => ({
        name,
        ...(which !== 'province' ? { creditCode: code } : {}),
        ...(which !== 'code' ? { province } : {}),
      })),
    fee: fc.record(
      {
        name: validText(200),
        category: fc.constantFrom(...feeCategories),
        amountFen,
        chargedOn,
        period: fc.constantFrom('ONE_OFF', 'ANNUAL'),
        publishedStandardFen: amountFen,
      },
      { requiredKeys: ['name', 'category', 'amountFen', 'chargedOn', 'period'] },
    ),
    facts,
    description: validText(4000),
    contact: fc.record({ name: validText(200), phone, email }, { requiredKeys: ['name', 'phone'] }),
    discloseIdentityToAssociation: fc.boolean(),
  },
  { requiredKeys: ['association', 'fee', 'description', 'contact'] },
);

// ---------------------------------------------------------------- completion bodies

const note = validText(2000).filter((text) => text.trim().length > 0);
const ruleId = fc.integer({ min: 1, max: 17 }).map((n) => `R${String(n).padStart(2, '0')}`);

export const validReview: fc.Arbitrary<Body> = fc
  .record({
    verdict: fc.constantFrom(...finalVerdicts),
    ruleIds: fc.uniqueArray(ruleId, { minLength: 1, maxLength: 17 }),
    reason: note,
    actions: fc.uniqueArray(fc.constantFrom(...orderActions), {
      minLength: 1,
      maxLength: orderActions.length,
    }),
    rectificationDays: fc.integer({ min: 1, max: 365 }),
    withDays: fc.boolean(),
  })
  .map(({ verdict, ruleIds, reason, actions, rectificationDays, withDays }) => {
    if (verdict === 'DISMISSED' || verdict === 'NEEDS_INFO') return { verdict, ruleIds: [], reason };
    const ordered =
      verdict === 'UNLAWFUL' && !actions.includes('ABOLISH') ? ['ABOLISH', ...actions] : actions;
    return { verdict, ruleIds, reason, actions: ordered, ...(withDays ? { rectificationDays } : {}) };
  });

const fenOrZero = fc.oneof(
  fc.constantFrom(0, MAX_AMOUNT_FEN),
  fc.maxSafeNat().map((n) => n % (MAX_AMOUNT_FEN + 1)),
);

export const validRectification: fc.Arbitrary<Body> = fc.record(
  {
    abolished: fc.boolean(),
    refundedFen: fenOrZero,
    reducedAnnualFen: fenOrZero,
    evidence: fc.array(
      fc.record({
        kind: fc.constantFrom('NOTICE', 'REFUND_RECEIPT', 'PUBLISHED_STANDARD', 'BOARD_RESOLUTION', 'OTHER'),
        reference: validText(500).filter((text) => text.trim().length > 0),
      }),
      { minLength: 1, maxLength: 20 },
    ),
    note,
  },
  { requiredKeys: ['abolished', 'refundedFen', 'evidence'] },
);

export const validVerification: fc.Arbitrary<Body> = fc.record(
  { accepted: fc.boolean(), note },
  { requiredKeys: ['accepted'] },
);

export const validInfo: fc.Arbitrary<Body> = fc.record({ facts, note }, { requiredKeys: ['note'] });

// ---------------------------------------------------------------- breakages

/** One broken field: where, how, and the path the API must name. */
export interface Breakage {
  /** Path of the object changed, from the body's root. */
  at: string[];
  kind: 'set' | 'remove' | 'unknown-key';
  key: string;
  value?: Json;
  /** The dotted path `error.details` must name. */
  expectPath: string;
}

/** Values of the wrong type for a string, number, boolean or object field alike. */
const wrongTypes: Json[] = [null, true, -1, 1e21, [], {}, [1, 'a'], { nested: { deep: true } }];

/** A field and the values it must refuse. */
export interface FieldRule {
  path: string[];
  invalid: fc.Arbitrary<Json>;
  required?: boolean;
}

/** max + 1 code points or more. */
const tooLong = (max: number) =>
  anyText(4).map((tail) => {
    const start = `x${tail}`;
    return `${start}${'y'.repeat(Math.max(0, max + 1 - codePoints(start).length))}`;
  });
const blankOrPunctuation = fc.constantFrom('', ' ', '   ', '\t', '!!!', '…', '——', '.');

export const nameRule = (path: string[], max: number, required = true): FieldRule => ({
  path,
  required,
  invalid: fc.oneof(fc.constantFrom(...wrongTypes), blankOrPunctuation, tooLong(max)),
});

export const amountRule = (path: string[], required: boolean, min = 1): FieldRule => ({
  path,
  required,
  invalid: fc.oneof(
    fc.constantFrom(
      ...(min === 1 ? [0] : []),
      -1,
      0.5,
      1.000001,
      MAX_AMOUNT_FEN + 1,
      2 ** 53,
      1e308,
      '100',
      null,
      true,
      [],
      {},
    ),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
    fc.integer({ max: min - 1 }),
  ),
});

const booleanRule = (path: string[], required = false): FieldRule => ({
  path,
  required,
  invalid: fc.constantFrom('true', 'yes', 1, 0, null, [], {}),
});

const enumRule = (path: string[], values: readonly string[], required = true): FieldRule => ({
  path,
  required,
  invalid: fc.oneof(
    fc.constantFrom(null, 1, true, [], {}, ''),
    fc.constantFrom(...values).map((value) => value.toLowerCase()),
    fc.constantFrom(...values).map((value) => ` ${value}`),
    anyText(20).filter((text) => !values.includes(text)),
  ),
});

export const complaintRules: FieldRule[] = [
  {
    path: ['association'],
    required: true,
    invalid: fc.constantFrom(null, 'Widget association', 1, [], true),
  },
  nameRule(['association', 'name'], 200),
  {
    path: ['association', 'creditCode'],
    invalid: fc.oneof(
      fc.constantFrom('', '51110000MJ000000', '5111000OMJ0000001X', 51110000, null),
      associationCodeArb.map(({ code }) => code.toLowerCase()),
      // A wrong check character.
      associationCodeArb.map(({ code }) => `${code.slice(0, 17)}${code[17] === '0' ? '1' : '0'}`),
      anyText(18),
    ),
  },
  { path: ['association', 'province'], invalid: fc.constantFrom('00', '99', '1', '011', 'AB', 11, null) },
  { path: ['fee'], required: true, invalid: fc.constantFrom(null, 'dues', 1, [], false) },
  nameRule(['fee', 'name'], 200),
  enumRule(['fee', 'category'], feeCategories),
  amountRule(['fee', 'amountFen'], true),
  {
    path: ['fee', 'chargedOn'],
    required: true,
    invalid: fc.oneof(
      fc.constant(null).map(() => tomorrowInChina()),
      fc.constantFrom(
        '2099-01-01',
        '2026-02-30',
        '2026-1-1',
        '20260101',
        '2026-13-01',
        'yesterday',
        '',
        null,
        20260101,
      ),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    ),
  },
  enumRule(['fee', 'period'], ['ONE_OFF', 'ANNUAL']),
  amountRule(['fee', 'publishedStandardFen'], false),
  { path: ['facts'], invalid: fc.constantFrom(null, 'none', 1, [], true) },
  booleanRule(['facts', 'compulsory']),
  booleanRule(['facts', 'forcedMembership']),
  enumRule(['facts', 'serviceProvided'], ['YES', 'PARTIAL', 'NO'], false),
  { path: ['facts', 'duesTiers'], invalid: fc.constantFrom(0, 101, 2.5, -3, '4', null) },
  booleanRule(['facts', 'standardPublished']),
  {
    path: ['description'],
    required: true,
    invalid: fc.oneof(fc.constantFrom('', ' ', '\n\t ', null, 42, [], {}), tooLong(4000)),
  },
  { path: ['contact'], required: true, invalid: fc.constantFrom(null, 'Zhang San', 1, [], true) },
  nameRule(['contact', 'name'], 200),
  {
    path: ['contact', 'phone'],
    required: true,
    invalid: fc.oneof(
      fc.constantFrom(
        '',
        '123456',
        '12-34-56',
        'abcdefgh',
        '1'.repeat(21),
        '138 0000 0000 ext. 12',
        '+86(10)12345678',
      ),
      fc.constantFrom(13800000000, null, []),
      digits(1, 6),
    ),
  },
  {
    path: ['contact', 'email'],
    invalid: fc.oneof(
      fc.constantFrom('', 'not-an-email', 'a@', '@b.cn', 'a b@c.cn', 'a@b', null, 1),
      fc.constant(`${'a'.repeat(250)}@x.cn`),
    ),
  },
  booleanRule(['discloseIdentityToAssociation']),
];

/** Keys no schema knows: server-owned fields, prototype pollution, look-alikes and random text. */
export const unknownKey = (known: readonly string[]) =>
  fc
    .oneof(
      fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        'toString',
        'hasOwnProperty',
        'status',
        'caseId',
        'complaintId',
        'enterpriseCreditCode',
        'version',
        'assignee',
        'taskId',
        'result',
        'Name',
        'name ',
        'ｎａｍｅ',
      ),
      anyText(20),
    )
    .filter((key) => key.length > 0 && !known.includes(key));

/** Every object path of a schema and the keys it knows, for unknown-key breakages. */
export interface ObjectShape {
  at: string[];
  known: readonly string[];
}

export const complaintShapes: ObjectShape[] = [
  {
    at: [],
    known: ['association', 'fee', 'facts', 'description', 'contact', 'discloseIdentityToAssociation'],
  },
  { at: ['association'], known: ['name', 'creditCode', 'province'] },
  {
    at: ['fee'],
    known: ['name', 'category', 'amountFen', 'chargedOn', 'period', 'publishedStandardFen'],
  },
  {
    at: ['facts'],
    known: [
      'compulsory',
      'forcedMembership',
      'governmentLinked',
      'serviceProvided',
      'duplicateCharge',
      'chargedByBranch',
      'kickback',
      'duesAdoptedByAssembly',
      'duesTiers',
      'floatingDues',
      'chargedAsNonMember',
      'standardPublished',
      'monopolyService',
    ],
  },
  { at: ['contact'], known: ['name', 'phone', 'email'] },
];

const dotted = (path: readonly string[]) => path.join('.');

/** One breakage drawn from the field rules and object shapes of a schema. */
export const breakageOf = (rules: FieldRule[], shapes: ObjectShape[]): fc.Arbitrary<Breakage> => {
  const set = fc.constantFrom(...rules).chain((rule) =>
    rule.invalid.map(
      (value): Breakage => ({
        at: rule.path.slice(0, -1),
        kind: 'set',
        key: rule.path.at(-1) as string,
        value,
        expectPath: dotted(rule.path),
      }),
    ),
  );
  const required = rules.filter((rule) => rule.required);
  const remove = (): fc.Arbitrary<Breakage> =>
    fc.constantFrom(...required).map(
      (rule): Breakage => ({
        at: rule.path.slice(0, -1),
        kind: 'remove',
        key: rule.path.at(-1) as string,
        expectPath: dotted(rule.path),
      }),
    );
  const unknown = fc.constantFrom(...shapes).chain((shape) =>
    fc
      .tuple(
        // A key with a lone surrogate has no UTF-8 form to be named by in the answer; odd text in
        // values and bodies is fuzzed elsewhere.
        unknownKey(shape.known).filter((key) => Buffer.from(key, 'utf8').toString('utf8') === key),
        fc.oneof(fc.constantFrom(...wrongTypes), anyText(10)),
      )
      .map(
        ([key, value]): Breakage => ({
          at: shape.at,
          kind: 'unknown-key',
          key,
          value,
          expectPath: dotted([...shape.at, key]),
        }),
      ),
  );
  return fc.oneof(
    { weight: 6, arbitrary: set },
    ...(required.length > 0 ? [{ weight: 2, arbitrary: remove() }] : []),
    { weight: 2, arbitrary: unknown },
  );
};

/** Up to three breakages, none inside another's field (so each must be reported). */
export const breakagesOf = (rules: FieldRule[], shapes: ObjectShape[]) =>
  fc
    .uniqueArray(breakageOf(rules, shapes), { minLength: 1, maxLength: 3, selector: (b) => b.expectPath })
    .filter((breakages) =>
      breakages.every((a) =>
        breakages.every(
          (b) =>
            a === b ||
            !(
              `${b.expectPath}.`.startsWith(`${a.expectPath}.`) ||
              `${a.expectPath}.`.startsWith(`${b.expectPath}.`) ||
              // an unknown key added to an object another breakage replaces or removes
              (b.kind === 'unknown-key' && `${dotted(b.at)}.`.startsWith(`${a.expectPath}.`)) ||
              (a.kind === 'unknown-key' && `${dotted(a.at)}.`.startsWith(`${b.expectPath}.`))
            ),
        ),
      ),
    );

/** Applies breakages to a deep copy of a valid body; own `__proto__` keys stay plain data. */
export const applyBreakages = (valid: Body, breakages: readonly Breakage[]): Body => {
  const body = structuredClone(valid);
  for (const breakage of breakages) {
    let target = body as Record<string, unknown>;
    for (const segment of breakage.at) {
      const next = target[segment];
      if (next === null || typeof next !== 'object') target[segment] = {};
      target = target[segment] as Record<string, unknown>;
    }
    if (breakage.kind === 'remove') delete target[breakage.key];
    else
      Object.defineProperty(target, breakage.key, {
        value: breakage.value,
        enumerable: true,
        configurable: true,
        writable: true,
      });
  }
  return body;
};

// ---------------------------------------------------------------- garbage

const nested = (depth: number, wrap: 'array' | 'object') => {
  let text = '0';
  for (let i = 0; i < depth; i++) text = wrap === 'array' ? `[${text}]` : `{"a":${text}}`;
  return text;
};

/** Raw JSON texts no body schema accepts: any JSON value, deep nesting, 40 KiB strings, Unicode. */
export const garbageJson: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? 'null'),
  fc
    .constantFrom(1000, 5000)
    .chain((depth) =>
      fc.constantFrom('array', 'object').map((wrap) => nested(depth, wrap as 'array' | 'object')),
    ),
  // 40 KiB of text (over the 32 KiB limit), and just under the limit.
  fc
    .constantFrom([40 * 1024, '漢'] as const, [40 * 1024, 'z'] as const, [31 * 1024, 'z'] as const)
    .chain(([size, fill]) =>
      anyText(8).map((seed) => JSON.stringify({ description: `${seed}z`.padEnd(size, fill) })),
    ),
  fc
    .dictionary(anyText(12), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 5 })
    .map((value) => JSON.stringify(value)),
  fc.constantFrom(
    '{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"polluted": 1}}}',
    '{"a": 1, "a": 2}',
    '',
    ' ',
    'null',
    '[]',
    '"just a string"',
    '1e999',
    '{"description": "\\ud800"}',
    '\ufeff{}',
    '{',
    '{"a":}',
    '\u0000',
    'NaN',
    "{'single': 'quotes'}",
  ),
);

// ---------------------------------------------------------------- completion and token breakages

const noteRule = (path: string[], required: boolean): FieldRule => ({
  path,
  required,
  invalid: fc.oneof(fc.constantFrom('', ' ', '\n\t', null, 5, [], {}), tooLong(2000)),
});

export const completionRules: Record<'REVIEW' | 'RECTIFICATION' | 'VERIFICATION' | 'INFO', FieldRule[]> = {
  REVIEW: [
    enumRule(['verdict'], finalVerdicts),
    {
      path: ['ruleIds'],
      required: true,
      // Field-level breakages only: an empty list is refused by the cross-field check, which runs
      // once every field is well-formed (tested on its own in the API tests).
      invalid: fc.constantFrom('R01', ['R1'], ['r01'], ['R01', 'R01'], [1], null, {}, [
        'R01',
        'R02',
        'R03',
        'R04',
        'R05',
        'R06',
        'R07',
        'R08',
        'R09',
        'R10',
        'R11',
        'R12',
        'R13',
        'R14',
        'R15',
        'R16',
        'R17',
        'R18',
      ]),
    },
    noteRule(['reason'], true),
    {
      path: ['actions'],
      invalid: fc.constantFrom(
        ['DELETE'],
        'ABOLISH',
        ['ABOLISH', 'ABOLISH'],
        null,
        [1],
        ['ABOLISH', 'REFUND', 'REDUCE_PRICE', 'PUBLISH_STANDARD', 'ADJUST_TIERS', 'ABOLISH'],
      ),
    },
    { path: ['rectificationDays'], invalid: fc.constantFrom(0, 366, 1.5, '30', null, -1, 1e9) },
  ],
  RECTIFICATION: [
    booleanRule(['abolished'], true),
    amountRule(['refundedFen'], true, 0),
    amountRule(['reducedAnnualFen'], false, 0),
    // Not required on its own: a report may rest on attached files instead (an empty list without
    // files is refused by a rule over the whole report, which zod runs only once every field parsed).
    {
      path: ['evidence'],
      invalid: fc.constantFrom(
        'receipt',
        null,
        {},
        Array.from({ length: 21 }, () => ({ kind: 'NOTICE', reference: 'a' })),
      ),
    },
    enumRule(
      ['evidence', '0', 'kind'],
      ['NOTICE', 'REFUND_RECEIPT', 'PUBLISHED_STANDARD', 'BOARD_RESOLUTION', 'OTHER'],
    ),
    noteRule(['evidence', '0', 'reference'], true),
    noteRule(['note'], false),
  ],
  VERIFICATION: [booleanRule(['accepted'], true), noteRule(['note'], false)],
  INFO: [
    { path: ['facts'], invalid: fc.constantFrom(null, 'none', 1, [], true) },
    booleanRule(['facts', 'compulsory']),
    { path: ['facts', 'duesTiers'], invalid: fc.constantFrom(0, 101, 2.5, '4', null) },
    noteRule(['note'], true),
  ],
};

export const completionShapes: Record<keyof typeof completionRules, ObjectShape[]> = {
  REVIEW: [{ at: [], known: ['verdict', 'ruleIds', 'reason', 'actions', 'rectificationDays'] }],
  RECTIFICATION: [
    { at: [], known: ['abolished', 'refundedFen', 'reducedAnnualFen', 'evidence', 'note'] },
    { at: ['evidence', '0'], known: ['kind', 'reference'] },
  ],
  VERIFICATION: [{ at: [], known: ['accepted', 'note'] }],
  INFO: [
    { at: [], known: ['facts', 'note'] },
    { at: ['facts'], known: complaintShapes[3]?.known ?? [] },
  ],
};

export type TokenRole = 'enterprise' | 'association' | 'regulator' | 'campaign-admin';

export const validTokenRequest: fc.Arbitrary<Body> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('enterprise', 'association'),
      associationCodeArb,
      fc.option(validText(200), { nil: undefined }),
    )
    .map(([role, { code }, name]) => ({ role, creditCode: code, ...(name === undefined ? {} : { name }) })),
  fc
    .tuple(
      fc.constantFrom('SAMR', 'MCA', 'NDRC'),
      fc.constantFrom('00', ...provinceCodes),
      fc.option(validText(200), { nil: undefined }),
    )
    .map(([agency, province, name]) => ({
      role: 'regulator',
      agency,
      province,
      ...(name === undefined ? {} : { name }),
    })),
  fc
    .option(validText(200), { nil: undefined })
    .map((name) => ({ role: 'campaign-admin', ...(name === undefined ? {} : { name }) })),
);

const nameOfToken: FieldRule = {
  path: ['name'],
  invalid: fc.oneof(fc.constantFrom('', null, 1, []), tooLong(200)),
};

/** Breakages that keep the role (the union's discriminator), so the failing field is the role's own. */
export const tokenRules: Record<TokenRole, FieldRule[]> = {
  enterprise: [
    { path: ['creditCode'], required: true, invalid: complaintRules[2]?.invalid ?? fc.constant(null) },
    nameOfToken,
  ],
  association: [
    { path: ['creditCode'], required: true, invalid: complaintRules[2]?.invalid ?? fc.constant(null) },
    nameOfToken,
  ],
  regulator: [
    enumRule(['agency'], ['SAMR', 'MCA', 'NDRC']),
    { path: ['province'], required: true, invalid: fc.constantFrom('0', '000', '99', 'AB', 11, null, '') },
    nameOfToken,
  ],
  'campaign-admin': [nameOfToken],
};

export const tokenShapes: Record<TokenRole, ObjectShape[]> = {
  enterprise: [{ at: [], known: ['role', 'creditCode', 'name'] }],
  association: [{ at: [], known: ['role', 'creditCode', 'name'] }],
  regulator: [{ at: [], known: ['role', 'agency', 'province', 'name'] }],
  'campaign-admin': [{ at: [], known: ['role', 'name'] }],
};
