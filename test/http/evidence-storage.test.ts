/**
 * The local evidence bucket behind the runtime's port (`/local/s3`): s3rver takes anonymous requests
 * and ignores a form's policy, so the gateway in front of it answers only what S3 would answer the
 * campaign's functions and a browser holding their form or link, and hands each stored upload to the
 * screening function as S3's notification does. The screening function is observed, not run: its
 * own tests say what it does with the event.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { evidenceBucket } from '#infra/system';
import { S3EvidenceObjects } from '#shared/adapters/evidence-bucket';
import type { UploadForm } from '#shared/ports/evidence';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

const screening = vi.hoisted(() => ({ handler: vi.fn(async (_event: unknown) => undefined) }));
vi.mock('../../functions/storage/evidence-screening.ts', () => ({ handler: screening.handler }));

const ownerKey = '0123456789abcdef0123456789abcdef';
let uploadCount = 0;
const incomingKey = () =>
  `incoming/${ownerKey}/${String(++uploadCount).padStart(8, '0')}-2222-4333-8444-555555555555`;

let harness: TestRuntime;
let s3: S3Client;
let objects: S3EvidenceObjects;

beforeAll(async () => {
  harness = await startTestRuntime({ screeningRetryDelayMs: 10 });
  // What a function of the runtime holds: the runtime's own credentials, its endpoint.
  s3 = new S3Client({
    endpoint: `${harness.url}/local/s3`,
    region: 'us-east-1',
    credentials: harness.runtime.engineCredentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  objects = new S3EvidenceObjects(s3, evidenceBucket.name);
}, 60_000);

afterAll(async () => {
  s3?.destroy();
  await harness?.stop();
});

beforeEach(() => {
  screening.handler.mockReset();
  screening.handler.mockResolvedValue(undefined);
});

const post = (form: UploadForm, file: Blob, fields: Record<string, string> = form.fields) => {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  body.append('file', file, 'invoice.pdf');
  return fetch(form.url, { method: 'POST', body });
};

const errorCodeOf = async (response: Response) => /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];

const pdf = (bytes: number) => new Blob([`%PDF-1.7 ${'x'.repeat(Math.max(0, bytes - 9))}`.slice(0, bytes)]);

describe('the local evidence bucket', () => {
  it('refuses an anonymous read, which s3rver itself would answer', async () => {
    // Arrange
    const key = incomingKey();
    await objects.write(key, new TextEncoder().encode('%PDF-1.7'), 'application/pdf');

    // Act
    const response = await fetch(`${harness.url}/local/s3/${evidenceBucket.name}/${key}`);

    // Assert
    expect(response.status).toBe(403);
    expect(await errorCodeOf(response)).toBe('AccessDenied');
  });

  it("refuses requests signed with s3rver's well-known key pair", async () => {
    // Arrange
    const outsider = new S3EvidenceObjects(
      new S3Client({
        endpoint: `${harness.url}/local/s3`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        maxAttempts: 1,
      }),
      evidenceBucket.name,
    );

    // Act
    const read = outsider.read('evidence/anything');

    // Assert
    await expect(read).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
  });

  it('stores a form that keeps its policy and hands the S3 event to the screening function', async () => {
    // Arrange
    const key = incomingKey();
    const form = await objects.presignUpload(key, 'application/pdf', 1024, 900);

    // Act
    const response = await post(form, pdf(100));
    await harness.runtime.drainScreening();

    // Assert
    expect(response.status).toBe(204);
    expect((await objects.read(key))?.length).toBe(100);
    expect(screening.handler).toHaveBeenCalledTimes(1);
    expect(screening.handler.mock.calls[0]?.[0]).toMatchObject({
      Records: [
        {
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Post',
          s3: { bucket: { name: evidenceBucket.name }, object: { key, size: 100 } },
        },
      ],
    });
  });

  it('tries a failed screening again', async () => {
    // Arrange
    screening.handler.mockRejectedValueOnce(new Error('table unavailable'));
    const form = await objects.presignUpload(incomingKey(), 'application/pdf', 1024, 900);

    // Act
    await post(form, pdf(10));
    await harness.runtime.drainScreening();

    // Assert
    expect(screening.handler).toHaveBeenCalledTimes(2);
  });

  it('refuses a file larger than the form allows, and stores and screens nothing', async () => {
    // Arrange
    const key = incomingKey();
    const form = await objects.presignUpload(key, 'application/pdf', 1024, 900);

    // Act
    const response = await post(form, pdf(1025));
    await harness.runtime.drainScreening();

    // Assert
    expect(response.status).toBe(400);
    expect(await errorCodeOf(response)).toBe('EntityTooLarge');
    expect(await objects.read(key)).toBeUndefined();
    expect(screening.handler).not.toHaveBeenCalled();
  });

  it('refuses a form whose content type is not the one the policy names', async () => {
    // Arrange
    const key = incomingKey();
    const form = await objects.presignUpload(key, 'application/pdf', 1024, 900);

    // Act
    const response = await post(form, pdf(10), { ...form.fields, 'Content-Type': 'text/html' });

    // Assert
    expect(response.status).toBe(403);
    expect(await errorCodeOf(response)).toBe('AccessDenied');
    expect(await objects.read(key)).toBeUndefined();
  });

  it('refuses a form for another key than the policy names', async () => {
    // Arrange
    const form = await objects.presignUpload(incomingKey(), 'application/pdf', 1024, 900);
    const otherKey = `evidence/${incomingKey().split('/').at(-1)}`;

    // Act
    const response = await post(form, pdf(10), { ...form.fields, key: otherKey });

    // Assert
    expect(response.status).toBe(403);
    expect(await objects.read(otherKey)).toBeUndefined();
  });

  it('refuses a form whose policy has expired', async () => {
    // Arrange
    const key = incomingKey();
    const form = await objects.presignUpload(key, 'application/pdf', 1024, -1);

    // Act
    const response = await post(form, pdf(10));

    // Assert
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Policy expired');
    expect(await objects.read(key)).toBeUndefined();
  });

  it('refuses a form whose policy was changed after it was signed', async () => {
    // Arrange
    const key = incomingKey();
    const form = await objects.presignUpload(key, 'application/pdf', 1024, 900);
    const policy = Buffer.from(form.fields.Policy ?? '', 'base64')
      .toString('utf8')
      .replace('["content-length-range",1,1024]', '["content-length-range",1,99999999]');

    // Act
    const response = await post(form, pdf(2048), {
      ...form.fields,
      Policy: Buffer.from(policy).toString('base64'),
    });

    // Assert
    expect(response.status).toBe(403);
    expect(await errorCodeOf(response)).toBe('SignatureDoesNotMatch');
    expect(await objects.read(key)).toBeUndefined();
  });

  it('refuses a form without a policy, which s3rver would store', async () => {
    // Arrange
    const key = incomingKey();

    // Act
    const response = await post(
      { url: `${harness.url}/local/s3/${evidenceBucket.name}`, fields: {} },
      pdf(10),
      {
        key,
        'Content-Type': 'application/pdf',
      },
    );

    // Assert
    expect(response.status).toBe(403);
    expect(await objects.read(key)).toBeUndefined();
  });

  it('serves a presigned download link as an attachment with the uploaded name', async () => {
    // Arrange
    const key = 'evidence/55555555-2222-4333-8444-555555555555';
    await objects.write(key, new TextEncoder().encode('%PDF-1.7 decision'), 'application/pdf');

    // Act
    const link = await objects.presignDownload(key, '整改报告.pdf', 'application/pdf', 300);
    const response = await fetch(link);

    // Assert
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('%PDF-1.7 decision');
    expect(response.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('整改报告.pdf')}`,
    );
  });

  it('refuses a download link once it has expired', async () => {
    // Arrange
    const key = 'evidence/77777777-2222-4333-8444-555555555555';
    await objects.write(key, new TextEncoder().encode('%PDF-1.7'), 'application/pdf');
    const link = await objects.presignDownload(key, 'a.pdf', 'application/pdf', 1);

    // Act
    await new Promise((wait) => setTimeout(wait, 2100));
    const response = await fetch(link);

    // Assert
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('expired');
  });

  it("is what a function's SDK client reaches with the environment the runtime set, and nothing else", async () => {
    // Arrange: a client configured as the functions' module-level one is, from the environment only.
    const fromEnvironment = new S3Client({});
    const asFunctions = new S3EvidenceObjects(fromEnvironment, process.env.EVIDENCE_BUCKET ?? '');
    const key = 'evidence/88888888-2222-4333-8444-555555555555';

    // Act
    await asFunctions.write(key, new TextEncoder().encode('%PDF-1.7 order'), 'application/pdf');

    // Assert
    expect(Buffer.from((await objects.read(key)) ?? []).toString()).toBe('%PDF-1.7 order');
    fromEnvironment.destroy();
  });

  it('keeps its files across a restart of the runtime', async () => {
    // Arrange
    const key = 'evidence/99999999-2222-4333-8444-555555555555';
    await objects.write(key, new TextEncoder().encode('%PDF-1.7 kept'), 'application/pdf');

    // Act
    await harness.restart();

    // Assert
    expect(Buffer.from((await objects.read(key)) ?? []).toString()).toBe('%PDF-1.7 kept');
  });

  it('refuses a download link changed after it was signed', async () => {
    // Arrange
    const key = 'evidence/66666666-2222-4333-8444-555555555555';
    await objects.write(key, new TextEncoder().encode('%PDF-1.7'), 'application/pdf');
    const link = new URL(await objects.presignDownload(key, 'a.pdf', 'application/pdf', 300));

    // Act
    link.searchParams.set('response-content-type', 'text/html');
    const response = await fetch(link);

    // Assert
    expect(response.status).toBe(403);
    expect(await errorCodeOf(response)).toBe('SignatureDoesNotMatch');
  });
});
