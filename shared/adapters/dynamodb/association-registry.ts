/**
 * The association registry in the single table: one item per association, keyed by credit code
 * (docs/data-model.md, "Associations").
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { registryEntryKey } from '#shared/adapters/dynamodb/keys';
import type { RegisteredAssociation } from '#shared/domain/association';
import type { AssociationRegistry } from '#shared/ports/associations';

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

export class TableAssociationRegistry implements AssociationRegistry {
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
}
