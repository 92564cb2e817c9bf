/**
 * Typed errors of the campaign. Each names what went wrong in the campaign's words; the HTTP status
 * they map to is decided in exactly one place (`shared/http/error-response.ts`).
 */

/**
 * What can be wrong with a field, as a stable code that each language renders with the issue's
 * `params`: zod's own codes where they say enough, the campaign's names for its own rules.
 */
export const fieldIssueCodes = [
  /** Absent, or sent as nothing. */
  'required',
  /** Of the wrong type; `expected` names the type (`int`, `boolean`, `object`...). */
  'invalid_type',
  /** Not one of the values allowed. */
  'invalid_value',
  /** Below `minimum` characters (`origin: string`), value (`number`) or entries (`array`). */
  'too_small',
  /** Above `maximum` characters, value or entries, as with `too_small`. */
  'too_big',
  /** Not written as `format` says: `date`, `email`, `phone`, `credit_code`, `yuan`, `letters_or_digits`... */
  'invalid_format',
  /** A well-formed credit code that is not valid: `problem` is `check_character` or `province`. */
  'invalid_credit_code',
  /** A field the operation does not take. */
  'unknown_field',
  /** The body is not JSON at all. */
  'malformed_json',
  /** A paging cursor this list did not hand out. */
  'unknown_cursor',
  /** An entry given twice in a list of distinct entries. */
  'not_unique',
  /** The association named by neither its credit code nor its province. */
  'code_or_province',
  /** The province differs from the one the association's credit code names. */
  'province_mismatch',
  /** A date after today (China time). */
  'future_date',
  /** An unlawful fee's decision that does not abolish it. */
  'abolish_required',
  /** Actions ordered with a `verdict` that orders nothing. */
  'no_actions',
  /** A decision that orders something without naming the rules it rests on. */
  'rules_required',
  /** An order text on a decision that orders no rectification. */
  'order_text_not_allowed',
  /** `ruleId` is not a rule of `rulebookVersion`. */
  'not_a_rule',
  /** A filter the caller's sign-in already decides. */
  'set_by_sign_in',
  /** A filter that cannot be combined with the others given. */
  'not_combinable',
  /** A date of a holiday notice outside the notice's `year`. */
  'outside_year',
  /** A date listed both as a holiday and as a make-up working day. */
  'holiday_and_workday',
  /** A make-up working day that is not a Saturday or Sunday. */
  'not_a_weekend',
  /** An answer about a refund on a case that recorded none (closing feedback). */
  'no_refund_recorded',
  /** An end date before the start date given with it. */
  'date_order',
  /** A transfer to the office that already handles the case. */
  'same_office',
  /** A rectification report with neither an evidence reference nor an attached file. */
  'evidence_required',
  /** A file ending that does not fit the declared content type (`contentType`). */
  'file_type_mismatch',
  /**
   * Text for the public that names a complainant of its cases: `kind` is `complainant_name`, `contact`
   * or `credit_code` (typical cases; the text found is never repeated).
   */
  'identifies_complainant',
  /** A register file with nothing in it. */
  'empty_file',
  /** A register file that says it is XLSX but cannot be read as a workbook. */
  'unreadable_file',
  /** A register file without the columns it needs (`columns`), or without a header row naming them. */
  'missing_columns',
  /** An association's credit code that the association register does not list. */
  'not_registered',
  /** Anything else; `message` says what. */
  'invalid',
] as const;
export type FieldIssueCode = (typeof fieldIssueCodes)[number];

export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `fee.amountFen`; empty for the body itself. */
  path: string;
  code: FieldIssueCode;
  /** What the code needs to be rendered, e.g. `{ origin: 'string', maximum: 200 }`. */
  params?: Record<string, string | number>;
  /** The issue in English, for those who read the API directly; clients render `code` instead. */
  message: string;
}

abstract class CampaignError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request does not match its schema; `issues` lists every failing field. */
export class ValidationError extends CampaignError {
  readonly code = 'VALIDATION_FAILED';
  constructor(
    message: string,
    readonly issues: FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No token, or a token that is not valid. */
export class UnauthenticatedError extends CampaignError {
  readonly code = 'UNAUTHENTICATED';
}

/** The caller's role may not use this operation at all. */
export class ForbiddenRoleError extends CampaignError {
  readonly code = 'FORBIDDEN';
}

/** Absent, or not the caller's to see: the two are indistinguishable on purpose. */
export class NotFoundError extends CampaignError {
  readonly code = 'NOT_FOUND';
}

/**
 * Conflicts a client can act on, named for it beside the message (most conflicts need no name: the
 * message says what moved). Naming evidence files: docs/evidence.md.
 */
export const conflictReasons = [
  /** No upload of the caller has this id. */
  'evidence_unknown',
  /** The upload is still being screened. */
  'evidence_not_screened',
  /** Screening refused the file; the upload says why. */
  'evidence_refused',
  /** The upload was made for something else (a COMPLAINT file named by an answer). */
  'evidence_wrong_purpose',
  /** Another complaint, answer, report, request or decision names the upload. */
  'evidence_attached_elsewhere',
  /** More files than one complaint, answer, report, request or decision may have. */
  'evidence_too_many',
  /** More bytes than one party may attach to one case. */
  'evidence_case_limit',
  /** More bytes than one association may attach to its declarations of one year. */
  'evidence_declaration_limit',
  /** The case is closed: nothing is added to it any more. */
  'case_closed',
  /** The e-mail address already has an account (docs/accounts.md). */
  'account_exists',
  /** Linking accounts that are not both enterprise accounts with one credit code. */
  'not_same_enterprise',
  /** A user manager acting on its own account where that would lock it out (disabling it). */
  'own_account',
  /** The signed-in association's credit code is not in the associations register (docs/associations.md). */
  'association_not_registered',
  /** A typical case names a case that is not closed. */
  'case_not_closed',
  /** Another import of the association register is still running. */
  'registry_import_running',
] as const;
export type ConflictReason = (typeof conflictReasons)[number];

/** The object moved on: already completed, held by someone else, or its version changed. */
export class ConflictError extends CampaignError {
  readonly code = 'CONFLICT';
  readonly reason: ConflictReason | undefined;
  constructor(message: string, options?: { cause?: unknown; reason?: ConflictReason }) {
    super(message, options);
    this.reason = options?.reason;
  }
}

export class PayloadTooLargeError extends CampaignError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class UnsupportedMediaTypeError extends CampaignError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/** An Idempotency-Key was reused with a different request body. */
export class IdempotencyKeyReusedError extends CampaignError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
}

/** A dependency throttled us; the client may retry. */
export class ThrottledError extends CampaignError {
  readonly code = 'THROTTLED';
}

/** A dependency (DynamoDB, the workflow engine, KMS) is unavailable; nothing was written, retry later. */
export class DependencyUnavailableError extends CampaignError {
  readonly code = 'DEPENDENCY_UNAVAILABLE';
}

export type CampaignErrorType = CampaignError;
export const isCampaignError = (error: unknown): error is CampaignError => error instanceof CampaignError;
