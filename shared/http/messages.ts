import * as z from 'zod';

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const Health = z.object({ status: z.literal('ok'), time: z.iso.datetime() }).meta({ id: 'Health' });

export const IdParameter = z.string().min(1).max(100);
