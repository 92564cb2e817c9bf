/**
 * The anonymization check of typical cases (典型案例): text meant for the public must not name a
 * complainant of the cases it tells about. Its rules and limits are in docs/associations.md ("Typical
 * cases"). It compares normalized forms, never the text as typed, so that spacing, full-width
 * characters, case, punctuation inside numbers and the usual e-mail disguises ("at", "＠", "#") do not
 * hide an identifier. It names what kind of identifier it found and where, never the identifier.
 */

/** What identifies a complainant: its contact person, its phone or e-mail, its enterprise's credit code. */
export type IdentifierKind = 'complainant_name' | 'contact' | 'credit_code';

export interface ComplainantIdentifiers {
  /** Contact persons' names. */
  names: readonly string[];
  phones: readonly string[];
  emails: readonly string[];
  /** Unified social credit codes of the filing enterprises. */
  creditCodes: readonly string[];
}

export interface IdentifierFound {
  /** The field of the text that names a complainant. */
  field: string;
  kind: IdentifierKind;
}

/** A letter or digit with whether a word starts or ends at it; Han characters are words of their own. */
interface Unit {
  char: string;
  starts: boolean;
  ends: boolean;
}

const hanPattern = /\p{Script=Han}/u;
const wordCharPattern = /[\p{L}\p{N}]/u;

/** Chinese numerals as phone numbers are dictated (幺 for 1, 两 for 2). */
const chineseDigits: Record<string, string> = {
  〇: '0',
  零: '0',
  一: '1',
  幺: '1',
  二: '2',
  两: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};

/** NFKC folds full-width letters, digits and ＠ to their ASCII forms; then case is ignored. */
const folded = (text: string): string => text.normalize('NFKC').toLowerCase();

/** The letters and digits of the text, with word boundaries: what names are matched against. */
const unitsOf = (text: string): Unit[] => {
  const units: Unit[] = [];
  let previous: string | undefined;
  for (const char of folded(text)) {
    if (!wordCharPattern.test(char)) {
      previous = undefined;
      const last = units.at(-1);
      if (last) last.ends = true;
      continue;
    }
    const boundary =
      previous === undefined ||
      hanPattern.test(char) ||
      hanPattern.test(previous) ||
      isDigit(char) !== isDigit(previous);
    const last = units.at(-1);
    if (boundary && last) last.ends = true;
    units.push({ char, starts: boundary, ends: false });
    previous = char;
  }
  const last = units.at(-1);
  if (last) last.ends = true;
  return units;
};

const isDigit = (char: string) => char >= '0' && char <= '9';

const compact = (text: string): string =>
  [...folded(text)].filter((char) => wordCharPattern.test(char)).join('');

/**
 * Whether `needle` (compacted) occurs in the units starting and ending on word boundaries, so that a
 * Latin name "Li" is found in "Li Ming" and "liming" but not in "policy". Han characters are always
 * boundaries: a Chinese name is found wherever it stands.
 */
const containsWord = (units: readonly Unit[], needle: string): boolean => {
  const chars = [...needle];
  if (chars.length === 0) return false;
  for (let i = 0; i + chars.length <= units.length; i++) {
    if (!units[i]?.starts || !units[i + chars.length - 1]?.ends) continue;
    if (chars.every((char, j) => units[i + j]?.char === char)) return true;
  }
  return false;
};

/**
 * Runs of digits as a number is written: digits (also Chinese numerals) with spaces, dashes, dots,
 * brackets or any other punctuation between them, but no letters.
 */
const digitRuns = (text: string): string[] => {
  const runs: string[] = [];
  let run = '';
  for (const char of folded(text)) {
    const digit = isDigit(char) ? char : chineseDigits[char];
    if (digit !== undefined) run += digit;
    else if (wordCharPattern.test(char)) {
      if (run) runs.push(run);
      run = '';
    }
  }
  if (run) runs.push(run);
  return runs;
};

/**
 * The digit forms a phone number is recognized by: its national number (without +86 or 0086) and,
 * for a landline with an area code, the local number's last seven digits (written without the code).
 */
const phoneForms = (phone: string): string[] => {
  const digits = phone.replace(/\D/g, '');
  const national = digits.replace(/^(?:0086|86)(?=\d{9,})/, '');
  if (national.length < 7) return [];
  return national.startsWith('0') && national.length >= 10 ? [national, national.slice(-7)] : [national];
};

/**
 * The e-mail disguises people write: "at" and "dot" as words (also bracketed), 艾特 and 点. Removing
 * them leaves the address's letters and digits, which is what addresses are compared by.
 */
const withoutEmailDisguises = (text: string): string =>
  folded(text).replace(/艾特|点|(?<![\p{L}\p{N}])(?:at|dot)(?![\p{L}\p{N}])/gu, ' ');

/**
 * Whether the text holds the address: its letters and digits as written, or with the disguise words
 * removed from both (an address may itself contain "at"); or its local part alone as a word, when it
 * is long enough to name someone (not "info" or "hr").
 */
const containsEmail = (text: PreparedText, email: string): boolean => {
  const [local = ''] = folded(email).split('@');
  const localForm = compact(local);
  const whole = compact(email);
  const undisguised = compact(withoutEmailDisguises(email));
  return (
    (whole.length > 0 && text.compacted.includes(whole)) ||
    (undisguised.length > 0 && text.emailCompacted.includes(undisguised)) ||
    (localForm.length >= 5 &&
      (containsWord(text.units, localForm) || containsWord(text.emailUnits, localForm)))
  );
};

/**
 * A credit code is found by its organization code (characters 9 to 17, 组织机构代码), which names the
 * enterprise on its own: the whole code contains it, and so does the code without its check character.
 */
const creditCodeForm = (code: string): string => compact(code).slice(8, 17);

/** Names of one character are left out: they would refuse every text that uses the character. */
const nameForm = (name: string): string | undefined => {
  const form = compact(name);
  return [...form].length >= 2 ? form : undefined;
};

interface PreparedText {
  units: Unit[];
  compacted: string;
  emailCompacted: string;
  emailUnits: Unit[];
  runs: string[];
}

const prepare = (text: string): PreparedText => {
  const disguised = withoutEmailDisguises(text);
  return {
    units: unitsOf(text),
    compacted: compact(text),
    emailCompacted: compact(disguised),
    emailUnits: unitsOf(disguised),
    runs: digitRuns(text),
  };
};

const identifierIn = (
  text: PreparedText,
  identifiers: ComplainantIdentifiers,
): IdentifierKind | undefined => {
  if (
    identifiers.creditCodes.some((code) => {
      const form = creditCodeForm(code);
      return form.length === 9 && text.compacted.includes(form);
    })
  )
    return 'credit_code';
  if (
    identifiers.phones.some((phone) =>
      phoneForms(phone).some((form) => text.runs.some((run) => run.includes(form))),
    ) ||
    identifiers.emails.some((email) => containsEmail(text, email))
  )
    return 'contact';
  if (
    identifiers.names.some((name) => {
      const form = nameForm(name);
      return form !== undefined && containsWord(text.units, form);
    })
  )
    return 'complainant_name';
  return undefined;
};

/**
 * The first field (in the order given) whose text names a complainant, and what kind of identifier
 * it holds; undefined when no field does.
 */
export const findComplainantIdentifier = (
  fields: Readonly<Record<string, string | undefined>>,
  identifiers: ComplainantIdentifiers,
): IdentifierFound | undefined => {
  for (const [field, text] of Object.entries(fields)) {
    if (text === undefined) continue;
    const kind = identifierIn(prepare(text), identifiers);
    if (kind) return { field, kind };
  }
  return undefined;
};
