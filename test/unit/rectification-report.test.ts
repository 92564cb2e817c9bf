/**
 * The association's rectification report as a message: it rests on evidence, typed references or
 * attached files or both.
 */
import { describe, expect, it } from 'vitest';
import { RectificationReport } from '#shared/tasks/messages';

const uploadId = '0f8fad5b-d9cb-469f-a165-70867728950e';

const refusals = (body: unknown) => {
  const result = RectificationReport.safeParse(body);
  return result.success
    ? []
    : result.error.issues.map((issue) => [
        issue.path.join('.'),
        (issue as { params?: { code?: string } }).params?.code,
      ]);
};

describe('RectificationReport', () => {
  // biome-ignore format: a table
  it.each([
    ['typed references only', { evidence: [{ kind: 'REFUND_RECEIPT', reference: '退款凭证 2026-118' }] }],
    ['attached files only',   { attachments: [uploadId] }],
    ['both',                  { evidence: [{ kind: 'NOTICE', reference: '取消收费通知' }], attachments: [uploadId] }],
  ])('takes a report resting on %s', (_what, evidence) => {
    // Act
    const refused = refusals({ abolished: true, refundedFen: 0, ...evidence });

    // Assert
    expect(refused).toEqual([]);
  });

  it.each([
    ['no evidence at all', {}],
    ['empty lists', { evidence: [], attachments: [] }],
  ])('refuses a report with %s, naming evidence', (_what, evidence) => {
    // Act
    const refused = refusals({ abolished: true, refundedFen: 0, ...evidence });

    // Assert
    expect(refused).toEqual([['evidence', 'evidence_required']]);
  });
});
