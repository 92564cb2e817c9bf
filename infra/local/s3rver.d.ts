/** s3rver 3 ships no types; this is the part the local runtime and the tests use. */
declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { Readable } from 'node:stream';

  export interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    /** Whether a Host other than an IP or localhost names the bucket; off behind a gateway. */
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs: unknown[] }[];
  }
  /** A Koa application: `callback()` serves it from any HTTP server, mounted where `req.baseUrl` says. */
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
    /** Creates the buckets of `configureBuckets` (what `run` does before listening). */
    configureBuckets(): Promise<void>;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    logger: { close(): void; exceptions: { unhandle(): void } };
    /** Its files on disk, as the bucket lists them. */
    store: {
      /** Where a key's file of the given kind lives (`object`, `object.md5`, `metadata.json`). */
      getResourcePath(bucket: string, key: string, kind: string): string;
      deleteObject(bucket: string, key: string): Promise<void>;
      putObject(object: {
        bucket: string;
        key: string;
        metadata: Record<string, string>;
        content: Buffer | Readable;
      }): Promise<{ size: number; md5: string }>;
      putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
      listObjects(
        bucket: string,
        options: { prefix?: string },
      ): Promise<{ objects: { key: string; size: number }[] }>;
    };
  }
}

/** The key pairs s3rver knows, process-wide: it accepts S3RVER/S3RVER until revoked. */
declare module 's3rver/lib/models/account.js' {
  interface AWSAccount {
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
    revokeAccessKey(accessKeyId: string): void;
  }
  const accounts: { DUMMY_ACCOUNT: AWSAccount };
  export default accounts;
}

/** The metadata headers s3rver stores with an object (besides the user's `x-amz-meta-*`). */
declare module 's3rver/lib/models/object.js' {
  const S3Object: { ALLOWED_METADATA: readonly string[] };
  export default S3Object;
}
