/**
 * The accounts' audit trail (docs/accounts.md, "Audit"): one chain for every account change of the
 * campaign, linked and keyed with the audit key as the cases' trails are (ADR 0009). Its head item
 * holds the latest `seq` and link; an event is written with the head in one transaction on the
 * condition that the head did not move, and tried again on the new head when it did.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountAudit, AccountEventDraft } from '#shared/accounts/ports';
import { callDependency } from '#shared/adapters/aws-errors';
import { transact } from '#shared/adapters/dynamodb/table-io';
import { type AuditSeal, genesisHash, keyedLink, keyedLinkOf } from '#shared/domain/case-event';
import { DependencyUnavailableError } from '#shared/domain/errors';

export const accountAuditPartition = 'AUDIT#ACCOUNTS';
export const accountAuditHeadKey = { pk: accountAuditPartition, sk: 'HEAD' } as const;
/** Sort keys in `seq` order. */
export const accountEventKey = (seq: number) => ({
  pk: accountAuditPartition,
  sk: `EVENT#${String(seq).padStart(12, '0')}`,
});

export interface AccountEvent extends AccountEventDraft {
  seq: number;
  at: string;
  previousHash: string;
  link: typeof keyedLink;
  hash: string;
}

const attempts = 10;

export class DynamoAccountAudit implements AccountAudit {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly seal: AuditSeal,
  ) {}

  async record(draft: AccountEventDraft, at: string): Promise<void> {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const { Item: head } = await callDependency('DynamoDB', () =>
        this.db.send(
          new GetCommand({ TableName: this.tableName, Key: accountAuditHeadKey, ConsistentRead: true }),
        ),
      );
      const previous = head
        ? { seq: Number(head.seq), link: String(head.link) }
        : { seq: 0, link: genesisHash };
      const unlinked = {
        ...draft,
        seq: previous.seq + 1,
        at,
        previousHash: previous.link,
        link: keyedLink,
      } as const;
      const event: AccountEvent = { ...unlinked, hash: await keyedLinkOf(unlinked, this.seal) };
      const outcome = await transact(this.db, [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...accountEventKey(event.seq), entity: 'AccountEvent', ...event },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...accountAuditHeadKey, entity: 'AccountAuditHead', seq: event.seq, link: event.hash },
            ...(head
              ? { ConditionExpression: 'seq = :seq', ExpressionAttributeValues: { ':seq': previous.seq } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
      ]);
      if (outcome.committed) return;
    }
    throw new DependencyUnavailableError('The accounts audit trail kept moving; please retry');
  }
}
