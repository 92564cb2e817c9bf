/**
 * The rulebook as data (docs/rulebook.md): each rule names its verdict, the agency that handles it, the
 * documents it rests on, and a predicate over the complaint's fee and facts. An unknown fact (undefined)
 * never fires a rule: only what the complainant asserted counts.
 */
import type { ComplaintFacts, Fee, FeeCategory } from '#shared/domain/complaint';
import type { Agency } from '#shared/domain/principal';

export type RuleVerdict = 'UNLAWFUL' | 'REGULATED';
export type RegulatedAction = 'ADJUST_TIERS' | 'PUBLISH_STANDARD' | 'REDUCE_PRICE';

export interface ClassificationInput {
  fee: Fee;
  facts: ComplaintFacts;
}

export interface Rule {
  id: string;
  /** What the rule forbids, in each language the campaign is run in. */
  title: { en: string; zh: string };
  verdict: RuleVerdict;
  agency: Agency;
  citation: string;
  /** Only REGULATED rules carry an action; UNLAWFUL ones always mean abolish and refund. */
  action?: RegulatedAction;
  predicate: (input: ClassificationInput) => boolean;
}

export interface Rulebook {
  version: string;
  rules: readonly Rule[];
}

/** The documents the rules rest on, cited by name. */
export const sources = {
  stateCouncil2020: '国务院办公厅《关于进一步规范行业协会商会收费的通知》（国办发〔2020〕21号）',
  opinions2017:
    '国家发展改革委、民政部、财政部、国务院国资委《关于进一步规范行业协会商会收费管理的意见》（发改经体〔2017〕1999号）',
  duesNotice2014: '民政部、财政部《关于进一步规范社会团体会费管理的通知》（2014年7月）',
  rectification2021: '2021年行业协会商会乱收费专项清理整治（四个方面十五项）',
  complianceGuide2024: '市场监管总局、民政部 行业协会商会收费合规指引（2024年7月）',
} as const;

const cite = (...names: (keyof typeof sources)[]): string => names.map((name) => sources[name]).join('；');

const isDues = (fee: Fee): boolean => fee.category === 'MEMBERSHIP_DUES';

const paidActivityCategories: ReadonlySet<FeeCategory> = new Set<FeeCategory>([
  'MEETING_TRAINING',
  'EXHIBITION',
  'PUBLICATION_SUBSCRIPTION',
  'ADVERTISING',
]);

