import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ComplainantIdentifiers,
  findComplainantIdentifier,
} from '#shared/domain/complainant-identifiers';
import { CREDIT_CODE_CHARSET } from '#shared/domain/credit-code';

const complainant: ComplainantIdentifiers = {
  names: ['王建国'],
  phones: ['+86 139-1111-2222'],
  emails: ['wang.jianguo@example.com'],
  creditCodes: ['91440300MA5F1234X7'],
};

const innocent =
  '某市工程咨询协会以“会员服务费”名义向企业收取每年2800元费用。市民政局认定该收费违规，责令退还，协会已退费12.6万元。';

const check = (summary: string, identifiers = complainant) =>
  findComplainantIdentifier({ summary }, identifiers);

describe('findComplainantIdentifier', () => {
  it('passes a summary that names the association, the fee and the amounts but no complainant', () => {
    // Act
    const found = check(innocent);

    // Assert
    expect(found).toBeUndefined();
  });

  it.each([
    ['the name as written', '投诉人王建国反映'],
    ['the name with spaces', '投诉人王 建 国反映'],
    ['the name with full-width spaces and dots', '投诉人王　建·国反映'],
  ])('finds the complainant name: %s', (_how, text) => {
    // Act
    const found = check(`${innocent}${text}`);

    // Assert
    expect(found).toEqual({ field: 'summary', kind: 'complainant_name' });
  });

  it.each([
    ['with dashes', '联系电话139-1111-2222'],
    ['in full-width digits', '电话１３９１１１１２２２２'],
    ['with the country code', '+86 (139) 1111 2222'],
    ['in Chinese numerals', '电话幺三九一一一一二二二二'],
    ['with dots', '139.1111.2222'],
    ['as an e-mail with "at" and "dot"', 'wang.jianguo at example dot com'],
    ['as an e-mail with a full-width ＠', 'WANG.JIANGUO＠EXAMPLE.COM'],
    ['as an e-mail with [at]', 'wang.jianguo[at]example.com'],
    ['as an e-mail with #', 'wang.jianguo#example.com'],
    ['as the local part of the e-mail alone', '邮箱用户名 wang_jianguo'],
  ])('finds the contact %s', (_how, text) => {
    // Act
    const found = check(`${innocent}${text}`);

    // Assert
    expect(found).toEqual({ field: 'summary', kind: 'contact' });
  });

  it('finds a landline by its local number written without the area code', () => {
    // Arrange
    const identifiers = { ...complainant, phones: ['020-8765 4321'] };

    // Act
    const found = check('请拨打 8765-4321 联系', identifiers);

    // Assert
    expect(found).toEqual({ field: 'summary', kind: 'contact' });
  });

  it.each([
    ['as written', '统一社会信用代码91440300MA5F1234X7'],
    ['in lower case with spaces', '代码 9144 0300 ma5f 1234 x7'],
    ['in full-width characters', '９１４４０３００ＭＡ５Ｆ１２３４Ｘ７'],
    ['without its check character', '91440300MA5F1234X'],
    ['by its organization code alone', '组织机构代码MA5F1234-X'],
  ])('finds the enterprise credit code %s', (_how, text) => {
    // Act
    const found = check(`${innocent}${text}`);

    // Assert
    expect(found).toEqual({ field: 'summary', kind: 'credit_code' });
  });

  it('names the first field, in the order given, that holds an identifier', () => {
    // Act
    const found = findComplainantIdentifier(
      { title: '会员费整改案例', summary: innocent, lessons: '请联系王建国' },
      complainant,
    );

    // Assert
    expect(found).toEqual({ field: 'lessons', kind: 'complainant_name' });
  });

  it('finds a Latin name whatever its spacing and case, but not inside another word', () => {
    // Arrange
    const identifiers = { ...complainant, names: ['Li Na'] };

    // Act
    const named = check('Contact LINA for details', identifiers);
    const inWord = check('The policy named a standard fee', identifiers);

    // Assert
    expect(named).toEqual({ field: 'summary', kind: 'complainant_name' });
    expect(inWord).toBeUndefined();
  });

  it('ignores one-character names, which would refuse every text using the character', () => {
    // Arrange
    const identifiers = { ...complainant, names: ['王'] };

    // Act
    const found = check('王某反映的收费已退还', identifiers);

    // Assert
    expect(found).toBeUndefined();
  });

  it('says nothing of the identifier it found', () => {
    // Act
    const found = check(`${innocent}联系电话13911112222`);

    // Assert
    expect(JSON.stringify(found)).not.toMatch(/1391111|2222/);
  });
});

