/**
 * Valid, varied complaint bodies for the benchmarks: different associations, provinces, categories and
 * facts (so the rulebook takes different paths), each about a fee of its own unless asked otherwise.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { associationCode, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';

const provinces = ['11', '31', '44', '32', '33', '51', '42', '61'] as const;

export const provinceOf = (n: number): string => provinces[n % provinces.length] as string;

/** Category and facts pairs that fire different rules (and one that fires none). */
const scenarios: { category: string; facts: Record<string, unknown> }[] = [
  { category: 'MEMBERSHIP_DUES', facts: { forcedMembership: true } },
  { category: 'MEETING_TRAINING', facts: { compulsory: true, serviceProvided: 'PARTIAL' } },
  { category: 'MARKET_SERVICE', facts: { serviceProvided: 'NO' } },
  {
    category: 'MEMBERSHIP_DUES',
    facts: {
      compulsory: false,
      serviceProvided: 'YES',
      standardPublished: false,
      duesAdoptedByAssembly: true,
    },
  },
  {
    category: 'MEMBERSHIP_DUES',
    facts: {
      compulsory: false,
      serviceProvided: 'YES',
      standardPublished: true,
      duesAdoptedByAssembly: true,
      duesTiers: 6,
    },
  },
  { category: 'RATING_AWARD', facts: {} },
  { category: 'DELEGATED_GOVERNMENT_SERVICE', facts: { governmentLinked: true, compulsory: true } },
  { category: 'MEMBERSHIP_DUES', facts: { chargedByBranch: true, floatingDues: true } },
  { category: 'EXHIBITION', facts: { compulsory: false, serviceProvided: 'YES', standardPublished: true } },
  { category: 'SPONSORSHIP_DONATION', facts: { compulsory: true, kickback: true } },
];

const feeNames = [
  'Annual membership dues',
  'Training fee',
  'Service charge',
  'Exhibition booth fee',
  'Award fee',
];

/** A date a month ago (fees cannot be charged in the future). */
const chargedOn = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);

export interface BodyOptions {
  /** Makes fee names unique across runs and phases. */
  tag: string;
  /** How many different associations to spread complaints over. */
  associations?: number;
  /** Every complaint about one fee (of one association): a hot fee, joined by complaint after complaint. */
  oneFee?: boolean;
}

/** Complaint number `n`: a fee of its own, so it opens a new case (unless `oneFee`). */
export const benchComplaint = (n: number, { tag, associations = 500, oneFee = false }: BodyOptions) => {
  // What names the fee (association, category, fee name) comes from `fee`; amounts vary with `n`.
  const fee = oneFee ? 0 : n;
  const scenario = scenarios[fee % scenarios.length] as (typeof scenarios)[number];
  const associationNumber = fee % associations;
  return complaintBody({
    associationCode: associationCode(provinceOf(associationNumber), associationNumber + 1),
    associationName: `Bench Industry Association ${associationNumber}`,
    feeName: oneFee ? `${feeNames[0]} ${tag}` : `${feeNames[n % feeNames.length]} ${tag} ${n}`,
    category: scenario.category,
    amountFen: 10_000 + ((n * 7_919) % 5_000_000),
    chargedOn,
    period: n % 3 === 0 ? 'ONE_OFF' : 'ANNUAL',
    facts: scenario.facts,
    description: 'We were told to pay or lose our membership benefits and our place in the registry.',
    contact: { name: 'Zhang San', phone: '13800000000', email: 'zhang@example.com' },
  });
};

/** The enterprise that files complaint `n` (spread over `count` enterprises). */
export const enterpriseOf = (n: number, count = 200) => {
  const number = n % count;
  return enterpriseCode(provinceOf(number), number + 1);
};

/** `POST /api/complaints` as API Gateway hands it to the function: complaint `n` by its enterprise. */
export const filingEvent = (n: number, body: string, headers: Record<string, string> = {}) =>
  ({
    resource: '/api/complaints',
    path: '/api/complaints',
    httpMethod: 'POST',
    headers: { 'content-type': 'application/json', Authorization: 'Bearer x', ...headers },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      authorizer: {
        claims: {
          sub: `local:enterprise:${n}`,
          'cognito:groups': 'enterprise',
          'custom:creditCode': enterpriseOf(n),
        },
      },
      requestId: `bench-${n}`,
      resourcePath: '/api/complaints',
      httpMethod: 'POST',
      stage: 'bench',
    },
  }) as unknown as APIGatewayProxyEvent;
