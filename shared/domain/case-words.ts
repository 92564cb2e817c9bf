/**
 * Stages, verdicts, outcomes and fee categories as the campaign's files name them for people, in
 * Chinese and English: the ledger (台账) and the open-data file say the same words.
 */
import type { FeeCategory } from '#shared/domain/complaint';
import type { Outcome, Stage } from '#shared/domain/fee-case';
import type { OfficeLanguage } from '#shared/domain/handling-office';

interface CaseWords {
  stage: Record<Stage, string>;
  verdict: Record<string, string>;
  outcome: Record<Outcome, string>;
  category: Record<FeeCategory, string>;
}

export const caseWords: Record<OfficeLanguage, CaseWords> = {
  'zh-CN': {
    stage: {
      RECEIVED: '已提交',
      CLASSIFIED: '已分类',
      UNDER_REVIEW: '审核中',
      INFO_REQUESTED: '待补充信息',
      RECTIFYING: '整改中',
      VERIFYING: '核查中',
      CLOSED: '已办结',
    },
    verdict: { UNLAWFUL: '违规收费', REGULATED: '合规收费，规范管理', DISMISSED: '不予支持' },
    outcome: { ABOLISHED: '收费已取消', REGULATED: '规范管理', DISMISSED: '不予支持' },
    category: {
      MEMBERSHIP_DUES: '会费',
      MEETING_TRAINING: '会议、培训',
      EXHIBITION: '展览',
      RATING_AWARD: '评比、表彰、评奖',
      QUALIFICATION_CERTIFICATION: '资质、认证',
      SPONSORSHIP_DONATION: '赞助、捐赠',
      PUBLICATION_SUBSCRIPTION: '出版物、订阅',
      ADVERTISING: '广告',
      DELEGATED_GOVERNMENT_SERVICE: '政府委托事项',
      COUNCIL_POSITION: '理事、领导职务',
      MARKET_SERVICE: '市场化服务',
      OTHER: '其他',
    },
  },
  en: {
    stage: {
      RECEIVED: 'Submitted',
      CLASSIFIED: 'Classified',
      UNDER_REVIEW: 'Under review',
      INFO_REQUESTED: 'Information requested',
      RECTIFYING: 'Being rectified',
      VERIFYING: 'Being verified',
      CLOSED: 'Closed',
    },
    verdict: { UNLAWFUL: 'Unlawful', REGULATED: 'Lawful, regulated', DISMISSED: 'Dismissed' },
    outcome: { ABOLISHED: 'Abolished', REGULATED: 'Regulated', DISMISSED: 'Dismissed' },
    category: {
      MEMBERSHIP_DUES: 'Membership dues',
      MEETING_TRAINING: 'Meetings and training',
      EXHIBITION: 'Exhibitions',
      RATING_AWARD: 'Ratings, awards and commendations',
      QUALIFICATION_CERTIFICATION: 'Qualifications and certification',
      SPONSORSHIP_DONATION: 'Sponsorship and donations',
      PUBLICATION_SUBSCRIPTION: 'Publications and subscriptions',
      ADVERTISING: 'Advertising',
      DELEGATED_GOVERNMENT_SERVICE: 'Services delegated by the government',
      COUNCIL_POSITION: 'Council or leadership seats',
      MARKET_SERVICE: 'Market services',
      OTHER: 'Other',
    },
  },
};
