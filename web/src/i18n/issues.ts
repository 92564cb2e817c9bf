/**
 * A field issue (the server's `error.details[]` or the form's own check) in the current language,
 * rendered from its code and parameters; the English `message` is never read.
 */
import type { FieldIssue } from '../api.ts';
import { hasKey, type MessageKey, t, tx } from '../i18n.ts';
import { formatMoney } from './format.ts';

/** What the field the issue is about shows: a choice (radios, a select) or an amount typed in yuan. */
export interface IssueField {
  choice?: boolean;
  money?: boolean;
}

const sizeKeys: Record<string, { small: MessageKey; big: MessageKey }> = {
  string: { small: 'issue.tooShort', big: 'issue.tooLong' },
  number: { small: 'issue.min', big: 'issue.max' },
  array: { small: 'issue.fewEntries', big: 'issue.manyEntries' },
};

const numberParam = (issue: FieldIssue, name: string): number => Number(issue.params?.[name] ?? 0);

/** A limit as the field shows it: amounts are kept in fen and typed in yuan. */
const limit = (value: number, field: IssueField) => (field.money ? formatMoney(value) : value);

export const issueText = (issue: FieldIssue, field: IssueField = {}): string => {
  const origin = String(issue.params?.origin ?? '');
  switch (issue.code) {
    case 'required':
      return t(field.choice ? 'issue.choose' : 'issue.required');
    case 'invalid_type':
      return issue.params?.expected === 'int' ? t('issue.wholeNumber') : t('issue.invalid_type');
    case 'too_small': {
      const minimum = numberParam(issue, 'minimum');
      if (origin === 'string' && minimum === 1) return t('issue.empty');
      const key = sizeKeys[origin]?.small ?? 'issue.invalid';
      return t(key, { minimum: limit(minimum, field) });
    }
    case 'too_big': {
      const key = sizeKeys[origin]?.big ?? 'issue.invalid';
      return t(key, { maximum: limit(numberParam(issue, 'maximum'), field) });
    }
    case 'invalid_format': {
      const key = `format.${issue.params?.format}`;
      return hasKey(key) ? t(key) : t('issue.invalid_format');
    }
    case 'invalid_credit_code':
      return t(issue.params?.problem === 'province' ? 'issue.creditCodeProvince' : 'issue.creditCodeCheck');
    case 'no_actions':
      return t('issue.no_actions', { verdict: tx('verdict', String(issue.params?.verdict ?? '')) });
    case 'identifies_complainant':
      return t('issue.identifies_complainant', { what: tx('identifier', String(issue.params?.kind ?? '')) });
    case 'not_a_rule':
      return t('issue.not_a_rule', { ruleId: String(issue.params?.ruleId ?? '') });
    case 'missing_columns':
      return t('issue.missing_columns', { columns: String(issue.params?.columns ?? '') });
    default:
      return t(`issue.${issue.code}`);
  }
};
