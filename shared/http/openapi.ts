/**
 * The OpenAPI 3.1 document, generated from the route table and the same zod schemas that parse
 * requests, so the document cannot drift from what the API accepts. Its schemas are plain JSON Schema
 * 2020-12 (`jsonSchemaDialect`), so that generic validators read them as they are.
 */
import * as z from '#shared/domain/schema';
// Imported for its registration: the Error component every error response refers to.
import '#shared/http/messages';
import { routeMessages } from '#shared/http/route-messages';
import { type ApiRoute, apiRoutes, type OperationId } from '#shared/http/routes';

type JsonSchema = Record<string, unknown>;

const componentPrefix = '#/components/schemas/';
const componentRef = (id: string) => `${componentPrefix}${id}`;
const responseRef = (name: ErrorResponseName) => ({ $ref: `#/components/responses/${name}` });

const tags = [
  { name: 'complaints', description: 'Enterprises file complaints about association fees and follow them' },
  {
    name: 'cases',
    description: 'Fee cases: one per association and fee, joined by every complaint about it',
  },
  {
    name: 'tasks',
    description: 'Work on a case: review, rectification, verification, and questions to the complainant',
  },
  {
    name: 'evidence',
    description:
      'Evidence files: uploaded straight to storage, screened, attached by id, downloaded by those allowed',
  },
  { name: 'metrics', description: 'Campaign figures, public aggregates and open data' },
  { name: 'notifications', description: 'What people are told, and how they want to be told' },
  {
    name: 'calendar',
    description:
      'The working-day calendar every deadline counts by: public holidays and make-up working days',
  },
  {
    name: 'accounts',
    description:
      "User management by campaign admins (and national regulators for their agency), and the caller's sessions",
  },
  {
    name: 'associations',
    description:
      'Associations: the register (社会组织登记信息) with its import and suggestions, fee self-inspections and public fee lists',
  },
  {
    name: 'typical-cases',
    description:
      'Typical cases (典型案例): campaign admins write anonymized accounts of closed cases; anyone reads them and their feed',
  },
  { name: 'meta', description: 'This document and liveness' },
] as const;

type Tag = (typeof tags)[number]['name'];

const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } },
};

/** The error answers, each in the `Error` shape; handlers, the request guard and the gateway give them. */
const errorResponses = {
  BadRequest: {
    status: 400,
    description:
      'The body, query or path does not match its schema, or the body is not JSON; `details` lists the failing fields',
  },
  Unauthenticated: { status: 401, description: 'No bearer token, or one that is not valid' },
  Forbidden: {
    status: 403,
    description: "The caller's role may not do this, or (on AWS) the firewall blocked the request",
  },
  NotFound: {
    status: 404,
    description:
      "Absent, or not the caller's to see (the two are indistinguishable on purpose), or no such path",
  },
  MethodNotAllowed: {
    status: 405,
    description: 'The gateway answers a method a path does not have with 405, whatever the path',
  },
  Conflict: {
    status: 409,
    description:
      'The object moved on: already completed, held by someone else, or changed meanwhile; or a named file that may not be named (`error.reason`: `evidence_unknown`, `evidence_not_screened`, `evidence_refused`, `evidence_wrong_purpose`, `evidence_attached_elsewhere`, `evidence_too_many`, `evidence_case_limit`), or a closed case (`case_closed`)',
  },
  PayloadTooLarge: {
    status: 413,
    description: 'The body is over 32 KiB (a file upload: over the size its operation states)',
  },
  UnsupportedMediaType: {
    status: 415,
    description:
      'A body was sent that is not application/json (a file upload: not of a media type its operation takes)',
  },
  IdempotencyKeyReused: {
    status: 422,
    description: 'The Idempotency-Key was used before with a different body',
  },
  Throttled: {
    status: 429,
    description: 'Too many requests; retry after the time given',
    headers: retryAfter,
  },
  Unexpected: {
    status: 500,
    description: 'An unexpected failure; repeating the request with the same Idempotency-Key is safe',
  },
  BadGateway: { status: 502, description: 'The function behind the operation failed; nothing is promised' },
  DependencyUnavailable: {
    status: 503,
    description:
      'A dependency (the table, the workflow engine, a key) is unavailable; nothing was written, retry',
    headers: retryAfter,
  },
} as const;

