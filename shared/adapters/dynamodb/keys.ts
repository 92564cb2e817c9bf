/** Key layout of the single table (docs/data-model.md). */
import { hash } from 'node:crypto';

export const complaintKey = (complaintId: string) => ({ pk: `COMPLAINT#${complaintId}`, sk: 'COMPLAINT' });
export const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' });
/** Marks an enterprise account (`enterpriseId`) as a complainant of the case. */
export const caseEnterpriseKey = (caseId: string, enterpriseId: string) => ({
  pk: `CASE#${caseId}`,
  sk: `ENTERPRISE#${enterpriseId}`,
});
export const caseEventKey = (caseId: string, at: string, seq: number) => ({
  pk: `CASE#${caseId}`,
  sk: `EVENT#${at}#${String(seq).padStart(6, '0')}`,
});
/** Prefix of a case's pending events (`case-journal.ts`), which sort after its linked ones. */
export const pendingCaseEventPrefix = 'PENDING#';
/**
 * A filing's audit event until the case journal links it: the opening event sorts first, the others by
 * filing time, so the journal reads them in the order it links them.
 */
export const pendingCaseEventKey = (caseId: string, at: string, id: string, opening: boolean) => ({
  pk: `CASE#${caseId}`,
  sk: `${pendingCaseEventPrefix}${opening ? 0 : 1}#${at}#${id}`,
});
export const feeKeyItemKey = (feeKey: string) => ({ pk: feeKey, sk: 'FEEKEY' });
/**
 * One receipt per enterprise account and key: two accounts never collide on a key. The client's key
 * is hashed so its text never has to be a valid key fragment.
 */
export const idempotencyKey = (enterpriseId: string, key: string) => ({
  pk: `IDEMPOTENCY#${enterpriseId}#${hash('sha256', key, 'base64url')}`,
  sk: 'IDEMPOTENCY',
});
/** The complaints one enterprise account (`enterpriseId`) filed, in gsi1. */
export const enterpriseComplaintsPartition = (enterpriseId: string) => `ENTERPRISE#${enterpriseId}`;
/** Counts the references of one year and province. */
export const referenceSequenceKey = (year: string, province: string) => ({
  pk: `REFERENCE_SEQUENCE#${year}#${province}`,
  sk: 'REFERENCE_SEQUENCE',
});
/** What a reference number names: a complaint or a case. */
export const referenceKey = (reference: string) => ({ pk: `REFERENCE#${reference}`, sk: 'REFERENCE' });
export const taskKey = (taskId: string) => ({ pk: `TASK#${taskId}`, sk: 'TASK' });
/** A party's notification settings, one item per user: the sender lists a party's people in one query. */
export const notificationSettingsPartition = (recipientKey: string) => `SUBSCRIBERS#${recipientKey}`;
export const notificationSettingsKey = (recipientKey: string, subject: string) => ({
  pk: notificationSettingsPartition(recipientKey),
  sk: `SUBSCRIBER#${subject}`,
});
/** The sent marker of one delivery; the address only as a hash, so the marker names nobody. */
export const deliveryMarkerKey = (notificationId: string, channel: string, address: string) => ({
  pk: `NOTIFICATION#${notificationId}`,
  sk: `DELIVERY#${channel}#${hash('sha256', address.trim().toLowerCase(), 'base64url')}`,
});
/** An evidence upload; while unattached it is also in gsi4 under `unreferencedUploadsPartition`, by expiry. */
export const uploadKey = (uploadId: string) => ({ pk: `UPLOAD#${uploadId}`, sk: 'UPLOAD' });
export const unreferencedUploadsPartition = 'UPLOADS#UNREFERENCED';
/** Bytes of evidence one party attached to a case (`bytes`), held under MAX_CASE_EVIDENCE_BYTES_PER_PARTY. */
export const caseEvidenceKey = (caseId: string, party: string) => ({
  pk: `CASE_EVIDENCE#${caseId}`,
  sk: `PARTY#${party}`,
});
/** An association of the register, by credit code. */
export const registryEntryKey = (creditCode: string) => ({ pk: `REGISTRY#${creditCode}`, sk: 'ASSOCIATION' });
/** An association's self-inspection declarations: one head per year naming its latest version. */
export const declarationsPartition = (creditCode: string) => `DECLARATION#${creditCode}`;
export const declarationHeadKey = (creditCode: string, year: number) => ({
  pk: declarationsPartition(creditCode),
  sk: `YEAR#${year}`,
});
/** One version of a year's declaration; versions sort in order under the year. */
export const declarationVersionKey = (creditCode: string, year: number, version: number) => ({
  pk: declarationsPartition(creditCode),
  sk: `YEAR#${year}#V#${String(version).padStart(6, '0')}`,
});
/** The bytes of files an association attached to its declarations of a year (every version together). */
export const declarationEvidenceKey = (creditCode: string, year: number) => ({
  pk: declarationsPartition(creditCode),
  sk: `EVIDENCE#${year}`,
});
/** An official's download of a declaration's file: the declaration's audit trail, in time order. */
export const declarationFileViewKey = (creditCode: string, at: string, fileId: string, subject: string) => ({
  pk: declarationsPartition(creditCode),
  sk: `VIEWED#${at}#${fileId}#${subject}`,
});
/** Marks that the deadline run of a year went through every registered association. */
export const declarationDeadlineRunKey = (year: number) => ({
  pk: `DECLARATION#RUN#${year}`,
  sk: 'DEADLINE_RUN',
});
/** A typical case (典型案例), by id. */
export const typicalCaseKey = (typicalCaseId: string) => ({
  pk: `TYPICAL_CASE#${typicalCaseId}`,
  sk: 'TYPICAL_CASE',
});
/**
 * The registered credit codes of the normalized association names of one bucket (256 buckets by a
 * hash of the name): an import rewrites a few hundred items, not one per association.
 */
export const registryNameBucketOf = (normalizedName: string) =>
  hash('sha256', normalizedName, 'hex').slice(0, 2);
export const registryNameKey = (bucket: string) => ({ pk: `REGISTRY_NAME#${bucket}`, sk: 'NAMES' });
/** The register's compact index: its head names the current version, whose chunks follow it. */
export const registryIndexPartition = 'REGISTRY_IMPORT#INDEX';
export const registryIndexHeadKey = { pk: registryIndexPartition, sk: 'HEAD' };
export const registryIndexChunkKey = (version: string, chunk: number) => ({
  pk: registryIndexPartition,
  sk: `CHUNK#${version}#${String(chunk).padStart(4, '0')}`,
});
/** Held by the running import of the register. */
export const registryImportLockKey = { pk: 'REGISTRY_IMPORT#LOCK', sk: 'LOCK' };