export const rules: readonly Rule[] = [
  {
    id: 'R01',
    title: {
      en: 'Forced membership: forced or disguised-forced joining, or members blocked from leaving',
      zh: '强制入会：强制或变相强制入会，或阻碍会员退会',
    },
    verdict: 'UNLAWFUL',
    agency: 'MCA',
    citation: cite('stateCouncil2020', 'rectification2021'),
    predicate: ({ facts }) => facts.forcedMembership === true,
  },
  {
    id: 'R02',
    title: {
      en: 'Charging through statutory duties, delegated government powers or government influence',
      zh: '利用法定职责、政府委托职能或政府影响力收费',
    },
    verdict: 'UNLAWFUL',
    agency: 'SAMR',
    citation: cite('stateCouncil2020', 'rectification2021'),
    predicate: ({ fee, facts }) =>
      facts.governmentLinked === true || fee.category === 'DELEGATED_GOVERNMENT_SERVICE',
  },
  {
    id: 'R03',
    title: {
      en: 'Fees for ratings, awards, commendations or compliance (达标) activities',
      zh: '评比、达标、表彰类收费',
    },
    verdict: 'UNLAWFUL',
    agency: 'SAMR',
    citation: cite('stateCouncil2020', 'rectification2021'),
    predicate: ({ fee }) => fee.category === 'RATING_AWARD',
  },
  {
    id: 'R04',
    title: {
      en: 'Qualification or certification fees beyond exam and appraisal fees (mandatory paid preparation)',
      zh: '超出考试、评价费用的资质认证类收费（如强制付费培训）',
    },
    verdict: 'UNLAWFUL',
    agency: 'SAMR',
    citation: cite('stateCouncil2020', 'rectification2021'),
    predicate: ({ fee, facts }) =>
      fee.category === 'QUALIFICATION_CERTIFICATION' && facts.compulsory === true,
  },
  {
    id: 'R05',
    title: {
      en: 'Charging without providing the service',
      zh: '未提供服务而收费',
    },
    verdict: 'UNLAWFUL',
    agency: 'SAMR',
    citation: cite('stateCouncil2020', 'opinions2017'),
    predicate: ({ facts }) => facts.serviceProvided === 'NO',
  },
  {
    id: 'R06',
    title: {
      en: 'Duplicate charging: again for what dues cover, or dues collected by both headquarters and a branch',
      zh: '就会费已涵盖的服务重复收费，或总会与分支机构重复收取会费',
    },
    verdict: 'UNLAWFUL',
    agency: 'SAMR',
    citation: cite('stateCouncil2020', 'opinions2017'),
    predicate: ({ facts }) => facts.duplicateCharge === true,
  },
  {
    id: 'R07',
    title: {
      en: 'Compulsory paid meetings, training, exhibitions, publications or advertising',
      zh: '强制参加付费会议、培训、展览、出版物或广告',
    },
    verdict: 'UNLAWFUL',
    agency: 'SAMR',
    citation: cite('stateCouncil2020', 'rectification2021'),
    predicate: ({ fee, facts }) => facts.compulsory === true && paidActivityCategories.has(fee.category),
  },
  {
    id: 'R08',
    title: {
      en: 'Compulsory sponsorship or donation',
      zh: '强制赞助或捐赠',
    },
    verdict: 'UNLAWFUL',
    agency: 'SAMR',
    citation: cite('stateCouncil2020', 'rectification2021'),
    predicate: ({ fee, facts }) => facts.compulsory === true && fee.category === 'SPONSORSHIP_DONATION',
  },
  {
    id: 'R09',
    title: {
      en: 'Membership dues collected by a branch or representative office',
      zh: '分支机构、代表机构收取会费',
    },
    verdict: 'UNLAWFUL',
    agency: 'MCA',
    citation: cite('opinions2017', 'duesNotice2014'),
    predicate: ({ fee, facts }) => isDues(fee) && facts.chargedByBranch === true,
  },
  {
    id: 'R10',
    title: {
      en: 'Recruiting members through fee kickbacks or commissions',
      zh: '以收费返点、提成方式发展会员',
    },
    verdict: 'UNLAWFUL',
    agency: 'MCA',
    citation: cite('complianceGuide2024', 'rectification2021'),
    predicate: ({ facts }) => facts.kickback === true,
  },
  {
    id: 'R11',
    title: {
      en: 'A fee for holding a council or leadership seat',
      zh: '收取理事、领导职务费用',
    },
    verdict: 'UNLAWFUL',
    agency: 'MCA',
    citation: cite('rectification2021', 'complianceGuide2024'),
    predicate: ({ fee }) => fee.category === 'COUNCIL_POSITION',
  },
  {
    id: 'R12',
    title: {
      en: 'Dues standard not adopted by the member assembly (2/3 attendance, secret ballot)',
      zh: '会费标准未经会员大会表决（三分之二出席、无记名投票）',
    },
    verdict: 'UNLAWFUL',
    agency: 'MCA',
    citation: cite('duesNotice2014'),
    predicate: ({ fee, facts }) => isDues(fee) && facts.duesAdoptedByAssembly === false,
  },
  {
    id: 'R13',
    title: {
      en: 'Dues set as a floating rate, or "dues" charged to a non-member',
      zh: '浮动会费，或向非会员收取“会费”',
    },
    verdict: 'UNLAWFUL',
    agency: 'MCA',
    citation: cite('complianceGuide2024', 'duesNotice2014'),
    predicate: ({ fee, facts }) =>
      facts.floatingDues === true || (isDues(fee) && facts.chargedAsNonMember === true),
  },
  {
    id: 'R14',
    title: {
      en: 'Charged above the published standard (refund basis: the excess)',
      zh: '超过公布标准收费（按超出部分退还）',
    },
    verdict: 'UNLAWFUL',
    agency: 'SAMR',
    citation: cite('rectification2021', 'complianceGuide2024'),
    predicate: ({ fee }) =>
      fee.publishedStandardFen !== undefined && fee.amountFen > fee.publishedStandardFen,
  },
  {
    id: 'R15',
    title: {
      en: 'More than 4 dues tiers',
      zh: '会费超过 4 档',
    },
    verdict: 'REGULATED',
    agency: 'MCA',
    citation: cite('duesNotice2014', 'stateCouncil2020'),
    action: 'ADJUST_TIERS',
    predicate: ({ fee, facts }) => isDues(fee) && facts.duesTiers !== undefined && facts.duesTiers > 4,
  },
  {
    id: 'R16',
    title: {
      en: 'Fee standard not published',
      zh: '未公布收费标准',
    },
    verdict: 'REGULATED',
    agency: 'SAMR',
    citation: cite('opinions2017', 'complianceGuide2024'),
    action: 'PUBLISH_STANDARD',
    predicate: ({ facts }) => facts.standardPublished === false,
  },
  {
    id: 'R17',
    title: {
      en: 'A service only this association can provide, priced above cost plus a small surplus',
      zh: '独家服务定价超过成本加合理盈余',
    },
    verdict: 'REGULATED',
    agency: 'NDRC',
    citation: cite('stateCouncil2020', 'opinions2017'),
    action: 'REDUCE_PRICE',
    predicate: ({ facts }) => facts.monopolyService === true,
  },
];

export const rulebook: Rulebook = { version: '2026.1', rules };

/** Every rulebook a case may have been classified with, by version: a decision cites its case's rules. */
export const rulebooks: ReadonlyMap<string, Rulebook> = new Map([[rulebook.version, rulebook]]);