type ErrorResponseName = keyof typeof errorResponses;

/** What the request guard and the gateway may answer to any operation (sizes and media types apply to any body). */
const everyOperationAnswers = [
  'BadRequest',
  'PayloadTooLarge',
  'UnsupportedMediaType',
  'Throttled',
  'Unexpected',
  'BadGateway',
] as const satisfies readonly ErrorResponseName[];

/** What the route table does not say: each operation's area, what it does, and what its own work refuses. */
const operationNotes: Record<OperationId, { tag: Tag; description: string; refusals: ErrorResponseName[] }> =
  {
    fileComplaint: {
      tag: 'complaints',
      description:
        "Records the complaint and joins it to the case of its association and fee (opening one if needed); the case workflow goes on in the background. A repeated Idempotency-Key with the same body answers the first receipt. Files named in `attachments` are attached with the complaint or nothing is recorded: an upload not of the caller, not screened CLEAN, not for COMPLAINT or named elsewhere, or more than 50 MB of the complainants' files on the case, is a conflict (409) whose `error.reason` says which (docs/evidence.md).",
      refusals: ['IdempotencyKeyReused', 'Conflict', 'DependencyUnavailable'],
    },
    listComplaints: {
      tag: 'complaints',
      description:
        'Pages through the complaints the calling enterprise filed; pass `cursor` on to read the next page. With `reference`, lists the one complaint of the caller carrying it (or none).',
      refusals: ['DependencyUnavailable'],
    },
    getComplaint: {
      tag: 'complaints',
      description:
        'The complainant, the regulators of its case and campaign admins read a complaint; contact details only to those entitled.',
      refusals: ['NotFound', 'DependencyUnavailable'],
    },
    giveFeedback: {
      tag: 'complaints',
      description:
        'The enterprise that filed the complaint says, once and within 30 days of its case closing, whether the refund arrived (`null`: none was due) and how satisfied it is (1-5), with an optional comment that the association never sees. `refundReceived: false` reopens the verification: a new VERIFICATION task for the regulators. The same feedback sent again answers the same receipt; different feedback, a case not closed, or the 30 days passed is a conflict (409). A refund answered on a case that recorded none is a 400 (`no_refund_recorded`).',
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    addComplaintAttachments: {
      tag: 'evidence',
      description:
        "The enterprise that filed the complaint attaches more of its screened COMPLAINT uploads while the case is open (anyone else: 404). The same uploads sent again answer the same list and write nothing; an upload that is not the caller's (`evidence_unknown`), not screened CLEAN, of another purpose, or named elsewhere is a conflict (409), as are more than 10 files on the complaint, more than 50 MB on the case from the complainants, or a closed case (`case_closed`). Each addition is an EVIDENCE_ADDED event naming the files by id.",
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    createUpload: {
      tag: 'evidence',
      description:
        'Answers a presigned POST for one file: exactly this content type, at most the declared size (10 MB), a key bound to the caller, encrypted with the campaign key, valid 15 minutes. The file is screened once stored (magic bytes, image metadata removed, PDF active content refused); name `uploadId` in `attachments` within 24 hours or it is deleted. A purpose the caller cannot upload for is 403; a file name whose ending does not fit the type is 400 (`file_type_mismatch`).',
      refusals: ['Forbidden', 'DependencyUnavailable'],
    },
    getUpload: {
      tag: 'evidence',
      description:
        "The uploader follows screening: PENDING, then CLEAN or REFUSED with the reason. Anyone else's upload is 404.",
      refusals: ['NotFound', 'DependencyUnavailable'],
    },
    getFile: {
      tag: 'evidence',
      description:
        "A link valid 5 minutes that downloads the screened file as an attachment. A complainant's files: that complainant, regulators with jurisdiction over the case and campaign admins, and the association only if the complainant disclosed its identity. An association's files: the association and officials. An official's files: officials, and once the decision is made known (not while it awaits a second review), the complainants and, when it ordered rectification, the association. A declaration's files: the association and every regulator and admin (a download by an official is recorded on the declaration's trail first). Everyone else, and files not screened CLEAN, 404. Each download by a regulator or admin is an EVIDENCE_VIEWED event of the case's audit trail, recorded before the link is given and linked into the trail by the case journal moments later; a case whose office keeps changing meanwhile is a conflict (409): retry.",
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    getCase: {
      tag: 'cases',
      description:
        "Regulators of the case's agency and province and campaign admins read the whole case (CaseDetail); the association it concerns reads a redacted view (AssociationCaseView).",
      refusals: ['NotFound', 'DependencyUnavailable'],
    },
    searchCases: {
      tag: 'cases',
      description:
        "Regulators search their agency's cases in their province (national regulators in every province) and the unclassified cases they may read; campaign admins every case. Filters combine; a filter outside the jurisdiction finds nothing. Each page reads a bounded number of cases, so it may hold fewer than `limit` while `cursor` says more may follow.",
      refusals: ['DependencyUnavailable'],
    },
    getCaseLedger: {
      tag: 'cases',
      description:
        'The cases the same filters find, one CSV row each (UTF-8 with BOM, Chinese headers for zh-CN callers). An export reaching the size bound ends with a row saying so and answers `X-Ledger-Cursor`; the same filters with that `cursor` continue it.',
      refusals: ['DependencyUnavailable'],
    },
    listTasks: {
      tag: 'tasks',
      description:
        "Regulators see their agency's and province's inbox, associations their rectification orders, enterprises the questions put to them; campaign admins choose an inbox with `agency` and `province`.",
      refusals: ['DependencyUnavailable'],
    },
    claimTask: {
      tag: 'tasks',
      description:
        'Claiming a task one already holds answers it again; a task held by someone else is a conflict.',
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    releaseTask: {
      tag: 'tasks',
      description:
        "The holder releases their own claim, a campaign admin anyone's; a task nobody holds is answered as it is.",
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    completeTask: {
      tag: 'tasks',
      description:
        "The body is the decision of the task's kind: a review decision, a rectification report, a verification decision or the answer to a question. The case workflow goes on from it. Files named in `attachments` (DECISION for a review, RECTIFICATION for a report, INFO for an answer) are attached with the completion or nothing is recorded; the workflow hears of none of them.",
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    assignTask: {
      tag: 'tasks',
      description:
        "A campaign admin, or a regulator of the task's agency at the national level (00), gives an open task to a named officer (the office of the task is told) or, with `assignee: null`, takes it back. Audited as TASK_ASSIGNED.",
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    requestExtension: {
      tag: 'tasks',
      description:
        "The association asks for more time on its open RECTIFICATION task, once per order: the new due date is `days` working days after the current one (at most 30). An EXTENSION task opens for the regulators of the case; a grant moves the order's due date and the waiting workflow re-arms to it. Files named in `attachments` (RECTIFICATION uploads) are kept on the EXTENSION task.",
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    transferCase: {
      tag: 'cases',
      description:
        "A regulator with jurisdiction over the case's open review or verification task, or a campaign admin, transfers the case to another agency or province with a reason. The task ends TRANSFERRED and the same work opens in the receiving inbox with its deadline restarted; the complainants are told which office now handles it.",
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    getMetrics: {
      tag: 'metrics',
      description:
        'Regulators read their own agency and province; campaign admins any agency, province, agency and province, or category.',
      refusals: ['DependencyUnavailable'],
    },
    getPublicMetrics: {
      tag: 'metrics',
      description: 'The campaign as a whole, for anyone; cached for a minute.',
      refusals: ['DependencyUnavailable'],
    },
    getOutcomesCsv: {
      tag: 'metrics',
      description:
        "Every closed case with its outcome, one row each, for anyone; cached for five minutes. Two forms of the same rows: without `lang`, the machine-readable form (stable English column names, codes, amounts in fen and yuan, no BOM) for programs; with `lang=zh-CN` or `lang=en`, the file for people (UTF-8 with BOM so Excel reads the Chinese, headers, categories, verdicts, outcomes and provinces named in that language, amounts once in yuan, China-time days). The language is a parameter, not `Accept-Language`, so the machine form never changes with a client's locale and caches keep one file per address.",
      refusals: ['DependencyUnavailable'],
    },
    getNotificationSettings: {
      tag: 'notifications',
      description:
        'Where and in which language the caller is told; the defaults (Chinese, no opt-out, no address) until they save.',
      refusals: ['DependencyUnavailable'],
    },
    putNotificationSettings: {
      tag: 'notifications',
      description:
        "Replaces the caller's settings as a whole. Legally required notices ignore the opt-outs. Enterprises are reached at their complaint's contact and may not give an address or phone here.",
      refusals: ['DependencyUnavailable'],
    },
    listNotifications: {
      tag: 'notifications',
      description:
        "The notification centre of the caller's party (its enterprise, association or office, or the campaign admins), rendered in the language of the request; `unread` counts all pages.",
      refusals: ['DependencyUnavailable'],
    },
    markNotificationRead: {
      tag: 'notifications',
      description:
        "Marking a notification read twice changes nothing; another party's notification is not found.",
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    getPublicProgress: {
      tag: 'complaints',
      description:
        "Anyone holding a complaint's reference and the filing enterprise's credit code reads its steps, their dates and the handling office; nothing about the complaint itself.",
      refusals: ['NotFound', 'DependencyUnavailable'],
    },
    // Associations: the registry and its suggestions.
    // (notes of this part go below this line)
    importAssociationRegister: {
      tag: 'associations',
      description:
        'The body is the register file itself: `text/csv` (UTF-8 with or without BOM, or GB18030/GBK as Excel saves it on a Chinese Windows) or an XLSX workbook (its first sheet), at most 4 MiB. The header row (within the first ten rows) names the columns in Chinese as the registers print them or in English: 社会组织名称, 统一社会信用代码, 登记级别 (or 级别), 登记管理机关 are required; 业务主管单位, 上级组织统一社会信用代码 (branches), 会员数量 and 登记状态 are read when present; other columns are ignored (docs/associations.md). Associations the file does not list stay registered. A row is refused with a reason (`missing_name`, `bad_credit_code`, `not_social_organization`, `bad_parent_code`, `bad_level`, `missing_authority`, `bad_member_count`, `bad_status`, `duplicate`, `unknown_parent`) and the others are still taken; a file without the required columns (400 `missing_columns`), unreadable (400 `unreadable_file`), empty, too large (413) or of another type (415) changes nothing. Importing the same file again writes nothing. One import at a time (409 `registry_import_running`).',
      refusals: ['Conflict', 'DependencyUnavailable'],
    },
    suggestAssociations: {
      tag: 'associations',
      description:
        'For anyone (the register is public): up to `limit` registered associations whose normalized name (width, case, spaces and punctuation ignored) equals, starts with or contains the text, or whose credit code starts with it; exact matches first, associations in good standing before revoked and deregistered ones. The register is read at most once a minute per function instance, so an import shows within a minute.',
      refusals: ['DependencyUnavailable'],
    },
    // Associations: self-inspection and public fee lists.
    // (notes of this part go below this line)
    declareFees: {
      tag: 'associations',
      description:
        "Only an association listed in the register declares (else 409 `association_not_registered`). Fees no rule fires on are recorded as DECLARED; the others are SUSPECT and name the case that handles them (the fee's open case, or a new SELF_INSPECTION case started in the workflow). Earlier versions are kept. Each fee may name the documents it rests on in `attachments`: the association's CLEAN DECLARATION uploads, attached with the version that first names them (a later version of the year may name them again); an upload that is not the caller's, not CLEAN, of another purpose or named by another year's declaration is a conflict (409, `error.reason`), as are more than 50 files in a version or more than 100 MB on the year's declarations (`evidence_declaration_limit`), and nothing is recorded then.",
      refusals: ['Conflict', 'DependencyUnavailable'],
    },
    listSelfInspections: {
      tag: 'associations',
      description:
        'An association reads its own declarations (a `creditCode` of another is refused); regulators and campaign admins name the association. `year` narrows to one year.',
      refusals: ['DependencyUnavailable'],
    },
    getPublicAssociation: {
      tag: 'associations',
      description:
        'For anyone, without signing in: the same 404 for a malformed and an unknown credit code. Nothing about complainants: no enterprise, no count of complaints, no text from a complaint.',
      refusals: ['NotFound', 'DependencyUnavailable'],
    },
    // Associations: repeat offenders.
    // (notes of this part go below this line)
    getAssociationRanking: {
      tag: 'metrics',
      description:
        'Per-association figures counted once from the case stream, ranked: ties go to more cases, then credit code; an association without a member count ranks last when ranked per 1,000 members. Rules in docs/associations.md.',
      refusals: ['DependencyUnavailable'],
    },
    // Associations: typical cases.
    // (notes of this part go below this line)
    createTypicalCase: {
      tag: 'typical-cases',
      description:
        "Stores a typical case about closed cases (an unknown case: 404; one not closed: 409 `case_not_closed`), as a draft or, with `publish: true`, published. The title, summary and lessons are screened for the complainants of the cases (their contact persons' names, phones and e-mail addresses, their enterprises' credit codes), whatever the spacing, width, case or punctuation: text naming one is refused with 400, the issue `identifies_complainant` naming the field and `params.kind` (`complainant_name`, `contact`, `credit_code`) but never the text found, and nothing is stored. The same body again answers the same typical case (published, if this time it asks to publish): one typical case per request, however often it is sent.",
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    listTypicalCases: {
      tag: 'typical-cases',
      description:
        'Drafts, published and withdrawn typical cases, newest first; pass `cursor` on to read on.',
      refusals: ['DependencyUnavailable'],
    },
    publishTypicalCase: {
      tag: 'typical-cases',
      description:
        'Publishes a draft or withdrawn typical case after screening its texts again (400 `identifies_complainant`) and checking its cases are still closed (409 `case_not_closed`). A published one is answered as it is.',
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    withdrawTypicalCase: {
      tag: 'typical-cases',
      description:
        'Takes a published typical case off the public list and feed; a withdrawn one is answered as it is, a draft is a conflict (409).',
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    listPublicTypicalCases: {
      tag: 'typical-cases',
      description:
        'Published typical cases, newest publication first, with the public facts of their cases (association, fee, outcome, refunds); nothing about complainants.',
      refusals: ['DependencyUnavailable'],
    },
    getPublicTypicalCase: {
      tag: 'typical-cases',
      description: 'A published typical case; drafts, withdrawn ones and unknown ids are not found alike.',
      refusals: ['NotFound', 'DependencyUnavailable'],
    },
    getTypicalCasesAtom: {
      tag: 'typical-cases',
      description:
        'The 50 newest published typical cases as an Atom 1.0 feed (RFC 4287, `application/atom+xml`); each entry links to its page in the portal.',
      refusals: ['DependencyUnavailable'],
    },
    getOpenApi: {
      tag: 'meta',
      description: 'Generated from the route table and the schemas that parse requests.',
      refusals: [],
    },
    getCalendarYear: {
      tag: 'calendar',
      description:
        'The notice the campaign counts working days by for that year: built in, or stored by a campaign admin (which replaces the built-in one). 404 for a year without a notice, where only weekends are days off.',
      refusals: ['NotFound', 'DependencyUnavailable'],
    },
    putCalendarYear: {
      tag: 'calendar',
      description:
        "Stores the year's notice, replacing what the campaign had for that year. Every date lies in that year, no date is both a holiday and a make-up working day, and make-up working days are Saturdays or Sundays; otherwise 400 and nothing changes. Deadlines set from then on count by it (other API functions and the workflow within five minutes); deadlines already set stay.",
      refusals: ['DependencyUnavailable'],
    },
    listUsers: {
      tag: 'accounts',
      description:
        'Campaign admins see every account; a national regulator (province 00) sees the regulators of its agency; other regulators are refused with 403. `q` matches the start of the e-mail, the name or the credit code.',
      refusals: ['DependencyUnavailable'],
    },
    inviteUser: {
      tag: 'accounts',
      description:
        'Creates the account with its role and attributes and e-mails a temporary password, changed at first sign-in. A national regulator may invite regulators of its own agency only (403 otherwise). An e-mail that already has an account: 409 `account_exists`. Audited.',
      refusals: ['Conflict', 'DependencyUnavailable'],
    },
    disableUser: {
      tag: 'accounts',
      description:
        'The account can no longer sign in and its sessions end; tokens already issued lapse at expiry. Disabling a disabled account changes nothing. An admin cannot disable its own account (409 `own_account`). Audited.',
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    enableUser: {
      tag: 'accounts',
      description: 'The account may sign in again. Enabling an enabled account changes nothing. Audited.',
      refusals: ['NotFound', 'DependencyUnavailable'],
    },
    resetUserPassword: {
      tag: 'accounts',
      description:
        'The password stops working and a new temporary one is e-mailed; the next sign-in sets a new password. Audited.',
      refusals: ['NotFound', 'DependencyUnavailable'],
    },
    linkEnterprise: {
      tag: 'accounts',
      description:
        'Both accounts must be enterprise accounts with the same credit code (409 `not_same_enterprise` otherwise). From its next sign-in the account files and sees complaints as the other one. Audited.',
      refusals: ['NotFound', 'Conflict', 'DependencyUnavailable'],
    },
    signOutEverywhere: {
      tag: 'accounts',
      description:
        "Ends the caller's sessions and refresh tokens on every device; ID tokens already issued lapse at their expiry.",
      refusals: ['DependencyUnavailable'],
    },
    getHealth: {
      tag: 'meta',
      description: 'Answers while the API function runs; touches no table.',
      refusals: [],
    },
  };

/** The references a JSON schema makes to components, by component id. */
const referencedIds = (json: unknown): string[] =>
  JSON.stringify(json)
    .match(/"\$ref":"#\/components\/schemas\/[^"]+"/g)
    ?.map((match) => match.slice('"$ref":"'.length + componentPrefix.length, -1)) ?? [];

/**
 * The registered schemas (those with a `.meta({ id })`) as components, as zod reads them for `io`,
 * without the `$schema` (the document's dialect says it) and the fragment `$id` (not a valid `$id`)
 * that zod gives each one.
 */
const registeredComponents = (io: 'input' | 'output'): Record<string, JsonSchema> => {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { io, unrepresentable: 'any', uri: componentRef });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $id: _id, $schema: _schema, ...schema }]) => [
      id,
      schema as JsonSchema,
    ]),
  );
};

const schemaOf = (schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema => {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: componentRef(id) };
  const { $schema: _schema, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return json;
};

const pathParameters = (path: string) =>
  [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string', minLength: 1, maxLength: 100 },
  }));

/** One query parameter per property of the route's query schema, as the handler parses it. */
const queryParameters = (query: z.ZodMiniType | undefined, components: Record<string, JsonSchema>) => {
  if (!query) return [];
  const id = z.globalRegistry.get(query)?.id;
  const { properties = {}, required = [] } = (id ? components[id] : schemaOf(query, 'input')) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, { description, ...schema }]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    ...(description ? { description } : {}),
    schema,
  }));
};

const operation = (route: ApiRoute, components: Record<string, JsonSchema>) => {
  const operationId = route.operationId as OperationId;
  const { body, query, success } = routeMessages[operationId];
  const notes = operationNotes[operationId];
  const refusals = new Set<ErrorResponseName>([
    ...everyOperationAnswers,
    ...(route.access === 'public'
      ? ['Forbidden' as const]
      : ['Unauthenticated' as const, 'Forbidden' as const]),
    ...notes.refusals,
  ]);
  const contentType = route.success.contentType ?? 'application/json';
  return {
    operationId,
    tags: [notes.tag],
    summary: route.summary,
    description: route.requestsPerMinutePerAddress
      ? `${notes.description} Each client address may ask ${route.requestsPerMinutePerAddress} times a minute; more are answered 429.`
      : notes.description,
    ...(route.access === 'public' ? { security: [] } : { 'x-roles': route.access }),
    parameters: [
      ...pathParameters(route.path),
      ...queryParameters(query, components),
      ...(route.headers ?? []).map((header) => ({
        name: header.name,
        in: 'header',
        required: false,
        description: header.description,
        schema: { type: 'string', maxLength: 200 },
      })),
    ],
    ...(body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(body, 'input') } },
          },
        }
      : {}),
    ...(route.upload
      ? {
          requestBody: {
            required: true,
            description: `The file itself, at most ${route.upload.maxBytes} bytes`,
            content: Object.fromEntries(
              route.upload.mediaTypes.map((mediaType) => [
                mediaType,
                { schema: { type: 'string', contentMediaType: mediaType } },
              ]),
            ),
          },
        }
      : {}),
    responses: {
      [route.success.status]: {
        description: route.success.status === 202 ? 'Accepted' : 'OK',
        ...(success ? { content: { [contentType]: { schema: schemaOf(success, 'output') } } } : {}),
      },
      ...Object.fromEntries(
        (Object.keys(errorResponses) as ErrorResponseName[])
          .filter((name) => refusals.has(name))
          .map((name) => [errorResponses[name].status, responseRef(name)]),
      ),
    },
  };
};

