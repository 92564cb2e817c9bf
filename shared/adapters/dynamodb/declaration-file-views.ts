/**
 * Officials' downloads of declarations' files, under the declaration's partition
 * (`DECLARATION#<code>` / `VIEWED#<at>#<fileId>#<subject>`): a declaration has no case whose audit
 * trail could hold them. Its own module, so the evidence function loads nothing of self-inspection.
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { declarationFileViewKey } from '#shared/adapters/dynamodb/keys';
import type { DeclarationFileView, DeclarationFileViews } from '#shared/ports/evidence';

export class DynamoDeclarationFileViews implements DeclarationFileViews {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordView(view: DeclarationFileView): Promise<void> {
    await callDependency('DynamoDB', () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...declarationFileViewKey(view.creditCode, view.at, view.fileId, view.actor.subject),
            entity: 'DeclarationFileViewed',
            ...view,
          },
        }),
      ),
    );
  }
}
