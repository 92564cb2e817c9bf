/**
 * Function configuration, validated once at cold start so a misconfigured deployment fails loudly at
 * its first invocation instead of half-way through a write. Each part is a function that builds its
 * schema when `loadConfig` calls it: a function builds (and bundles) only the parts it loads, not every
 * function's.
 */
import * as z from '#shared/domain/schema';
import { SecondReviewPolicy } from '#shared/domain/second-review';

export const TableConfig = () =>
  z.object({
    TABLE_NAME: z.string().check(z.minLength(3), z.maxLength(255)),
  });

export const ContactKeyConfig = () =>
  z
    .object({
      /** KMS key (id or ARN) that seals complainant contact details on AWS. */
      CONTACT_KEY_ID: z.optional(z.string().check(z.minLength(1))),
      /** Base64 AES-256 key that seals them in the local runtime. */
      LOCAL_CONTACT_KEY: z.optional(z.base64()),
    })
    .check(
      z.refine((env) => Boolean(env.CONTACT_KEY_ID) !== Boolean(env.LOCAL_CONTACT_KEY), {
        message: 'set exactly one of CONTACT_KEY_ID (AWS) or LOCAL_CONTACT_KEY (local runtime)',
      }),
    );

/** The audit chain's key: writers MAC events with it, readers verify. */
export const AuditKeyConfig = () =>
  z
    .object({
      /** KMS HMAC key (id or ARN) on AWS. */
      AUDIT_KEY_ID: z.optional(z.string().check(z.minLength(1))),
      /** Base64 HMAC-SHA256 key in the local runtime. */
      LOCAL_AUDIT_KEY: z.optional(z.base64()),
    })
    .check(
      z.refine((env) => Boolean(env.AUDIT_KEY_ID) !== Boolean(env.LOCAL_AUDIT_KEY), {
        message: 'set exactly one of AUDIT_KEY_ID (AWS) or LOCAL_AUDIT_KEY (local runtime)',
      }),
    );

/** Where the audit chains' heads are anchored outside the table. */
export const AuditAnchorsConfig = () =>
  z
    .object({
      /** The Object Lock bucket on AWS. */
      AUDIT_ANCHORS_BUCKET: z.optional(z.string().check(z.minLength(3))),
      /** The append-only file of the local runtime. */
      LOCAL_AUDIT_ANCHORS_FILE: z.optional(z.string().check(z.minLength(1))),
    })
    .check(
      z.refine((env) => Boolean(env.AUDIT_ANCHORS_BUCKET) !== Boolean(env.LOCAL_AUDIT_ANCHORS_FILE), {
        message: 'set exactly one of AUDIT_ANCHORS_BUCKET (AWS) or LOCAL_AUDIT_ANCHORS_FILE (local runtime)',
      }),
    );

/** The evidence bucket (docs/evidence.md, "Where files live"). */
export const EvidenceBucketConfig = () =>
  z.object({
    EVIDENCE_BUCKET: z.string().check(z.minLength(3), z.maxLength(63)),
    /** The KMS key (id or ARN) objects are encrypted with on AWS; absent locally. */
    EVIDENCE_KMS_KEY_ID: z.optional(z.string().check(z.minLength(1))),
  });

export class ConfigurationError extends Error {}

/** A part of the configuration: builds the schema of some environment variables when called. */
export type ConfigPart = () => z.ZodMiniType;

type AllOf<T extends readonly ConfigPart[]> = T extends readonly [
  infer First extends ConfigPart,
  ...infer Rest extends readonly ConfigPart[],
]
  ? z.infer<ReturnType<First>> & AllOf<Rest>
  : unknown;

/** Reads the environment with each part given and merges the results; every problem is reported at once. */
export const loadConfig = <T extends readonly ConfigPart[]>(...parts: T): AllOf<T> => {
  const config: Record<string, unknown> = {};
  const errors: z.core.$ZodError[] = [];
  for (const part of parts) {
    const parsed = part().safeParse(process.env);
    if (parsed.success) Object.assign(config, parsed.data);
    else errors.push(parsed.error);
  }
  if (errors.length > 0) {
    throw new ConfigurationError(
      `Invalid configuration: ${errors.map((error) => z.prettifyError(error)).join('\n')}`,
      { cause: errors },
    );
  }
  return config as AllOf<T>;
};

