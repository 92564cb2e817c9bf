/**
 * oidc-provider's storage in the campaign's table, so sessions, codes and refresh tokens outlive a
 * restart. One item per artifact (`OIDC#<model>#<id>`), expiring by the table's TTL on `expiresAt`
 * (epoch seconds; reads check it too, since TTL deletes late). Sessions are also found by their uid
 * (`OIDC_UID#<uid>`), and every artifact of a grant is listed under `OIDC_GRANT#<grantId>` so
 * revoking the grant deletes them all; neither lookup needs an index.
 */
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Adapter, AdapterPayload } from 'oidc-provider';

export const oidcArtifactEntity = 'OidcArtifact';
const artifactKey = (model: string, id: string) => ({ pk: `OIDC#${model}#${id}`, sk: 'OIDC' });
const uidKey = (uid: string) => ({ pk: `OIDC_UID#${uid}`, sk: 'OIDC_UID' });
const grantMemberKey = (grantId: string, model: string, id: string) => ({
  pk: `OIDC_GRANT#${grantId}`,
  sk: `${model}#${id}`,
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

export class TableOidcAdapter implements Adapter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly model: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const expiresAt = expiresIn ? nowSeconds() + expiresIn : undefined;
    const common = { entity: oidcArtifactEntity, model: this.model, id, expiresAt };
    const items: Record<string, unknown>[] = [
      { ...artifactKey(this.model, id), ...common, payload: JSON.stringify(payload) },
    ];
    if (payload.uid && this.model === 'Session') items.push({ ...uidKey(payload.uid), ...common });
    if (payload.grantId) items.push({ ...grantMemberKey(payload.grantId, this.model, id), ...common });
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: items.map((Item) => ({ Put: { TableName: this.tableName, Item } })),
      }),
    );
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: artifactKey(this.model, id), ConsistentRead: true }),
    );
    if (!Item || (typeof Item.expiresAt === 'number' && Item.expiresAt <= nowSeconds())) return undefined;
    const payload = JSON.parse(String(Item.payload)) as AdapterPayload;
    return typeof Item.consumed === 'number' ? { ...payload, consumed: Item.consumed } : payload;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: uidKey(uid), ConsistentRead: true }),
    );
    return typeof Item?.id === 'string' ? this.find(Item.id) : undefined;
  }

  /** The device flow is off, so no user codes are ever stored. */
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async consume(id: string): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: artifactKey(this.model, id),
          UpdateExpression: 'SET #consumed = :now',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#consumed': 'consumed' },
          ExpressionAttributeValues: { ':now': nowSeconds() },
        }),
      )
      .catch((error: Error) => {
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
  }

  async destroy(id: string): Promise<void> {
    const stored = await this.find(id);
    const keys = [artifactKey(this.model, id)];
    if (stored?.uid && this.model === 'Session') keys.push(uidKey(stored.uid));
    if (stored?.grantId) keys.push(grantMemberKey(stored.grantId, this.model, id));
    await this.deleteAll(keys);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `OIDC_GRANT#${grantId}` },
          ExclusiveStartKey: cursor,
        }),
      );
      const keys = (page.Items ?? []).flatMap((item) => [
        { pk: String(item.pk), sk: String(item.sk) },
        artifactKey(String(item.model), String(item.id)),
      ]);
      await this.deleteAll(keys);
      cursor = page.LastEvaluatedKey;
    } while (cursor);
  }

  private async deleteAll(keys: { pk: string; sk: string }[]): Promise<void> {
    for (let start = 0; start < keys.length; start += 25) {
      let requests: Record<string, { DeleteRequest: { Key: Record<string, string> } }[]> | undefined = {
        [this.tableName]: keys.slice(start, start + 25).map((Key) => ({ DeleteRequest: { Key } })),
      };
      while (requests && Object.keys(requests).length > 0) {
        const result = await this.client.send(new BatchWriteCommand({ RequestItems: requests }));
        requests = result.UnprocessedItems as typeof requests;
      }
    }
  }
}
