/**
 * The one way request data is checked against a schema: zod issues become a ValidationError whose
 * issues name each failing field by its dotted path (`fee.amountFen`).
 */
import { type FieldIssue, ValidationError } from '#shared/domain/errors';
import type * as z from '#shared/domain/schema';

/** Parse `input` with `schema`, or throw a ValidationError listing every failing field. */
export function parseWith<T>(schema: z.ZodMiniType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error.issues);
  const summary = issues.map((issue) =>
    issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`,
  );
  throw new ValidationError(`Invalid ${what}: ${summary.join('; ')}`, issues, { cause: result.error });
}

/** Zod issues as field issues; an unknown-fields issue becomes one issue per unknown field. */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: joinPath([...issue.path, key]), message: 'unknown field' }));
    }
    return [{ path: joinPath(issue.path), message: issue.message }];
  });
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment)).join('.');
}
