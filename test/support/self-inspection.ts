/** Self-inspection fixtures: registry entries put in place (the import is another part's) and declarations. */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { registryEntryItem } from '#shared/adapters/dynamodb/association-registry';
import type { RegisteredAssociation } from '#shared/domain/association';
import { provinceOfCreditCode } from '#shared/domain/credit-code';

/** A register entry as an import leaves it: ACTIVE, provincial, registered by the province's 民政厅. */
export const registeredAssociation = (
  creditCode: string,
  overrides: Partial<RegisteredAssociation> = {},
): RegisteredAssociation => ({
  creditCode,
  name: 'Widget Industry Association',
  level: 'PROVINCIAL',
  registeringAuthority: '广东省民政厅',
  memberCount: 120,
  status: 'ACTIVE',
  province: provinceOfCreditCode(creditCode),
  registeredAt: '2026-01-05T00:00:00.000Z',
  updatedAt: '2026-01-05T00:00:00.000Z',
  ...overrides,
});

export const registerAssociations = async (
  table: { documentClient: DynamoDBDocumentClient; tableName: string },
  codes: readonly string[],
  overrides: Partial<RegisteredAssociation> = {},
) => {
  for (const code of codes)
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: registryEntryItem(registeredAssociation(code, overrides)),
      }),
    );
};

/** A fee no rule fires on: dues adopted by the member assembly, voluntary, served, standard published. */
export const lawfulDues = {
  name: '会费',
  category: 'MEMBERSHIP_DUES',
  tiers: [
    { label: '会长单位', amountFen: 5_000_000 },
    { label: '会员单位', amountFen: 500_000 },
  ],
  period: 'ANNUAL',
  basis: { kind: 'MEMBER_ASSEMBLY', text: '第三届会员大会第二次会议表决通过' },
  compulsory: false,
  serviceProvided: 'YES',
  facts: { standardPublished: true },
};

/** A fee the rulebook finds unlawful: a compulsory award fee (R03), charged on a board resolution. */
export const suspectAward = {
  name: '年度优秀企业评选费',
  category: 'RATING_AWARD',
  amountFen: 880_000,
  period: 'ONE_OFF',
  basis: { kind: 'BOARD_RESOLUTION', text: '理事会决议（2026）3号' },
  compulsory: true,
  serviceProvided: 'PARTIAL',
};

export const declarationBody = (options: { year: number; fees?: readonly object[] }) => ({
  year: options.year,
  fees: options.fees ?? [lawfulDues],
});
