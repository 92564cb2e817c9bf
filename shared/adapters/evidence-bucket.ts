/**
 * The evidence bucket through the AWS SDK: the reads, writes and deletes of the screener and the
 * sweeper (the API's presigned forms and links are in evidence-links.ts, so that these functions do
 * not bundle the presigners). On AWS the objects are encrypted with the
 * campaign's KMS key (`EVIDENCE_KMS_KEY_ID`); locally there is no key and the endpoint is the runtime's
 * `/local/s3` (`AWS_ENDPOINT_URL_S3`, an IP address, for which the SDK addresses the bucket by path).
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { callDependency } from '#shared/adapters/aws-errors';
import type { EvidenceContentType } from '#shared/domain/evidence';
import type { EvidenceObjects } from '#shared/ports/evidence';

export class S3EvidenceObjects implements EvidenceObjects {
  constructor(
    protected readonly s3: S3Client,
    protected readonly bucket: string,
    protected readonly kmsKeyId?: string,
  ) {}

  /** The encryption S3 must apply (and a form must ask for), or nothing without a key (locally). */
  protected encryption(): Record<string, string> {
    return this.kmsKeyId
      ? {
          'x-amz-server-side-encryption': 'aws:kms',
          'x-amz-server-side-encryption-aws-kms-key-id': this.kmsKeyId,
        }
      : {};
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      const object = await callDependency('S3', () =>
        this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })),
      );
      return await object.Body?.transformToByteArray();
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async write(key: string, body: Uint8Array, contentType: EvidenceContentType): Promise<void> {
    const encryption = this.kmsKeyId
      ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: this.kmsKeyId }
      : {};
    await callDependency('S3', () =>
      this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ...encryption,
        }),
      ),
    );
  }

  async remove(key: string): Promise<void> {
    await callDependency('S3', () =>
      this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })),
    );
  }
}