export const buildOpenApiDocument = () => {
  const inputs = registeredComponents('input');
  const outputs = registeredComponents('output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of apiRoutes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route, inputs) };
  }

  // Query schemas become parameters, not components. A component a request can carry reads as zod
  // accepts it (defaults optional); one only responses carry reads as the API sends it (every field
  // it always sets required, no other field).
  const queryIds = new Set(
    Object.values(routeMessages).flatMap(({ query }) => {
      const id = query && z.globalRegistry.get(query)?.id;
      return id ? [id] : [];
    }),
  );
  const requestIds = new Set<string>();
  const pending = Object.values(paths).flatMap((item) =>
    Object.values(item).flatMap((op) => {
      const { parameters, requestBody } = op as { parameters: unknown; requestBody?: unknown };
      return referencedIds([parameters, requestBody]);
    }),
  );
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (requestIds.has(id)) continue;
    requestIds.add(id);
    pending.push(...referencedIds(inputs[id]));
  }
  const schemas = Object.fromEntries(
    Object.keys(inputs)
      .filter((id) => !queryIds.has(id))
      .map((id) => [id, requestIds.has(id) ? inputs[id] : outputs[id]]),
  );

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Fee-burden campaign API',
      version: '1.0.0',
      description:
        'Enterprises complain about association fees; regulators classify, order and verify rectification. ' +
        'Every error answer has the `Error` shape. A path the API does not have answers 404, and a method a ' +
        'path does not have answers 405 (`MethodNotAllowed`), both from the gateway.',
    },
    servers: [{ url: '/', description: 'The origin the API is served from' }],
    tags,
    components: {
      schemas,
      responses: Object.fromEntries(
        Object.entries(errorResponses).map(([name, { description, ...rest }]) => [
          name,
          {
            description,
            ...('headers' in rest ? { headers: rest.headers } : {}),
            content: { 'application/json': { schema: { $ref: componentRef('Error') } } },
          },
        ]),
      ),
      securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    security: [{ cognito: [] }],
    paths,
  };
};
