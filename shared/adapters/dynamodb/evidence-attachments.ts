/**
 * Attaching named uploads inside the transaction of the write that names them: one conditional update
 * per upload (`attachUploadItem`) and the party's byte total on the case (`CASE_EVIDENCE#`), added under
 * the per-party limit. A cancelled transaction tells which of these conditions failed.
 */
import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import { attachUploadItem } from '#shared/adapters/dynamodb/evidence-uploads';
import { caseEvidenceKey } from '#shared/adapters/dynamodb/keys';
import type { TransactItem } from '#shared/adapters/dynamodb/table-io';
import type { ConflictError } from '#shared/domain/errors';
import { MAX_CASE_EVIDENCE_BYTES_PER_PARTY } from '#shared/domain/evidence';
import { caseLimitReached, type EvidenceAttachment, uploadMoved } from '#shared/evidence/attach';

/** The uploads' updates, then the byte total's (absent when nothing new is attached). */
export const attachmentItems = (
  TableName: string,
  attachment: EvidenceAttachment | undefined,
  at: string,
): TransactItem[] => {
  if (!attachment || attachment.uploadIds.length === 0) return [];
  const { target, owner, purpose, party, bytes } = attachment;
  return [
    ...attachment.uploadIds.map((uploadId) =>
      attachUploadItem(TableName, { uploadId, owner, purpose, target, at }),
    ),
    {
      Update: {
        TableName,
        Key: caseEvidenceKey(target.caseId, party),
        UpdateExpression: 'SET entity = :entity, caseId = :caseId, party = :party ADD #bytes :added',
        ConditionExpression: 'attribute_not_exists(#bytes) OR #bytes <= :room',
        ExpressionAttributeNames: { '#bytes': 'bytes' },
        ExpressionAttributeValues: {
          ':entity': 'CaseEvidence',
          ':caseId': target.caseId,
          ':party': party,
          ':added': bytes,
          ':room': MAX_CASE_EVIDENCE_BYTES_PER_PARTY - bytes,
        },
      },
    },
  ];
};

/**
 * Why a transaction that carried `attachmentItems` from `first` on was cancelled by them, or undefined
 * when their conditions held (something else moved).
 */
export const attachmentConflict = (
  reasons: readonly CancellationReason[],
  first: number,
  attachment: EvidenceAttachment | undefined,
): ConflictError | undefined => {
  if (!attachment || attachment.uploadIds.length === 0) return undefined;
  const failed = (index: number) => reasons[index]?.Code === 'ConditionalCheckFailed';
  if (attachment.uploadIds.some((_, i) => failed(first + i))) return uploadMoved();
  return failed(first + attachment.uploadIds.length) ? caseLimitReached() : undefined;
};
