/**
 * The local gateway's check of a browser form upload, as S3 checks a POST policy: the rules the HTTP
 * tests (test/http/evidence-storage.test.ts) do not reach through a form the SDK presigned.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyPostForm } from '#infra/local/object-storage';
import { signingKey } from '#infra/local/signature-v4';

const credentials = { accessKeyId: 'LKIATEST', secretAccessKey: 'secret' };
const now = new Date('2026-12-02T10:00:00Z');
const bucket = 'evidence';

/** A form as a browser sends it: the policy signed with the credentials, the fields, then the file. */
const signedForm = (conditions: unknown[], fields: Record<string, string>, file = new Blob(['%PDF'])) => {
  const policy = Buffer.from(JSON.stringify({ expiration: '2026-12-02T10:15:00Z', conditions })).toString(
    'base64',
  );
  const signature = createHmac(
    'sha256',
    signingKey(credentials.secretAccessKey, '20261202', 'us-east-1', 's3'),
  )
    .update(policy)
    .digest('hex');
  const form = new FormData();
  for (const [name, value] of Object.entries({
    ...fields,
    Policy: policy,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${credentials.accessKeyId}/20261202/us-east-1/s3/aws4_request`,
    'X-Amz-Signature': signature,
  })) {
    form.append(name, value);
  }
  form.append('file', file, 'invoice.pdf');
  return form;
};

const signingConditions = [
  { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
  { 'X-Amz-Credential': `${credentials.accessKeyId}/20261202/us-east-1/s3/aws4_request` },
];

describe('verifyPostForm', () => {
  it('accepts a key under a starts-with prefix and answers what to store', () => {
    // Arrange
    const form = signedForm(
      [...signingConditions, ['starts-with', '$key', 'incoming/'], { 'Content-Type': 'application/pdf' }],
      { key: 'incoming/a/b', 'Content-Type': 'application/pdf' },
    );

    // Act
    const upload = verifyPostForm(form, bucket, credentials, now);

    // Assert
    expect(upload).toMatchObject({ key: 'incoming/a/b', contentType: 'application/pdf' });
    expect(upload.body.size).toBe(4);
  });

  it('refuses a field no condition names, as S3 does', () => {
    // Arrange
    const form = signedForm([...signingConditions, ['eq', '$key', 'incoming/a/b']], {
      key: 'incoming/a/b',
      success_action_redirect: 'https://elsewhere.example',
    });

    // Act
    const verify = () => verifyPostForm(form, bucket, credentials, now);

    // Assert
    expect(verify).toThrow(/Extra input fields: success_action_redirect/);
  });

  it('refuses an empty file when the policy asks for at least a byte', () => {
    // Arrange
    const form = signedForm(
      [...signingConditions, ['eq', '$key', 'k'], ['content-length-range', 1, 10]],
      { key: 'k' },
      new Blob([]),
    );

    // Act
    const verify = () => verifyPostForm(form, bucket, credentials, now);

    // Assert
    expect(verify).toThrow(expect.objectContaining({ status: 400, code: 'EntityTooSmall' }));
  });

  it('refuses a form for another bucket than the policy names', () => {
    // Arrange
    const form = signedForm([...signingConditions, { bucket: 'other' }, ['eq', '$key', 'k']], { key: 'k' });

    // Act
    const verify = () => verifyPostForm(form, bucket, credentials, now);

    // Assert
    expect(verify).toThrow(expect.objectContaining({ status: 403, code: 'AccessDenied' }));
  });

  it('refuses a form signed with another key pair', () => {
    // Arrange
    const form = signedForm([...signingConditions, ['eq', '$key', 'k']], { key: 'k' });

    // Act
    const verify = () =>
      verifyPostForm(form, bucket, { accessKeyId: credentials.accessKeyId, secretAccessKey: 'other' }, now);

    // Assert
    expect(verify).toThrow(expect.objectContaining({ status: 403, code: 'SignatureDoesNotMatch' }));
  });
});
