/**
 * Evidence upload records through the real DynamoDB adapter against DynamoDB Local: screening recorded
 * once, attaching only what the rules allow, and the sweep's view of what expired.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attachUploadItem, DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { transact } from '#shared/adapters/dynamodb/table-io';
import type { EvidenceTarget, EvidenceUpload } from '#shared/domain/evidence';
import { useTestTable } from '#test/support/table';

const { documentClient, tableName } = await useTestTable();
const uploads = new DynamoEvidenceUploads(documentClient, tableName);

/** A PENDING upload; `expiresAt` far in the past or future keeps tests sharing the table apart. */
const pendingUpload = (overrides: Partial<EvidenceUpload> = {}): EvidenceUpload => ({
  uploadId: randomUUID(),
  purpose: 'COMPLAINT',
  fileName: '收费通知.pdf',
  contentType: 'application/pdf',
  size: 2048,
  party: 'ENTERPRISE',
  owner: 'enterprise-subject-1',
  ownerCreditCode: '91440300MA5FUTURE1',
  uploadedAt: '2026-12-01T02:00:00.000Z',
  expiresAt: '2026-12-02T02:00:00.000Z',
  status: 'PENDING',
  ...overrides,
});

const clean = {
  status: 'CLEAN',
  storedSize: 2000,
  sha256: 'ab'.repeat(32),
  screenedAt: '2026-12-01T02:00:05.000Z',
} as const;

const attach = (upload: EvidenceUpload, target: EvidenceTarget, owner = upload.owner) =>
  transact(documentClient, [
    attachUploadItem(tableName, {
      uploadId: upload.uploadId,
      owner,
      purpose: upload.purpose,
      target,
      at: '2026-12-01T03:00:00.000Z',
    }),
  ]);

const complaintTarget = (): EvidenceTarget => ({
  kind: 'COMPLAINT',
  complaintId: randomUUID(),
  caseId: randomUUID(),
});

describe('DynamoEvidenceUploads', () => {
  it('reads back a created upload as it was given', async () => {
    // Arrange
    const upload = pendingUpload();

    // Act
    await uploads.create(upload);

    // Assert
    expect(await uploads.get(upload.uploadId)).toEqual(upload);
  });

  it('records screening once: a repeated event finds it screened', async () => {
    // Arrange
    const upload = pendingUpload();
    await uploads.create(upload);

    // Act
    const first = await uploads.recordScreening(upload.uploadId, clean);
    const again = await uploads.recordScreening(upload.uploadId, {
      status: 'REFUSED',
      reason: 'TYPE_MISMATCH',
      screenedAt: clean.screenedAt,
    });

    // Assert
    expect([first, again]).toEqual([true, false]);
    expect(await uploads.get(upload.uploadId)).toMatchObject({ status: 'CLEAN', storedSize: 2000 });
  });

  it('attaches a clean upload of its owner, and a replay to the same target changes nothing', async () => {
    // Arrange
    const upload = pendingUpload();
    await uploads.create(upload);
    await uploads.recordScreening(upload.uploadId, clean);
    const target = complaintTarget();

    // Act
    const first = await attach(upload, target);
    const replay = await attach(upload, target);

    // Assert
    expect([first.committed, replay.committed]).toEqual([true, true]);
    const stored = await uploads.get(upload.uploadId);
    expect(stored).toMatchObject({ attachedTo: target, attachedAt: '2026-12-01T03:00:00.000Z' });
    expect(stored?.expiresAt).toBeUndefined();
  });

  it.each([
    ['still pending', false, 'enterprise-subject-1', false],
    ['of someone else', true, 'enterprise-subject-2', false],
    ['attached elsewhere', true, 'enterprise-subject-1', true],
  ])('refuses to attach an upload %s', async (_, screened, owner, attachedElsewhere) => {
    // Arrange
    const upload = pendingUpload();
    await uploads.create(upload);
    if (screened) await uploads.recordScreening(upload.uploadId, clean);
    if (attachedElsewhere) await attach(upload, complaintTarget());

    // Act
    const outcome = await attach(upload, complaintTarget(), owner);

    // Assert
    expect(outcome.committed).toBe(false);
  });

  it('lists unattached uploads whose time ran out, and never an attached one', async () => {
    // Arrange: a far-past day no other test uses
    const expired = pendingUpload({ expiresAt: '2001-01-01T00:00:00.000Z' });
    const attached = pendingUpload({ expiresAt: '2001-01-01T00:00:01.000Z' });
    const current = pendingUpload({ expiresAt: '2001-01-03T00:00:00.000Z' });
    for (const upload of [expired, attached, current]) await uploads.create(upload);
    await uploads.recordScreening(attached.uploadId, clean);
    await attach(attached, complaintTarget());

    // Act
    const listed = await uploads.listExpired(new Date('2001-01-02T00:00:00.000Z'), 100);

    // Assert
    expect(listed.map((upload) => upload.uploadId)).toEqual([expired.uploadId]);
  });

  it('removes an unattached upload but keeps one attached meanwhile', async () => {
    // Arrange
    const unattached = pendingUpload();
    const attached = pendingUpload();
    for (const upload of [unattached, attached]) await uploads.create(upload);
    await uploads.recordScreening(attached.uploadId, clean);
    await attach(attached, complaintTarget());

    // Act
    const removed = await uploads.removeUnattached(unattached.uploadId);
    const kept = await uploads.removeUnattached(attached.uploadId);

    // Assert
    expect([removed, kept]).toEqual([true, false]);
    expect(await uploads.get(unattached.uploadId)).toBeUndefined();
    expect(await uploads.get(attached.uploadId)).toBeDefined();
  });
});
