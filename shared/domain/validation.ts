/**
 * The one way request data is checked against a schema: zod issues become a ValidationError whose
 * issues name each failing field by its dotted path (`fee.amountFen`) and say what is wrong by a code
 * and its parameters, which clients render in their own language; the English message rides along.
 */
import {
  type FieldIssue,
  type FieldIssueCode,
  fieldIssueCodes,
  ValidationError,
} from '#shared/domain/errors';
import * as z from '#shared/domain/schema';

/** Parse `input` with `schema`, or throw a ValidationError listing every failing field. */
export function parseWith<T>(schema: z.ZodMiniType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error.issues, input);
  const summary = issues.map((issue) =>
    issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`,
  );
  throw new ValidationError(`Invalid ${what}: ${summary.join('; ')}`, issues, { cause: result.error });
}

/** Zod reports every pattern as the format `regex`; the campaign's patterns are reported by name. */
const patternFormats = new Map<string, string>();

/**
 * A pattern check whose failure is the issue `invalid_format` with `format` set to `name`, so a client
 * can say "must be a phone number" rather than "must match /^…$/".
 */
export const namedPattern = (
  name: string,
  pattern: RegExp,
  params: string | { message: string; abort?: boolean },
) => {
  patternFormats.set(pattern.toString(), name);
  return z.regex(pattern, params);
};

/** What a refinement's issue carries so that it is reported under a code of the campaign's own. */
export const issueParams = (
  code: FieldIssueCode,
  params: Record<string, string | number> = {},
): { code: FieldIssueCode } & Record<string, string | number> => ({ ...params, code });

const isFieldIssueCode = (code: unknown): code is FieldIssueCode =>
  (fieldIssueCodes as readonly unknown[]).includes(code);

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (value, segment) =>
      typeof value === 'object' && value !== null
        ? (value as Record<PropertyKey, unknown>)[segment]
        : undefined,
    input,
  );

const withParams = (code: FieldIssueCode, params: Record<string, string | number | undefined>) => {
  const defined = Object.entries(params).filter(
    (entry): entry is [string, string | number] => entry[1] !== undefined,
  );
  return defined.length > 0 ? { code, params: Object.fromEntries(defined) } : { code };
};

/** The code and parameters of one zod issue; `input` tells a missing value from a wrong one. */
const codeOf = (issue: z.core.$ZodIssue, input: unknown): Pick<FieldIssue, 'code' | 'params'> => {
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined
        ? { code: 'required' }
        : withParams('invalid_type', { expected: issue.expected });
    case 'invalid_value':
      return valueAt(input, issue.path) === undefined ? { code: 'required' } : { code: 'invalid_value' };
    case 'too_small':
      return withParams('too_small', { origin: issue.origin, minimum: Number(issue.minimum) });
    case 'too_big':
      return withParams('too_big', { origin: issue.origin, maximum: Number(issue.maximum) });
    case 'invalid_format':
      return withParams('invalid_format', {
        format:
          issue.format === 'regex' && issue.pattern !== undefined
            ? (patternFormats.get(issue.pattern) ?? issue.format)
            : issue.format,
      });
    case 'custom': {
      const { code, ...params } = (issue.params ?? {}) as Record<string, string | number>;
      return isFieldIssueCode(code) ? withParams(code, params) : { code: 'invalid' };
    }
    default:
      return { code: 'invalid' };
  }
};

/**
 * Zod issues as field issues; an unknown-fields issue becomes one issue per unknown field. `input` is
 * what was parsed: a field absent from it is `required`, not of the wrong type.
 */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[], input: unknown): FieldIssue[] {
  return issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: joinPath([...issue.path, key]),
        code: 'unknown_field',
        message: 'unknown field',
      }));
    }
    return [{ path: joinPath(issue.path), ...codeOf(issue, input), message: issue.message }];
  });
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment)).join('.');
}
