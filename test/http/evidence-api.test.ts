/**
 * The evidence API over HTTP, on the local runtime with its S3 server: a complainant asks for a form,
 * sends the file straight to storage, follows its screening, names it on its complaint; a regulator
 * downloads it with a short-lived link, and that download is in the officials' audit trail only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeTask,
  decisions,
  fileComplaint,
  newScenario,
  openTaskOf,
  type Scenario,
} from '#test/support/campaign-actors';
import { eventually } from '#test/support/eventually';
import { onePagePdf } from '#test/support/evidence';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
let scenario: Scenario;
let complaint: { complaintId: string; caseId: string };

const fileName = '收费通知 2026.pdf';

interface Ticket {
  uploadId: string;
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

/** Answers a ticket (201) or a refusal, read loosely as the harness reads bodies. */
const askToUpload = (token: string, body: object) => harness.request('POST', '/api/uploads', { token, body });

/** Sends the file with the form, as the portal does: the fields first, the file last. */
const sendForm = async (ticket: Ticket, bytes: Uint8Array<ArrayBuffer>, contentType = 'application/pdf') => {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: contentType }), fileName);
  return fetch(ticket.url, { method: 'POST', body: form });
};

const statusOf = async (token: string, uploadId: string) =>
  (await harness.request('GET', `/api/uploads/${uploadId}`, { token })).body as { status: string };

/** Asks, sends and waits for screening to end: the upload id of a screened file. */
const screenedUpload = async (token: string, purpose = 'COMPLAINT'): Promise<string> => {
  const asked = await askToUpload(token, {
    purpose,
    fileName,
    contentType: 'application/pdf',
    size: onePagePdf.length,
  });
  expect(asked.status, asked.text).toBe(201);
  const sent = await sendForm(asked.body, onePagePdf);
  expect(sent.ok, await sent.text()).toBe(true);
  await eventually(
    () => statusOf(token, asked.body.uploadId),
    (upload) => upload.status !== 'PENDING',
  );
  return asked.body.uploadId;
};