// Property-based: any rendering of an identifier embedded in any text is found; text built only from
// words no identifier uses passes.

const surnames = [...'王李张刘陈杨赵黄周吴'];
const given = [...'建国秀英志明晓红伟芳'];
/** Words of summaries, from characters that no generated name uses; digits only in runs shorter than 7. */
const summaryWords = [
  '协会',
  '收费',
  '会员',
  '退费',
  '整改',
  '市场监管局',
  '违规',
  '培训费',
  '元',
  '已',
  '2026年',
  '按规定',
];

const chineseName = fc
  .tuple(fc.constantFrom(...surnames), fc.array(fc.constantFrom(...given), { minLength: 1, maxLength: 2 }))
  .map(([surname, rest]) => surname + rest.join(''));
const mobile = fc
  .tuple(fc.constantFrom('13', '15', '18', '19'), fc.stringMatching(/^[0-9]{9}$/))
  .map(([prefix, rest]) => prefix + rest);
const emailAddress = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{4,11}$/), fc.constantFrom('example.com', 'qq.com', '163.com'))
  .map(([local, domain]) => `${local}@${domain}`);
const creditCode = fc
  .array(fc.constantFrom(...CREDIT_CODE_CHARSET), { minLength: 16, maxLength: 16 })
  .map((chars) => `9144${chars.join('')}`.slice(0, 18));
const identifiersArbitrary = fc.record({
  names: fc.array(chineseName, { minLength: 1, maxLength: 3 }),
  phones: fc.array(mobile, { minLength: 1, maxLength: 3 }),
  emails: fc.array(emailAddress, { minLength: 1, maxLength: 3 }),
  creditCodes: fc.array(creditCode, { minLength: 1, maxLength: 3 }),
});
const innocentText = fc
  .array(fc.constantFrom(...summaryWords), { maxLength: 30 })
  .map((words) => words.join(''));

const fullWidth = (text: string) =>
  [...text]
    .map((char) => (/[0-9A-Za-z@]/.test(char) ? String.fromCharCode(char.charCodeAt(0) + 0xfee0) : char))
    .join('');
/** Puts `separator` between characters at the positions `cuts` chooses. */
const interleave = (text: string, separator: string, cuts: readonly boolean[]) =>
  [...text].map((char, i) => (i > 0 && cuts[i % cuts.length] ? separator + char : char)).join('');

const separators = fc.constantFrom(' ', '-', '　', '.', ' - ', '（', '）', '·');
const rendering = fc.record({
  wide: fc.boolean(),
  upper: fc.boolean(),
  separator: separators,
  cuts: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
});

const render = (
  secret: string,
  how: { wide: boolean; upper: boolean; separator: string; cuts: boolean[] },
) => {
  const cased = how.upper ? secret.toUpperCase() : secret;
  const spaced = interleave(cased, how.separator, how.cuts);
  return how.wide ? fullWidth(spaced) : spaced;
};

const emailRendering = fc.constantFrom(
  (email: string) => email,
  (email: string) => email.replace('@', ' at ').replaceAll('.', ' dot '),
  (email: string) => email.replace('@', '(at)'),
  (email: string) => email.replace('@', '＠'),
  (email: string) => email.replace('@', '#').toUpperCase(),
);

describe('findComplainantIdentifier (properties)', () => {
  it('finds any rendering of a name, phone or credit code embedded in a summary', () => {
    fc.assert(
      fc.property(
        identifiersArbitrary,
        fc.constantFrom('names', 'phones', 'creditCodes'),
        fc.nat(),
        rendering,
        innocentText,
        innocentText,
        (identifiers, which, pick, how, before, after) => {
          const secrets = identifiers[which as 'names' | 'phones' | 'creditCodes'];
          const secret = secrets[pick % secrets.length] as string;
          const found = check(`${before}${render(secret, how)}${after}`, identifiers);
          expect(found?.field).toBe('summary');
        },
      ),
    );
  });

  it('finds any usual disguise of an e-mail address embedded in a summary', () => {
    fc.assert(
      fc.property(
        identifiersArbitrary,
        emailRendering,
        innocentText,
        innocentText,
        (identifiers, disguise, before, after) => {
          const found = check(`${before} ${disguise(identifiers.emails[0] as string)} ${after}`, identifiers);
          expect(found?.kind).toBe('contact');
        },
      ),
    );
  });

  it('passes text that holds none of the identifiers', () => {
    fc.assert(
      fc.property(identifiersArbitrary, innocentText, (identifiers, text) => {
        expect(check(text, identifiers)).toBeUndefined();
      }),
    );
  });
});
