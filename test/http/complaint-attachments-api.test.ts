/**
 * Attaching files to a complaint over HTTP: the local runtime's gateway, token checks and the complaints
 * handler, as the portal calls `POST /api/complaints/{id}/attachments`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationCode, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { givenCleanUpload, uploadRecord } from '#test/support/evidence';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let api: TestRuntime;
let uploads: DynamoEvidenceUploads;

beforeAll(async () => {
  api = await startTestRuntime();
  uploads = new DynamoEvidenceUploads(api.documentClient, api.tableName);
});

afterAll(async () => {
  await api?.stop();
});

let last = 0;
/** An enterprise of its own (as the local sign-in names its user) with a complaint filed. */
const complainant = async () => {
  last += 1;
  const creditCode = enterpriseCode('11', 7_000 + last);
  const token = await api.token({ role: 'enterprise', creditCode });
  const filed = await api.request('POST', '/api/complaints', {
    token,
    body: complaintBody({ associationCode: associationCode('11', 7_000 + last) }),
  });
  if (filed.status !== 202) throw new Error(`complaint: ${filed.status} ${filed.text}`);
  return { token, subject: `local:enterprise:${creditCode}`, complaintId: filed.body.complaintId as string };
};

describe('POST /api/complaints/{id}/attachments', () => {
  it('answers the complaint’s files, which its page then lists', async () => {
    // Arrange
    const { token, subject, complaintId } = await complainant();
    const upload = await givenCleanUpload(uploads, { owner: subject, fileName: 'invoice.pdf' });

    // Act
    const added = await api.request('POST', `/api/complaints/${complaintId}/attachments`, {
      token,
      body: { attachments: [upload.uploadId] },
    });

    // Assert
    expect(added.status).toBe(200);
    expect(added.body.attachments).toMatchObject([{ fileId: upload.uploadId, fileName: 'invoice.pdf' }]);
    const page = await api.request('GET', `/api/complaints/${complaintId}`, { token });
    expect(page.body.complaint.attachments).toEqual(added.body.attachments);
  });

  it('answers 409 with the reason for an upload still being screened', async () => {
    // Arrange
    const { token, subject, complaintId } = await complainant();
    const pending = uploadRecord({ owner: subject });
    await uploads.create(pending);

    // Act
    const refused = await api.request('POST', `/api/complaints/${complaintId}/attachments`, {
      token,
      body: { attachments: [pending.uploadId] },
    });

    // Assert
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'CONFLICT', reason: 'evidence_not_screened' });
  });

  it('answers 404 to an enterprise that did not file the complaint', async () => {
    // Arrange
    const { complaintId } = await complainant();
    const other = await complainant();
    const upload = await givenCleanUpload(uploads, { owner: other.subject });

    // Act
    const refused = await api.request('POST', `/api/complaints/${complaintId}/attachments`, {
      token: other.token,
      body: { attachments: [upload.uploadId] },
    });

    // Assert
    expect(refused.status).toBe(404);
  });
});