beforeAll(async () => {
  harness = await startTestRuntime();
  scenario = await newScenario(harness);
  complaint = await fileComplaint(harness, scenario);
  await openTaskOf(harness, scenario.regulator, complaint.caseId, 'REVIEW');
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe('POST /api/uploads', () => {
  it('answers 201 with a form that stores the file, and the upload is PENDING until screened', async () => {
    // Arrange
    const body = { purpose: 'COMPLAINT', fileName, contentType: 'application/pdf', size: onePagePdf.length };

    // Act
    const asked = await askToUpload(scenario.enterprise, body);
    const sent = await sendForm(asked.body, onePagePdf);

    // Assert
    expect(asked.status).toBe(201);
    expect(Date.parse(asked.body.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
    expect(sent.ok).toBe(true);
    const upload = await harness.request('GET', `/api/uploads/${asked.body.uploadId}`, {
      token: scenario.enterprise,
    });
    expect(upload.status).toBe(200);
    expect(upload.body).toMatchObject({ uploadId: asked.body.uploadId, fileName, attached: false });
  });

  it('refuses a purpose the role does not upload for with 403', async () => {
    // Arrange
    const body = { purpose: 'DECISION', fileName: 'decision.pdf', contentType: 'application/pdf', size: 10 };

    // Act
    const asked = await askToUpload(scenario.enterprise, body);

    // Assert
    expect(asked.status).toBe(403);
  });

  it('refuses a name that does not end as the type does with 400 file_type_mismatch on fileName', async () => {
    // Arrange
    const body = { purpose: 'COMPLAINT', fileName: 'receipt.png', contentType: 'application/pdf', size: 10 };

    // Act
    const asked = await askToUpload(scenario.enterprise, body);

    // Assert
    expect(asked.status).toBe(400);
    expect(asked.body.error.details).toEqual([
      expect.objectContaining({ path: 'fileName', code: 'file_type_mismatch' }),
    ]);
  });

  it('has the form refuse a file larger than declared', async () => {
    // Arrange
    const body = { purpose: 'COMPLAINT', fileName, contentType: 'application/pdf', size: 10 };
    const asked = await askToUpload(scenario.enterprise, body);

    // Act
    const sent = await sendForm(asked.body, onePagePdf);

    // Assert
    expect(sent.ok).toBe(false);
  });
});

describe('GET /api/uploads/{id}', () => {
  it('shows the uploader that screening found the file CLEAN', async () => {
    // Arrange
    const uploadId = await screenedUpload(scenario.enterprise);

    // Act
    const upload = await harness.request('GET', `/api/uploads/${uploadId}`, { token: scenario.enterprise });

    // Assert
    expect(upload.body).toMatchObject({ status: 'CLEAN', attached: false });
  });

  it("answers 404 for another enterprise's upload", async () => {
    // Arrange
    const uploadId = (
      await askToUpload(scenario.enterprise, {
        purpose: 'COMPLAINT',
        fileName,
        contentType: 'application/pdf',
        size: 10,
      })
    ).body.uploadId;
    const other = await newScenario(harness);

    // Act
    const upload = await harness.request('GET', `/api/uploads/${uploadId}`, { token: other.enterprise });

    // Assert
    expect(upload.status).toBe(404);
  });
});

describe('GET /api/files/{id}', () => {
  let fileId = '';
  let link: { status: number; body: { url: string; expiresAt: string } };

  beforeAll(async () => {
    fileId = await screenedUpload(scenario.enterprise);
    const attached = await harness.request('POST', `/api/complaints/${complaint.complaintId}/attachments`, {
      token: scenario.enterprise,
      body: { attachments: [fileId] },
    });
    expect(attached.status, attached.text).toBe(200);
    link = await harness.request('GET', `/api/files/${fileId}`, { token: scenario.regulator });
  }, 60_000);

  it('gives the regulator a link that downloads the screened file as an attachment under its name', async () => {
    // Act
    const download = await fetch(link.body.url);

    // Assert
    expect(link.status).toBe(200);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect((await download.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('records the download in the officials’ audit trail, naming the file by id only', async () => {
    // Arrange: the case journal links the download's event from the stream.
    await harness.runtime.drainStreams();

    // Act
    const detail = await harness.request('GET', `/api/cases/${complaint.caseId}`, {
      token: scenario.regulator,
    });

    // Assert
    const viewed = detail.body.audit.filter((event: { type: string }) => event.type === 'EVIDENCE_VIEWED');
    expect(viewed).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ role: 'regulator' }),
        data: { fileId, purpose: 'COMPLAINT', party: 'ENTERPRISE' },
      }),
    ]);
    expect(JSON.stringify(detail.body.audit)).not.toContain('收费通知');
    expect(detail.body.auditIntegrity.intact).toBe(true);
  });

  it("keeps the download off the complainant's timeline and out of its notifications", async () => {
    // Arrange
    await harness.runtime.drainStreams();

    // Act
    const [seen, notifications] = await Promise.all([
      harness.request('GET', `/api/complaints/${complaint.complaintId}`, { token: scenario.enterprise }),
      harness.request('GET', '/api/notifications', { token: scenario.enterprise }),
    ]);

    // Assert
    expect(seen.text).not.toContain('EVIDENCE_VIEWED');
    expect(notifications.text).not.toContain('EVIDENCE');
  });

  it('lets the complainant download its own file without adding to the audit trail', async () => {
    // Arrange
    const before = await harness.request('GET', `/api/cases/${complaint.caseId}`, { token: scenario.admin });

    // Act
    const own = await harness.request('GET', `/api/files/${fileId}`, { token: scenario.enterprise });

    // Assert
    expect(own.status).toBe(200);
    const after = await harness.request('GET', `/api/cases/${complaint.caseId}`, { token: scenario.admin });
    expect(after.body.audit.length).toBe(before.body.audit.length);
  });

  it('answers 404 to the association, as the complainant did not disclose its identity', async () => {
    // Act
    const refused = await harness.request('GET', `/api/files/${fileId}`, { token: scenario.association });

    // Assert
    expect(refused.status).toBe(404);
  });

  it('lets every complainant of the case read the decision it rests on, and the association once it orders rectification', async () => {
    // Arrange
    const review = await openTaskOf(harness, scenario.regulator, complaint.caseId, 'REVIEW');
    const decisionFile = await screenedUpload(scenario.regulator, 'DECISION');
    const decided = await completeTask(harness, scenario.regulator, review.taskId, {
      ...decisions.abolish,
      attachments: [decisionFile],
    });
    expect(decided.status, decided.text).toBe(200);

    // Act
    const [complainant, association] = await Promise.all([
      harness.request('GET', `/api/files/${decisionFile}`, { token: scenario.enterprise }),
      harness.request('GET', `/api/files/${decisionFile}`, { token: scenario.association }),
    ]);

    // Assert
    expect([complainant.status, association.status]).toEqual([200, 200]);
  });
});
