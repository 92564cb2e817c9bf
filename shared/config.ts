/**
 * Function configuration, validated once at cold start so a misconfigured deployment fails loudly at
 * its first invocation instead of half-way through a write.
 */
import * as z from 'zod';

export const TableConfig = z.object({
  TABLE_NAME: z.string().min(3).max(255),
});

export const ContactKeyConfig = z
  .object({
    /** KMS key (id or ARN) that seals complainant contact details on AWS. */
    CONTACT_KEY_ID: z.string().min(1).optional(),
    /** Base64 AES-256 key that seals them in the local runtime. */
    LOCAL_CONTACT_KEY: z.base64().optional(),
  })
  .refine((env) => Boolean(env.CONTACT_KEY_ID) !== Boolean(env.LOCAL_CONTACT_KEY), {
    message: 'set exactly one of CONTACT_KEY_ID (AWS) or LOCAL_CONTACT_KEY (local runtime)',
  });

export class ConfigurationError extends Error {}

export const loadConfig = <T extends z.ZodType>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<T> => {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigurationError(`Invalid configuration: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
};

export const WorkflowConfig = z.object({
  /** The fee-case state machine the intake starts and task completion calls back. */
  STATE_MACHINE_ARN: z.string().startsWith('arn:'),
});

export const WorkflowStepsConfig = z.object({
  DEFAULT_RECTIFICATION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
});
