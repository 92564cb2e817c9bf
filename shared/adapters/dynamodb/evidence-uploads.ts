/**
 * Evidence uploads in the single table (`UPLOAD#<uploadId>` / `UPLOAD`). While nothing names an upload
 * it also sits in gsi4 under `UPLOADS#UNREFERENCED`, sorted by the end of its 24 hours, which is where
 * the sweep finds it; attaching takes it out of that index. The table's TTL attribute is not used: a
 * record deleted by TTL would leave its file behind, so only the sweep deletes (docs/evidence.md, "Sweep").
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { unreferencedUploadsPartition, uploadKey } from '#shared/adapters/dynamodb/keys';
import { batchGet, type Item, type TransactItem } from '#shared/adapters/dynamodb/table-io';
import type { EvidencePurpose, EvidenceTarget, EvidenceUpload } from '#shared/domain/evidence';
import type { EvidenceUploads, ScreeningResult } from '#shared/ports/evidence';

export const evidenceUploadEntity = 'EvidenceUpload';

/** The record's attributes are stored as they are; `expiresAt` (ISO) only while unattached, beside the index keys. */
const uploadItem = (upload: EvidenceUpload): Item => ({
  ...uploadKey(upload.uploadId),
  entity: evidenceUploadEntity,
  ...Object.fromEntries(Object.entries(upload).filter(([name]) => name !== 'expiresAt')),
  ...(upload.expiresAt && !upload.attachedTo
    ? { unreferencedUntil: upload.expiresAt, gsi4pk: unreferencedUploadsPartition, gsi4sk: upload.expiresAt }
    : {}),
});

const uploadOf = (item: Item): EvidenceUpload => {
  const {
    pk: _pk,
    sk: _sk,
    entity: _entity,
    gsi4pk: _gsi4pk,
    gsi4sk: _gsi4sk,
    unreferencedUntil,
    ...upload
  } = item;
  return {
    ...(upload as unknown as EvidenceUpload),
    ...(typeof unreferencedUntil === 'string' ? { expiresAt: unreferencedUntil } : {}),
  };
};

/**
 * The transaction item that attaches an upload to what names it: only the owner's CLEAN upload of the
 * purpose, not attached yet, or already attached to this same target (a replay changes nothing then).
 * Attaching ends its expiry, so neither the sweep nor anything else deletes it afterwards.
 */
export const attachUploadItem = (
  tableName: string,
  attachment: {
    uploadId: string;
    owner: string;
    purpose: EvidencePurpose;
    target: EvidenceTarget;
    at: string;
  },
): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: uploadKey(attachment.uploadId),
    UpdateExpression:
      'SET attachedTo = :target, attachedAt = if_not_exists(attachedAt, :at) REMOVE unreferencedUntil, gsi4pk, gsi4sk',
    ConditionExpression:
      '#owner = :owner AND #status = :clean AND purpose = :purpose AND (attribute_not_exists(attachedTo) OR attachedTo = :target)',
    ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
    ExpressionAttributeValues: {
      ':target': attachment.target,
      ':at': attachment.at,
      ':owner': attachment.owner,
      ':clean': 'CLEAN',
      ':purpose': attachment.purpose,
    },
  },
});

const lostCondition = (error: unknown) => error instanceof ConditionalCheckFailedException;

export class DynamoEvidenceUploads implements EvidenceUploads {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(upload: EvidenceUpload): Promise<void> {
    await callDependency('DynamoDB', () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: uploadItem(upload),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(uploadId: string): Promise<EvidenceUpload | undefined> {
    const result = await callDependency('DynamoDB', () =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: uploadKey(uploadId), ConsistentRead: true }),
      ),
    );
    return result.Item ? uploadOf(result.Item) : undefined;
  }

  async getMany(uploadIds: readonly string[]): Promise<Map<string, EvidenceUpload>> {
    const items = await batchGet(
      this.db,
      this.tableName,
      [...new Set(uploadIds)].map((uploadId) => uploadKey(uploadId)),
      true,
    );
    return new Map(items.map((item) => uploadOf(item)).map((upload) => [upload.uploadId, upload]));
  }

  async recordScreening(uploadId: string, result: ScreeningResult): Promise<boolean> {
    const clean = result.status === 'CLEAN';
    try {
      await callDependency('DynamoDB', () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: uploadKey(uploadId),
            UpdateExpression: clean
              ? 'SET #status = :status, screenedAt = :at, storedSize = :storedSize, sha256 = :sha256'
              : 'SET #status = :status, screenedAt = :at, reason = :reason',
            ConditionExpression: 'attribute_exists(pk) AND #status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': result.status,
              ':at': result.screenedAt,
              ':pending': 'PENDING',
              ...(clean
                ? { ':storedSize': result.storedSize, ':sha256': result.sha256 }
                : { ':reason': result.reason }),
            },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (lostCondition(error)) return false;
      throw error;
    }
  }

  async listExpired(now: Date, limit: number): Promise<EvidenceUpload[]> {
    const result = await callDependency('DynamoDB', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi4',
          KeyConditionExpression: 'gsi4pk = :partition AND gsi4sk < :now',
          ExpressionAttributeValues: {
            ':partition': unreferencedUploadsPartition,
            ':now': now.toISOString(),
          },
          Limit: limit,
        }),
      ),
    );
    return (result.Items ?? []).map(uploadOf);
  }

  async removeUnattached(uploadId: string): Promise<boolean> {
    try {
      await callDependency('DynamoDB', () =>
        this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: uploadKey(uploadId),
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(attachedTo)',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (lostCondition(error)) return false;
      throw error;
    }
  }
}