export const WorkflowConfig = () =>
  z.object({
    /** The fee-case state machine the intake starts and task completion calls back. */
    STATE_MACHINE_ARN: z.string().check(z.startsWith('arn:')),
  });

/** When self-inspection declarations are due: `MM-DD` of the year after the one declared. */
export const SelfInspectionConfig = () =>
  z.object({
    SELF_INSPECTION_DUE: z._default(
      z.string().check(z.regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)),
      '03-31',
    ),
  });

export const WorkflowStepsConfig = () =>
  z.object({
    DEFAULT_RECTIFICATION_DAYS: z._default(
      z.coerce.number().check(z.int(), z.minimum(1), z.maximum(365)),
      30,
    ),
  });

/** How the notification sender reaches people. */
export const DeliveryConfig = () =>
  z
    .object({
      /** The sender address: an SES email identity on AWS. */
      MAIL_FROM: z.email(),
      /** Send e-mail through this SMTP server instead of SES (the local runtime's own, or SMTP_URL). */
      SMTP_URL: z.optional(z.url({ protocol: /^smtps?$/ })),
      /** The End User Messaging SMS origination identity (phone number, sender id or pool) on AWS. */
      SMS_ORIGINATION_IDENTITY: z.optional(z.string().check(z.minLength(1))),
      SMS_CONFIGURATION_SET: z.optional(z.string().check(z.minLength(1))),
      /** The local runtime's SMS outbox folder. */
      LOCAL_OUTBOX_DIR: z.optional(z.string().check(z.minLength(1))),
    })
    .check(
      z.refine((env) => Boolean(env.SMS_ORIGINATION_IDENTITY) !== Boolean(env.LOCAL_OUTBOX_DIR), {
        message: 'set exactly one of SMS_ORIGINATION_IDENTITY (AWS) or LOCAL_OUTBOX_DIR (local runtime)',
      }),
    );

/** Where notifications wait for delivery. */
export const DeliveryQueueConfig = () =>
  z
    .object({
      /** The SQS queue on AWS. */
      DELIVERY_QUEUE_URL: z.optional(z.url()),
      /** The local runtime's file queue. */
      LOCAL_DELIVERY_QUEUE_DIR: z.optional(z.string().check(z.minLength(1))),
    })
    .check(
      z.refine((env) => Boolean(env.DELIVERY_QUEUE_URL) !== Boolean(env.LOCAL_DELIVERY_QUEUE_DIR), {
        message: 'set exactly one of DELIVERY_QUEUE_URL (AWS) or LOCAL_DELIVERY_QUEUE_DIR (local runtime)',
      }),
    );

/** Which UNLAWFUL decisions a second regulator confirms: `SecondReviewPolicy` as JSON, from `infra/system.ts`. */
export const SecondReviewConfig = () =>
  z.object({
    SECOND_REVIEW_POLICY: z.pipe(
      z.pipe(
        z.string(),
        z.transform((text, ctx) => {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            ctx.issues.push({ code: 'custom', message: 'SECOND_REVIEW_POLICY is not JSON', input: text });
            return z.NEVER;
          }
        }),
      ),
      SecondReviewPolicy(),
    ),
  });

/**
 * Where accounts live: the user pool on AWS; without it the table's account items, whose invitations
 * and resets go out through the campaign's SMTP naming the portal's address (the local runtime).
 */
export const AccountDirectoryConfig = () =>
  z
    .object({
      USER_POOL_ID: z.optional(z.string().check(z.regex(/^[\w-]+_[0-9a-zA-Z]+$/))),
      MAIL_FROM: z.optional(z.email()),
      SMTP_URL: z.optional(z.url({ protocol: /^smtps?$/ })),
      /** The portal's address, named in the e-mails. */
      SIGN_IN_URL: z.optional(z.url({ protocol: /^https?$/ })),
    })
    .check(
      z.refine(
        (env) => Boolean(env.USER_POOL_ID) || Boolean(env.MAIL_FROM && env.SMTP_URL && env.SIGN_IN_URL),
        {
          message: 'set USER_POOL_ID (AWS) or MAIL_FROM, SMTP_URL and SIGN_IN_URL (local runtime)',
        },
      ),
    );
