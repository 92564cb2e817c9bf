/**
 * Presigned upload forms and download links of the evidence bucket: what the evidence API hands the
 * browser, signed with the function's own credentials (the reads and writes are in evidence-bucket.ts).
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { callDependency } from '#shared/adapters/aws-errors';
import { S3EvidenceObjects } from '#shared/adapters/evidence-bucket';
import type { EvidenceContentType } from '#shared/domain/evidence';
import type { EvidenceLinks, UploadForm } from '#shared/ports/evidence';

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

export class S3EvidenceLinks extends S3EvidenceObjects implements EvidenceLinks {
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
}
