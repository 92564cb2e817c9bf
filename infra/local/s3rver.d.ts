/** s3rver 3 ships no types; this is the part the local runtime and the tests use. */
declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

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
