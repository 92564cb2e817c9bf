/**
 * The items that open a fee case, for whoever opens one (intake with its first complaint, an office
 * without a complainant): the case item, the fee's pointer, the case's reference and its opening
 * event, pending for the case journal. Written in the opener's own transaction beside what it adds;
 * the stream then links the opening event and starts the case's workflow (execution named after the
 * case), so opening a case needs no other call.
 */
import { pendingEventPut } from '#shared/adapters/dynamodb/case-journal';
import { caseItem } from '#shared/adapters/dynamodb/items';
import { feeKeyItemKey, referenceKey } from '#shared/adapters/dynamodb/keys';
import type { TransactItem } from '#shared/adapters/dynamodb/table-io';
import type { CaseEventDraft } from '#shared/domain/case-event';
import type { FeeCase } from '#shared/domain/fee-case';

/**
 * Names what a reference number points at; put only if absent, so even a counter that was reset could
 * never give two complaints or cases one reference.
 */
export const referencePut = (
  TableName: string,
  reference: string,
  target: Record<string, string>,
): TransactItem => ({
  Put: {
    TableName,
    Item: { ...referenceKey(reference), entity: 'Reference', reference, ...target },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * The fee's pointer to its open case, naming the office that handles it (the journal keeps that
 * current), so a filing learns where the fee stands from this one item.
 */
const feePointer = (feeCase: FeeCase) => ({
  ...feeKeyItemKey(feeCase.feeKey),
  entity: 'FeeKey',
  caseId: feeCase.caseId,
  open: true,
  province: feeCase.province,
  ...(feeCase.agency ? { agency: feeCase.agency } : {}),
});

/**
 * Opens `feeCase` (fresh from `openedCase`) with `opening` as its first event; the pointer's condition
 * fails when the fee already has an open case, or with `firstOfFee` when it has had any case.
 */
export const caseOpeningItems = (
  TableName: string,
  feeCase: FeeCase,
  opening: { id: string; draft: CaseEventDraft },
  { firstOfFee = false }: { firstOfFee?: boolean } = {},
): TransactItem[] => [
  { Put: { TableName, Item: caseItem(feeCase), ConditionExpression: 'attribute_not_exists(pk)' } },
  {
    Put: {
      TableName,
      Item: feePointer(feeCase),
      ...(firstOfFee
        ? // Written before reading the pointer: a closed case would go unnamed as the previous one.
          { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            // A closed pointer may be taken over by the new case; an open one means another opened it first.
            ConditionExpression: 'attribute_not_exists(pk) OR #open = :false',
            ExpressionAttributeNames: { '#open': 'open' },
            ExpressionAttributeValues: { ':false': false },
          }),
    },
  },
  pendingEventPut(TableName, {
    caseId: feeCase.caseId,
    id: opening.id,
    at: feeCase.openedAt,
    draft: opening.draft,
  }),
  ...(feeCase.reference ? [referencePut(TableName, feeCase.reference, { caseId: feeCase.caseId })] : []),
];
