/**
 * The association registry in the single table: one item per association, keyed by credit code; one
 * item per normalized name listing its codes; the register's compact index in a few chunk items; and
 * the import's lock (docs/data-model.md, "Associations").
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import {
  registryEntryKey,
  registryImportLockKey,
  registryIndexChunkKey,
  registryIndexHeadKey,
  registryIndexPartition,
  registryNameBucketOf,
  registryNameKey,
} from '#shared/adapters/dynamodb/keys';
import { allItems, type BatchWriteRequest, batchWrite } from '#shared/adapters/dynamodb/table-io';
import type { AssociationLevel, AssociationStatus, RegisteredAssociation } from '#shared/domain/association';
import type {
  AssociationRegistry,
  RegisteredNames,
  RegisterIndexEntry,
  RegisterIndexSource,
  RegisterNames,
  RegistryImportStore,
} from '#shared/ports/associations';

type Item = Record<string, unknown>;

export const registryEntryItem = (association: RegisteredAssociation): Item => ({
  ...registryEntryKey(association.creditCode),
  entity: 'RegisteredAssociation',
  ...association,
});

export const registryEntryFromItem = (item: Item): RegisteredAssociation => {
  const { pk: _pk, sk: _sk, entity: _entity, ...association } = item;
  return association as unknown as RegisteredAssociation;
};

/** The name lookup of one bucket: each normalized name of the bucket with its registered credit codes. */
export const registryNameItem = (bucket: string, names: Record<string, readonly string[]>): Item => ({
  ...registryNameKey(bucket),
  entity: 'RegisteredNames',
  names,
});

/** The name buckets holding the touched names, each with every name of the register it holds. */
const touchedBuckets = ({ codesByName, touched }: RegisterNames) => {
  const buckets = new Map<string, Record<string, readonly string[]>>(
    [...touched].map((name) => [registryNameBucketOf(name), {}]),
  );
  for (const [name, codes] of codesByName) {
    const bucket = buckets.get(registryNameBucketOf(name));
    if (bucket) bucket[name] = [...codes].sort();
  }
  return buckets;
};

/**
 * Index chunks stay under DynamoDB's 400 KB item limit. One line per association, fields separated by
 * tabs (names never hold one: the import folds white space).
 */
const chunkBytes = 350_000;
/** A superseded chunk lives on for readers that loaded the old head just before, then expires. */
const supersededChunkSeconds = 3600;

const indexLine = (entry: RegisterIndexEntry) =>
  [
    entry.creditCode,
    entry.name,
    entry.province,
    entry.level,
    entry.status,
    entry.fingerprint,
    entry.registeredAt,
  ].join('\t');

const indexEntryOf = (line: string): RegisterIndexEntry => {
  const [creditCode = '', name = '', province = '', level, status, fingerprint = '', registeredAt = ''] =
    line.split('\t');
  return {
    creditCode,
    name,
    province,
    level: level as AssociationLevel,
    status: status as AssociationStatus,
    fingerprint,
    registeredAt,
  };
};

const indexChunks = (entries: readonly RegisterIndexEntry[]): string[] => {
  const chunks: string[] = [];
  let lines: string[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const line = indexLine(entry);
    const size = Buffer.byteLength(line) + 1;
    if (bytes + size > chunkBytes && lines.length > 0) {
      chunks.push(lines.join('\n'));
      lines = [];
      bytes = 0;
    }
    lines.push(line);
    bytes += size;
  }
  if (lines.length > 0) chunks.push(lines.join('\n'));
  return chunks;
};

export class TableAssociationRegistry
  implements AssociationRegistry, RegisteredNames, RegisterIndexSource, RegistryImportStore
{
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(creditCode: string): Promise<RegisteredAssociation | undefined> {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: registryEntryKey(creditCode) })),
    );
    return Item ? registryEntryFromItem(Item) : undefined;
  }

  async creditCodesNamed(normalizedName: string): Promise<string[]> {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: registryNameKey(registryNameBucketOf(normalizedName)),
          ProjectionExpression: '#names.#name',
          ExpressionAttributeNames: { '#names': 'names', '#name': normalizedName },
        }),
      ),
    );
    return [...((Item?.names as Record<string, string[]> | undefined)?.[normalizedName] ?? [])];
  }

  entries(): Promise<RegisterIndexEntry[]> {
    return this.readIndex(false);
  }

  async readIndex(consistentRead = true): Promise<RegisterIndexEntry[]> {
    const { Item: head } = await callDependency('DynamoDB', () =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: registryIndexHeadKey,
          ConsistentRead: consistentRead,
        }),
      ),
    );
    if (!head) return [];
    const chunks = await allItems(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :version)',
      ExpressionAttributeValues: { ':pk': registryIndexPartition, ':version': `CHUNK#${head.version}#` },
      ConsistentRead: consistentRead,
    });
    return chunks.flatMap((chunk) => String(chunk.lines).split('\n').map(indexEntryOf));
  }

  async write(change: { associations: RegisteredAssociation[]; names: RegisterNames }): Promise<void> {
    const requests: BatchWriteRequest[] = [
      ...change.associations.map((association) => ({ PutRequest: { Item: registryEntryItem(association) } })),
      ...[...touchedBuckets(change.names)].map(([bucket, names]) => ({
        PutRequest: { Item: registryNameItem(bucket, names) },
      })),
    ];
    await batchWrite(this.db, this.tableName, requests);
  }

  async writeIndex(entries: readonly RegisterIndexEntry[], importId: string, at: Date): Promise<void> {
    const { Item: head } = await callDependency('DynamoDB', () =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: registryIndexHeadKey, ConsistentRead: true }),
      ),
    );
    const chunks = indexChunks(entries);
    await batchWrite(
      this.db,
      this.tableName,
      chunks.map((lines, i) => ({
        PutRequest: { Item: { ...registryIndexChunkKey(importId, i), entity: 'RegisterIndexChunk', lines } },
      })),
    );
    await callDependency('DynamoDB', () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...registryIndexHeadKey,
            entity: 'RegisterIndexHead',
            version: importId,
            chunks: chunks.length,
            associations: entries.length,
            importedAt: at.toISOString(),
          },
        }),
      ),
    );
    if (!head) return;
    const expiresAt = Math.floor(at.getTime() / 1000) + supersededChunkSeconds;
    await Promise.all(
      Array.from({ length: Number(head.chunks) }, (_, i) =>
        callDependency('DynamoDB', () =>
          this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: registryIndexChunkKey(String(head.version), i),
              UpdateExpression: 'SET expiresAt = :expiresAt',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':expiresAt': expiresAt },
            }),
          ),
        ).catch((error: Error) => {
          if (error.name !== 'ConditionalCheckFailedException') throw error;
        }),
      ),
    );
  }

  async lock(importId: string, until: Date): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...registryImportLockKey,
            entity: 'RegistryImportLock',
            importId,
            heldUntil: until.toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR heldUntil < :now',
          ExpressionAttributeValues: { ':now': new Date().toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      return callDependency('DynamoDB', () => Promise.reject(error));
    }
  }

  async unlock(importId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: registryImportLockKey,
          ConditionExpression: 'importId = :importId',
          ExpressionAttributeValues: { ':importId': importId },
        }),
      );
    } catch (error) {
      // Lapsed and taken by another import: that import holds it now.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}
