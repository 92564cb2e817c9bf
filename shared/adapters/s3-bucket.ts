/** The three S3 calls the audit anchors need (conditional put, get, list), through the AWS SDK. */
import {
  GetObjectCommand,
  ListObjectsCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { callDependency } from '#shared/adapters/aws-errors';

/** The one S3 client of a process. */
export const s3Client = new S3Client({});

// 412: the key exists; 409: a concurrent conditional write to the same key won.
const lostConditionalWrite = (error: unknown) =>
  error instanceof S3ServiceException &&
  (error.$metadata.httpStatusCode === 412 || error.$metadata.httpStatusCode === 409);

export class S3Bucket {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** Writes the object; with `onlyIfAbsent`, answers false instead when the key is already taken. */
  async put(key: string, body: string, options: { onlyIfAbsent?: boolean } = {}): Promise<boolean> {
    try {
      // The SDK adds a checksum to every write, which Object Lock buckets require.
      await callDependency('S3', () =>
        this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: body,
            ContentType: 'application/json',
            ...(options.onlyIfAbsent ? { IfNoneMatch: '*' } : {}),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (options.onlyIfAbsent && lostConditionalWrite(error)) return false;
      throw error;
    }
  }

  async get(key: string): Promise<string | undefined> {
    try {
      const object = await callDependency('S3', () =>
        this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })),
      );
      return await object.Body?.transformToString('utf8');
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  /**
   * Keys under the prefix in key order, all of them or the first `limit`. Pages follow the last key
   * (ListObjects' marker) rather than V2's opaque continuation token, which S3-compatible servers
   * built on ciphers OpenSSL 3 dropped cannot produce.
   */
  async list(prefix: string, limit = Number.POSITIVE_INFINITY): Promise<string[]> {
    const keys: string[] = [];
    let truncated = true;
    while (truncated && keys.length < limit) {
      const page = await callDependency('S3', () =>
        this.s3.send(
          new ListObjectsCommand({
            Bucket: this.bucket,
            Prefix: prefix,
            MaxKeys: Math.min(1000, limit - keys.length),
            Marker: keys.at(-1),
          }),
        ),
      );
      const found = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
      keys.push(...found);
      truncated = page.IsTruncated === true && found.length > 0;
    }
    return keys;
  }
}
