/**
 * The local evidence bucket: s3rver in-process behind the runtime's port at `/local/s3`, and in front
 * of it a gateway that supplies what s3rver lacks and S3 does. s3rver takes anonymous requests, checks
 * no SigV4 signature and ignores a form's policy; the gateway answers only requests signed with the
 * runtime's credentials (headers or a presigned link) and browser form uploads whose policy it checked
 * as S3 does. After a stored upload under the screening prefix it hands the S3 notification event to
 * the screening function, one at a time, as the bucket notification does on AWS.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import accounts from 's3rver/lib/models/account.js';
import { localAccountId, localRegion } from '#infra/local/lambda-context';
import { readBodyUpTo } from '#infra/local/requests';
import {
  presignedLinkRefusal,
  type SigningCredentials,
  signatureHolds,
  signatureRefusal,
} from '#infra/local/signature-v4';
import { removeUnfinishedWrites, writeObjectsWhole } from '#infra/local/whole-object-files';
import { MAX_EVIDENCE_FILE_BYTES } from '#shared/domain/evidence';

export const objectStoragePath = '/local/s3';

/** A form carries the file and a few short fields. */
const maxFormBytes = MAX_EVIDENCE_FILE_BYTES + 64 * 1024;
/** What the functions write (a re-encoded image may outgrow its upload) is bounded more loosely. */
const maxSignedBodyBytes = 4 * MAX_EVIDENCE_FILE_BYTES;
/** Attempts of one screening, as Lambda retries an asynchronous invocation (twice) and then gives up. */
const screeningAttempts = 3;

/** The event S3 sends a function for one new object. */
export interface ObjectCreatedEvent {
  Records: {
    eventVersion: string;
    eventSource: 'aws:s3';
    awsRegion: string;
    eventTime: string;
    eventName: string;
    userIdentity: { principalId: string };
    requestParameters: { sourceIPAddress: string };
    responseElements: Record<string, string>;
    s3: {
      s3SchemaVersion: string;
      configurationId: string;
      bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
      object: { key: string; size: number; sequencer: string };
    };
  }[];
}

export interface ObjectStorageOptions {
  /** s3rver's folder, kept across restarts. */
  directory: string;
  bucket: string;
  /** The only credentials the gateway and s3rver accept. */
  credentials: SigningCredentials;
  /** `http://127.0.0.1:PORT`: where the gateway stores a verified form through the SDK. */
  origin: string;
  /** Uploads under this prefix are handed to `screen`. */
  screeningPrefix: string;
  screen: (event: ObjectCreatedEvent) => Promise<unknown>;
  /** Milliseconds before each further attempt of a failed screening. */
  screeningRetryDelayMs?: number;
  log: (line: string) => void;
}

export interface ObjectStorage {
  /** Answers a request under `/local/s3`; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /**
   * Hands every file still under the screening prefix to the screener again, and says how many: their
   * notifications were lost with a runtime killed before screening ended. S3 keeps delivering its
   * notifications across anything; an in-process queue does not. The screener is safe to repeat.
   */
  redeliverUnscreened(): Promise<number>;
  /** Waits until every upload so far has been screened (or given up on). */
  drainScreening(): Promise<void>;
  stop(): Promise<void>;
}

