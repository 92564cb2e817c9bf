import * as z from '#shared/domain/schema';

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
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
