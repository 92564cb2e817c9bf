/**
 * The evidence bucket through the AWS SDK: presigned upload forms and download links, and the reads,
 * writes and deletes of the screener and the sweeper. On AWS the objects are encrypted with the
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
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { callDependency } from '#shared/adapters/aws-errors';
import type { EvidenceContentType } from '#shared/domain/evidence';
import type { EvidenceObjects, UploadForm } from '#shared/ports/evidence';

/**
 * `Content-Disposition: attachment` naming the file as it was uploaded: a plain ASCII `filename` for
 * old clients (anything else replaced by `_`) and the exact name as `filename*` (RFC 6266 / RFC 5987),
 * which is how a browser learns a Chinese name.
 */
export const attachmentDisposition = (fileName: string): string => {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
};

export class S3EvidenceObjects implements EvidenceObjects {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly kmsKeyId?: string,
  ) {}

  /** The encryption S3 must apply (and a form must ask for), or nothing without a key (locally). */
  private encryption(): Record<string, string> {
    return this.kmsKeyId
      ? {
          'x-amz-server-side-encryption': 'aws:kms',
          'x-amz-server-side-encryption-aws-kms-key-id': this.kmsKeyId,
        }
      : {};
  }

  async presignUpload(
    key: string,
    contentType: EvidenceContentType,
    maxBytes: number,
    expiresInSeconds: number,
  ): Promise<UploadForm> {
    const encryption = this.encryption();
    const { url, fields } = await callDependency('S3', () =>
      createPresignedPost(this.s3, {
        Bucket: this.bucket,
        Key: key,
        Conditions: [
          { bucket: this.bucket },
          ['eq', '$key', key],
          ['eq', '$Content-Type', contentType],
          ['content-length-range', 1, maxBytes],
        ],
        // Every field also becomes an exact-match condition of the policy: the encryption cannot be left out.
        Fields: { 'Content-Type': contentType, ...encryption },
        Expires: expiresInSeconds,
      }),
    );
    return { url, fields };
  }

  async presignDownload(
    key: string,
    fileName: string,
    contentType: EvidenceContentType,
    expiresInSeconds: number,
  ): Promise<string> {
    return callDependency('S3', () =>
      getSignedUrl(
        this.s3,
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ResponseContentDisposition: attachmentDisposition(fileName),
          ResponseContentType: contentType,
        }),
        { expiresIn: expiresInSeconds },
      ),
    );
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
