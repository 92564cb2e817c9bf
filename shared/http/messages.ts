import { conflictReasons, fieldIssueCodes } from '#shared/domain/errors';
import * as z from '#shared/domain/schema';

/** One refused field: a code and its parameters for clients to render, and the same in English. */
export const FieldIssueMessage = z
  .object({
    path: z.string().register(z.globalRegistry, {
      description: 'Dotted path of the field, e.g. `fee.amountFen`; empty for the body itself',
    }),
    code: z.enum(fieldIssueCodes).register(z.globalRegistry, {
      description:
        'What is wrong, stable across releases and languages: render it (with `params`) rather than `message`',
    }),
    params: z.optional(
      z.record(z.string(), z.union([z.string(), z.int()])).register(z.globalRegistry, {
        description: 'What the code needs, e.g. `{"origin": "string", "maximum": 200}` for `too_big`',
      }),
    ),
    message: z.string().register(z.globalRegistry, { description: 'The issue in English' }),
  })
  .register(z.globalRegistry, { id: 'FieldIssue' });

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      reason: z.optional(
        z.enum(conflictReasons).register(z.globalRegistry, {
          description: 'Conflicts (409) a client can act on, e.g. `evidence_not_screened` (docs/evidence.md)',
        }),
      ),
      details: z.optional(z.array(FieldIssueMessage)),
    }),
  })
  .register(z.globalRegistry, { id: 'Error' });

export const Health = z
  .object({ status: z.literal('ok'), time: z.iso.datetime() })
  .register(z.globalRegistry, { id: 'Health' });

/** What `GET /api/openapi.json` answers: the document, described by its own top level. */
export const OpenApiDocument = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .register(z.globalRegistry, { id: 'OpenApiDocument', description: 'An OpenAPI 3.1 document: this one' });

export const IdParameter = z.string().check(z.minLength(1), z.maxLength(100));