/** An error as S3 words it, in XML. */
const sendS3Error = (res: ServerResponse, status: number, code: string, message: string) => {
  const escapeXml = (text: string) =>
    text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`,
  );
};

/** A request S3 would refuse, with the status and code it would answer. */
class S3RefusalError extends Error {
  override name = 'S3RefusalError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const deny = (message: string) => new S3RefusalError(403, 'AccessDenied', message);

/** S3's event keys are URL-encoded as a form would encode them (space as `+`), slashes kept. */
const eventKey = (key: string) =>
  key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');

type PolicyCondition = Record<string, unknown> | unknown[];

/**
 * Checks a browser form upload as S3 does (its "POST policy"): the policy signed with the secret of
 * `x-amz-credential`'s scope, not expired, every condition met by the fields and the file, and every
 * field but the signature, the policy and the file named by a condition. Returns what to store.
 */
export const verifyPostForm = (
  form: FormData,
  bucket: string,
  credentials: SigningCredentials,
  now: Date,
): { key: string; contentType: string; body: File } => {
  const fields = new Map<string, string>();
  let file: File | undefined;
  // The project's DOM typings have no iterable FormData; forEach visits the parts in order.
  const parts: [string, FormDataEntryValue][] = [];
  form.forEach((value, name) => {
    parts.push([name, value]);
  });
  for (const [name, value] of parts) {
    const lower = name.toLowerCase();
    if (lower === 'file') {
      if (typeof value === 'string')
        throw new S3RefusalError(400, 'InvalidArgument', 'The file must be a file');
      file = value;
    } else if (typeof value === 'string') {
      if (fields.has(lower))
        throw new S3RefusalError(400, 'InvalidArgument', `The field ${lower} is repeated`);
      fields.set(lower, value);
    }
  }
  if (!file)
    throw new S3RefusalError(400, 'InvalidArgument', 'POST requires exactly one file upload per request');
  const policy = fields.get('policy');
  if (!policy) throw deny('Bucket POST must contain a field named policy: anonymous uploads are refused');

  const [accessKeyId, date, region, service, terminator] = (fields.get('x-amz-credential') ?? '').split('/');
  const signature = fields.get('x-amz-signature') ?? '';
  if (
    fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256' ||
    terminator !== 'aws4_request' ||
    service !== 's3' ||
    !date ||
    !region ||
    !/^[0-9a-f]{64}$/.test(signature)
  ) {
    throw new S3RefusalError(400, 'InvalidArgument', 'The form is not signed with AWS4-HMAC-SHA256');
  }
  if (accessKeyId !== credentials.accessKeyId) {
    throw new S3RefusalError(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist');
  }
  if (!signatureHolds(signature, policy, credentials, { date, region, service })) {
    throw new S3RefusalError(403, 'SignatureDoesNotMatch', 'The policy signature does not match');
  }

  let document: { expiration?: unknown; conditions?: unknown };
  try {
    document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as typeof document;
  } catch {
    throw new S3RefusalError(400, 'InvalidPolicyDocument', 'The policy is not base64 JSON');
  }
  const expiration = typeof document.expiration === 'string' ? Date.parse(document.expiration) : Number.NaN;
  if (Number.isNaN(expiration) || !Array.isArray(document.conditions)) {
    throw new S3RefusalError(400, 'InvalidPolicyDocument', 'The policy needs an expiration and conditions');
  }
  if (expiration <= now.getTime()) throw deny('Invalid according to Policy: Policy expired.');

  const fieldValue = (name: string) => (name === 'bucket' ? bucket : (fields.get(name) ?? ''));
  const covered = new Set(['policy', 'x-amz-signature']);
  const failed = (condition: unknown) =>
    deny(`Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`);
  for (const condition of document.conditions as PolicyCondition[]) {
    if (Array.isArray(condition)) {
      const [operator, subject, expected] = condition;
      if (operator === 'content-length-range') {
        const [, min, max] = condition as [string, number, number];
        if (file.size < min)
          throw new S3RefusalError(400, 'EntityTooSmall', 'The file is smaller than the policy allows');
        if (file.size > max)
          throw new S3RefusalError(400, 'EntityTooLarge', 'The file is larger than the policy allows');
        continue;
      }
      if (typeof subject !== 'string' || !subject.startsWith('$') || typeof expected !== 'string') {
        throw new S3RefusalError(
          400,
          'InvalidPolicyDocument',
          `Unknown condition ${JSON.stringify(condition)}`,
        );
      }
      const name = subject.slice(1).toLowerCase();
      covered.add(name);
      const actual = fieldValue(name);
      const holds =
        operator === 'eq' ? actual === expected : operator === 'starts-with' && actual.startsWith(expected);
      if (!holds) throw failed(condition);
    } else if (condition !== null && typeof condition === 'object') {
      for (const [name, expected] of Object.entries(condition)) {
        covered.add(name.toLowerCase());
        if (fieldValue(name.toLowerCase()) !== expected) throw failed(condition);
      }
    } else {
      throw new S3RefusalError(
        400,
        'InvalidPolicyDocument',
        `Unknown condition ${JSON.stringify(condition)}`,
      );
    }
  }
  for (const name of fields.keys()) {
    if (!covered.has(name) && !name.startsWith('x-ignore-')) {
      throw deny(`Invalid according to Policy: Extra input fields: ${name}`);
    }
  }
  const key = fields.get('key');
  if (!key) throw new S3RefusalError(400, 'InvalidArgument', 'Bucket POST must contain a field named key');
  return { key, contentType: fields.get('content-type') ?? 'binary/octet-stream', body: file };
};

/** A request for s3rver: the body already read (to check its hash), the mount point in `baseUrl`. */
const replayed = (req: IncomingMessage, url: string, body: Buffer): IncomingMessage =>
  Object.assign(Readable.from(body.length > 0 ? [body] : []), {
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    method: req.method,
    url,
    baseUrl: objectStoragePath,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    socket: req.socket,
    connection: req.socket,
    complete: true,
  }) as unknown as IncomingMessage;

export const startObjectStorage = async (options: ObjectStorageOptions): Promise<ObjectStorage> => {
  // s3rver's account registry is process-wide: the runtime's credentials are its only key pair.
  accounts.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
  accounts.DUMMY_ACCOUNT.createKeyPair(options.credentials.accessKeyId, options.credentials.secretAccessKey);
  const s3rver = new S3rver({
    directory: options.directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [] }],
  });
  await s3rver.configureBuckets();
  const unfinished = await removeUnfinishedWrites(options.directory);
  if (unfinished > 0) options.log(`Removed ${unfinished} evidence files a killed runtime left half-written`);
  // s3rver removes the folders a delete leaves empty, racing a write into the same folder (the
  // screener deletes an upload while its owner uploads the next): that write's file then cannot be
  // opened, an unhandled error that ends the process. Folders stay; an empty one lists nothing.
  const files = s3rver.store;
  await writeObjectsWhole(files, options.directory);
  files.deleteObject = async (bucket, key) => {
    await Promise.all(
      ['object', 'object.md5', 'metadata.json'].map((kind) =>
        rm(files.getResourcePath(bucket, key, kind), { force: true }),
      ),
    );
  };
  const serveS3 = s3rver.callback();
  const store = new S3Client({
    endpoint: `${options.origin}${objectStoragePath}`,
    forcePathStyle: true,
    region: localRegion,
    credentials: options.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });

  // Screenings run one at a time, in order, as a queue of notifications would feed them.
  let screenings: Promise<void> = Promise.resolve();
  const screenLater = (event: ObjectCreatedEvent) => {
    screenings = screenings.then(async () => {
      for (let attempt = 1; attempt <= screeningAttempts; attempt++) {
        try {
          await options.screen(event);
          return;
        } catch (error) {
          // The key names the uploader's hash and the upload id, never the file's name.
          const name = error instanceof Error ? error.name : 'error';
          options.log(
            attempt < screeningAttempts
              ? `Screening attempt ${attempt}/${screeningAttempts} failed (${name}); trying again`
              : `Screening failed ${screeningAttempts} times (${name}); the upload stays PENDING until it expires`,
          );
          if (attempt < screeningAttempts) {
            await new Promise((wait) => setTimeout(wait, options.screeningRetryDelayMs ?? 1000));
          }
        }
      }
    });
  };

  const objectCreated = (key: string, size: number): ObjectCreatedEvent => ({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: localRegion,
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Post',
        userIdentity: { principalId: 'AWS:local' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase() },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'evidence-screening',
          bucket: {
            name: options.bucket,
            ownerIdentity: { principalId: localAccountId },
            arn: `arn:aws:s3:::${options.bucket}`,
          },
          object: { key: eventKey(key), size, sequencer: Date.now().toString(16).toUpperCase() },
        },
      },
    ],
  });

  const acceptForm = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBodyUpTo(req, res, maxFormBytes);
    if (body === undefined) {
      throw new S3RefusalError(
        400,
        'MaxPostPreDataLengthExceeded',
        `A form upload is at most ${maxFormBytes} bytes`,
      );
    }
    const form = await new Request('http://local/', {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? '' },
      body: new Uint8Array(body),
    })
      .formData()
      .catch(() => {
        throw new S3RefusalError(
          400,
          'MalformedPOSTRequest',
          'The body is not well-formed multipart/form-data',
        );
      });
    const {
      key,
      contentType,
      body: file,
    } = verifyPostForm(form, options.bucket, options.credentials, new Date());
    await store.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: key,
        Body: new Uint8Array(await file.arrayBuffer()),
        ContentType: contentType,
      }),
    );
    res.writeHead(204, { location: `${options.origin}${objectStoragePath}/${options.bucket}/${key}` });
    res.end();
    if (key.startsWith(options.screeningPrefix)) screenLater(objectCreated(key, file.size));
  };

  const forward = async (req: IncomingMessage, res: ServerResponse, url: string) => {
    const body = await readBodyUpTo(req, res, maxSignedBodyBytes);
    if (body === undefined) throw new S3RefusalError(400, 'EntityTooLarge', 'The body is too large');
    const now = new Date();
    const refusal = req.headers.authorization
      ? signatureRefusal(req, body, options.credentials, 's3', now, { s3: true })
      : presignedLinkRefusal(req, options.credentials, 's3', now);
    if (refusal) {
      const code =
        refusal.code === 'UnrecognizedClientException' ? 'InvalidAccessKeyId' : 'SignatureDoesNotMatch';
      throw new S3RefusalError(403, code, refusal.message);
    }
    await serveS3(replayed(req, url, body), res);
  };

  return {
    handle: async (req, res) => {
      const url = req.url ?? '/';
      if (
        url !== objectStoragePath &&
        !url.startsWith(`${objectStoragePath}/`) &&
        !url.startsWith(`${objectStoragePath}?`)
      ) {
        return false;
      }
      const inner = url.slice(objectStoragePath.length) || '/';
      const { pathname, searchParams } = new URL(inner, 'http://local');
      try {
        const signed = req.headers.authorization !== undefined || searchParams.has('X-Amz-Signature');
        const isForm =
          req.method === 'POST' &&
          !signed &&
          (pathname === `/${options.bucket}` || pathname === `/${options.bucket}/`) &&
          req.headers['content-type']?.toLowerCase().startsWith('multipart/form-data');
        if (isForm) await acceptForm(req, res);
        else if (signed) await forward(req, res, inner);
        else throw deny('Anonymous requests are refused: sign the request or use a presigned link or form');
      } catch (error) {
        if (res.headersSent) return true;
        if (error instanceof S3RefusalError) sendS3Error(res, error.status, error.code, error.message);
        else throw error;
      }
      return true;
    },
    redeliverUnscreened: async () => {
      const { objects } = await s3rver.store.listObjects(options.bucket, { prefix: options.screeningPrefix });
      for (const object of objects) screenLater(objectCreated(object.key, object.size));
      return objects.length;
    },
    drainScreening: async () => {
      // A screening may upload nothing new, but a drain waits for what was queued meanwhile too.
      let seen: Promise<void> | undefined;
      while (seen !== screenings) {
        seen = screenings;
        await seen;
      }
    },
    stop: async () => {
      await screenings;
      store.destroy();
      s3rver.logger.close();
    },
  };
};

export const objectStorageDirectory = (dataDir: string) => join(dataDir, 's3');
