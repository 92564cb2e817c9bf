/**
 * Planning the attaching of named uploads (shared/evidence/attach.ts): which uploads may be named, the
 * records the target keeps, and what a replay leaves to write; a declaration's files, which a later
 * version of the year may name again, under the limits the declaration gives.
 */
import { describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors';
import {
  type DeclarationEvidenceTarget,
  type EvidenceTarget,
  type EvidenceUpload,
  MAX_ATTACHMENTS,
  MAX_EVIDENCE_FILE_BYTES,
} from '#shared/domain/evidence';
import {
  type AttachmentLimits,
  type AttachRequest,
  attachmentRecord,
  planAttachment,
} from '#shared/evidence/attach';
import { uploadRecord } from '#test/support/evidence';

const target: EvidenceTarget = { kind: 'COMPLAINT', complaintId: 'complaint-1', caseId: 'case-1' };

const clean = (overrides: Partial<EvidenceUpload> = {}): EvidenceUpload =>
  uploadRecord({ owner: 'enterprise-1', status: 'CLEAN', storedSize: 1500, ...overrides });

const plan = (named: EvidenceUpload[], overrides: Partial<AttachRequest> = {}) =>
  planAttachment(new Map(named.map((upload) => [upload.uploadId, upload])), {
    uploadIds: named.map((upload) => upload.uploadId),
    owner: 'enterprise-1',
    party: 'ENTERPRISE',
    purpose: 'COMPLAINT',
    target,
    ...overrides,
  });

const reasonOf = (attempt: () => unknown) => {
  try {
    attempt();
  } catch (error) {
    if (error instanceof ConflictError) return error.reason;
    throw error;
  }
  return undefined;
};

describe('planAttachment', () => {
  it('records each named file with its screened size, in the order named', () => {
    // Arrange
    const [first, second] = [
      clean({ fileName: 'a.pdf' }),
      clean({ fileName: 'b.png', contentType: 'image/png' }),
    ];

    // Act
    const planned = plan([first, second] as EvidenceUpload[]);

    // Assert
    expect(planned.records.map((record) => [record.fileName, record.size])).toEqual([
      ['a.pdf', 1500],
      ['b.png', 1500],
    ]);
    expect(planned.bytes).toBe(3000);
  });

  it('leaves nothing to write for uploads already attached to the same target (a replay)', () => {
    // Arrange
    const attached = clean({ attachedTo: { ...target } });

    // Act
    const planned = plan([attached]);

    // Assert
    expect(planned.uploadIds).toEqual([]);
    expect(planned.bytes).toBe(0);
    expect(planned.records).toHaveLength(1);
  });

  it.each([
    ['an unknown upload', undefined, 'evidence_unknown'],
    ["someone else's upload", { owner: 'enterprise-2' }, 'evidence_unknown'],
    ['an upload being screened', { status: 'PENDING' as const }, 'evidence_not_screened'],
    [
      'a refused upload',
      { status: 'REFUSED' as const, reason: 'TYPE_MISMATCH' as const },
      'evidence_refused',
    ],
    ['an upload for an answer', { purpose: 'INFO' as const }, 'evidence_wrong_purpose'],
    [
      'an upload attached to another complaint',
      { attachedTo: { ...target, complaintId: 'complaint-2' } },
      'evidence_attached_elsewhere',
    ],
  ])('refuses %s', (_what, overrides, expected) => {
    // Arrange
    const upload = clean(overrides);
    const uploads = overrides === undefined ? new Map() : new Map([[upload.uploadId, upload]]);

    // Act
    const reason = reasonOf(() =>
      planAttachment(uploads, {
        uploadIds: [upload.uploadId],
        owner: 'enterprise-1',
        party: 'ENTERPRISE',
        purpose: 'COMPLAINT',
        target,
      }),
    );

    // Assert
    expect(reason).toBe(expected);
  });

  it('refuses more files than a complaint may hold, counting those it has', () => {
    // Arrange
    const had = Array.from({ length: MAX_ATTACHMENTS - 1 }, () => clean({ attachedTo: { ...target } }));
    const more = [clean(), clean()];

    // Act
    const reason = reasonOf(() => plan(more, { attached: had.map(attachmentRecord) }));

    // Assert
    expect(reason).toBe('evidence_too_many');
  });

  it('refuses at once files that alone pass the 50 MB of a party on a case', () => {
    // Arrange
    const large = Array.from({ length: 6 }, () =>
      clean({ size: MAX_EVIDENCE_FILE_BYTES, storedSize: MAX_EVIDENCE_FILE_BYTES }),
    );

    // Act
    const reason = reasonOf(() => plan(large));

    // Assert
    expect(reason).toBe('evidence_case_limit');
  });
});

describe('planAttachment for a declaration', () => {
  const declaration = (version: number): DeclarationEvidenceTarget => ({
    kind: 'DECLARATION',
    creditCode: '51110000MJ0000001A',
    year: 2026,
    version,
  });
  const declared = (overrides: Partial<EvidenceUpload> = {}) =>
    clean({ owner: 'association-1', party: 'ASSOCIATION', purpose: 'DECLARATION', ...overrides });
  const planFor = (named: EvidenceUpload[], version: number, limits?: AttachmentLimits) =>
    planAttachment(new Map(named.map((upload) => [upload.uploadId, upload])), {
      uploadIds: named.map((upload) => upload.uploadId),
      owner: 'association-1',
      party: 'ASSOCIATION',
      purpose: 'DECLARATION',
      target: declaration(version),
      ...(limits ? { limits } : {}),
    });

  it('lets a later version of the year name a file an earlier one attached, writing nothing for it', () => {
    // Arrange
    const charter = declared({ attachedTo: declaration(1) });

    // Act
    const planned = planFor([charter], 2);

    // Assert
    expect(planned.records.map((record) => record.fileId)).toEqual([charter.uploadId]);
    expect(planned.uploadIds).toEqual([]);
    expect(planned.bytes).toBe(0);
  });

  it("refuses a file of another year's declaration", () => {
    // Arrange
    const earlier = declared({ attachedTo: { ...declaration(1), year: 2025 } });

    // Act
    const reason = reasonOf(() => planFor([earlier], 1));

    // Assert
    expect(reason).toBe('evidence_attached_elsewhere');
  });

  it('holds the limits it is given instead of a case’s', () => {
    // Arrange
    const files = Array.from({ length: MAX_ATTACHMENTS + 1 }, () => declared());
    const budget = new ConflictError('over budget', { reason: 'evidence_declaration_limit' });
    const limits = (count: number, bytes: number): AttachmentLimits => ({
      files: count,
      bytes,
      exceeded: () => budget,
    });

    // Act
    const many = planFor(files, 1, limits(50, MAX_EVIDENCE_FILE_BYTES * 50));
    const overBudget = reasonOf(() => planFor(files, 1, limits(50, 1500 * MAX_ATTACHMENTS)));
    const tooMany = reasonOf(() => planFor(files, 1, limits(MAX_ATTACHMENTS, MAX_EVIDENCE_FILE_BYTES * 50)));

    // Assert
    expect(many.uploadIds).toHaveLength(MAX_ATTACHMENTS + 1);
    expect(overBudget).toBe('evidence_declaration_limit');
    expect(tooMany).toBe('evidence_too_many');
  });
});
