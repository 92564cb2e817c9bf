/**
 * What a notification says, in the recipient's language: a title and a body for the notification
 * centre and e-mail, and a short text for SMS (signed 【…】 as Chinese SMS must be). Rendered from the
 * notification's parameters whenever it is shown or sent, so the stored record holds no prose.
 */

import type { TaskKind } from '#shared/domain/fee-task';
import { handlingOffice, type OfficeLanguage } from '#shared/domain/handling-office';
import type { Notification, NotificationKind } from '#shared/domain/notification';

export interface NotificationText {
  title: string;
  body: string;
  sms: string;
}

const chinaDay = (iso: string): Date => new Date(Date.parse(iso) + 8 * 3_600_000);

/** A date as people write it: 2026年12月22日 / 22 Dec 2026 (China time). */
export const formatDueDate = (iso: string, language: OfficeLanguage): string => {
  const day = chinaDay(iso);
  const [year, month, date] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
  if (language === 'zh-CN') return `${year}年${month}月${date}日`;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${date} ${months[month - 1]} ${year}`;
};

const outcomeText = {
  'zh-CN': {
    ABOLISHED: '收费已取消',
    REGULATED: '收费予以保留，纳入规范监管',
    DISMISSED: '经审核，未发现违规收费',
  },
  en: {
    ABOLISHED: 'the fee has been abolished',
    REGULATED: 'the fee stays, under regulatory supervision',
    DISMISSED: 'no unlawful charging was found',
  },
} as const;

const taskText = {
  'zh-CN': {
    REVIEW: '投诉审核',
    INFO: '补充材料',
    RECTIFICATION: '整改',
    VERIFICATION: '整改核查',
    EXTENSION: '整改延期申请审核',
    SECOND_REVIEW: '处理决定复核',
    DECLARATION: '收费自查申报督办',
  },
  en: {
    REVIEW: 'complaint review',
    INFO: 'additional information',
    RECTIFICATION: 'rectification',
    VERIFICATION: 'verification of the rectification',
    EXTENSION: 'request for more time to rectify',
    SECOND_REVIEW: 'second review of the decision',
    DECLARATION: 'follow-up of a missing fee self-inspection declaration',
  },
} as const satisfies Record<OfficeLanguage, Record<TaskKind, string>>;

const smsSignature = { 'zh-CN': '【涉企收费治理】', en: '[Fee Campaign] ' } as const;

type Params = Notification['params'];

/** The pieces every template may use, already in the recipient's language. */
const wordsOf = (params: Params, language: OfficeLanguage) => {
  const zh = language === 'zh-CN';
  const quote = (text: string | undefined) => (text ? (zh ? `“${text}”` : `"${text}"`) : '');
  const office =
    params.agency && params.province !== undefined
      ? handlingOffice(params.agency, params.province, language).name
      : undefined;
  // English names an office with its article: "handled by the Ministry of Civil Affairs".
  const officeName = office ? (zh ? office : `the ${office}`) : zh ? '主管部门' : 'the regulator';
  const reference = params.reference ?? params.caseReference;
  return {
    zh,
    ref: reference ?? '',
    /** The reference after a title, when there is one: （2026-44-000123） / (2026-44-000123). */
    tag: reference ? (zh ? `（${reference}）` : ` (${reference})`) : '',
    /** The reference inside a sentence: 您的投诉（编号2026-44-000123） / your complaint 2026-44-000123. */
    numbered: reference ? (zh ? `（编号${reference}）` : ` ${reference}`) : '',
    fee: quote(params.feeName),
    association: params.associationName ?? (zh ? '相关协会' : 'the association'),
    due: params.dueAt ? formatDueDate(params.dueAt, language) : '',
    office: officeName,
    /** The office at the start of a sentence. */
    Office: officeName.charAt(0).toUpperCase() + officeName.slice(1),
    /** The officer a task is assigned to, as the assignment named them. */
    officer: params.assignee ?? (zh ? '指定人员' : 'a named officer'),
    granted: params.granted === true,
    accepted: params.accepted === true,
    // A kind this text does not name yet (a newer kind of task) reads as a plain task.
    task: params.taskKind ? taskText[language][params.taskKind] : '',
    outcome:
      params.outcome && params.outcome in outcomeText[language]
        ? outcomeText[language][params.outcome as keyof (typeof outcomeText)['en']]
        : '',
  };
};

type Words = ReturnType<typeof wordsOf>;

/**
 * Title and body per kind and language. Chinese follows the register of government service notices:
 * an association is addressed as 贵会, dates are written 2026年12月22日 without spaces, and a notice
 * says what happened, by when, and what to do. References appear once the case has one.
 */
const templates: Record<NotificationKind, (w: Words) => { title: string; body: string }> = {
  COMPLAINT_RECEIVED: (w) =>
    w.zh
      ? {
          title: `投诉已提交${w.tag}`,
          body: `您反映的${w.association}${w.fee}收费问题已收到${w.ref ? `，投诉编号${w.ref}` : ''}，由${w.office}办理${w.due ? `，将于${w.due}前作出审核决定` : ''}。您可登录平台，或凭投诉编号和统一社会信用代码查询办理进度。`,
        }
      : {
          title: `Complaint received${w.tag}`,
          body: `Your complaint about the fee ${w.fee} of ${w.association} was received${w.ref ? ` as ${w.ref}` : ''} and is handled by ${w.office}${w.due ? `, who will decide on it by ${w.due}` : ''}. Sign in, or use the reference with your credit code, to follow its progress.`,
        },
  INFO_REQUESTED: (w) =>
    w.zh
      ? {
          title: `请补充投诉材料${w.tag}`,
          body: `${w.office}在办理您的投诉${w.numbered}时，需要您补充有关材料${w.due ? `，请于${w.due}前登录平台提交` : '，请登录平台提交'}。逾期未提交的，将根据现有材料办理。`,
        }
      : {
          title: `Information requested${w.tag}`,
          body: `${w.Office} needs more information to handle your complaint${w.numbered}. Sign in to provide it${w.due ? ` by ${w.due}` : ''}; without it, the complaint is decided on what is on file.`,
        },
  ORDER_ISSUED: (w) =>
    w.zh
      ? {
          title: `已下达整改通知${w.tag}`,
          body: `${w.office}已就${w.association}${w.fee}收费问题下达整改通知${w.due ? `，整改期限至${w.due}` : ''}。`,
        }
      : {
          title: `Rectification ordered${w.tag}`,
          body: `${w.Office} ordered ${w.association} to rectify the fee ${w.fee}${w.due ? ` by ${w.due}` : ''}.`,
        },
  CASE_CLOSED: (w) =>
    w.zh
      ? {
          title: `投诉已办结${w.tag}`,
          body: `您的投诉${w.numbered}已办结，办理结果：${w.outcome}。请登录平台反馈退费是否到账，并对办理情况作出评价。`,
        }
      : {
          title: `Complaint closed${w.tag}`,
          body: `Your complaint${w.numbered} is closed: ${w.outcome}. Sign in to tell us whether any refund arrived and how it was handled.`,
        },
  ORDER_DUE_SOON: (w) =>
    w.zh
      ? {
          title: `整改期限即将届满${w.tag}`,
          body: `贵会${w.fee}收费问题的整改期限至${w.due}，请在期限内登录平台报送整改情况。`,
        }
      : {
          title: `Rectification due soon${w.tag}`,
          body: `Rectification of the fee ${w.fee} is due by ${w.due}. Sign in to report what was done before then.`,
        },
  EXTENSION_DECIDED: (w) =>
    w.zh
      ? {
          title: `延期申请${w.granted ? '已批准' : '未获批准'}${w.tag}`,
          body: w.granted
            ? `${w.office}已批准贵会的延期申请，整改期限延至${w.due}。`
            : `${w.office}未批准贵会的延期申请，请按原定期限完成整改。`,
        }
      : {
          title: `Extension ${w.granted ? 'granted' : 'refused'}${w.tag}`,
          body: w.granted
            ? `${w.Office} granted the extension: rectification is now due by ${w.due}.`
            : `${w.Office} refused the extension: rectification stays due as ordered.`,
        },
  VERIFICATION_RESULT: (w) =>
    w.zh
      ? {
          title: `整改核查${w.accepted ? '通过' : '未通过'}${w.tag}`,
          body: w.accepted
            ? `经${w.office}核查，贵会${w.fee}收费问题已整改到位。`
            : `经${w.office}核查，贵会${w.fee}收费问题整改未到位，请按要求继续整改${w.due ? `，期限至${w.due}` : ''}。`,
        }
      : {
          title: `Rectification ${w.accepted ? 'accepted' : 'not accepted'}${w.tag}`,
          body: w.accepted
            ? `${w.Office} verified the rectification of the fee ${w.fee} and accepted it.`
            : `${w.Office} found the rectification of the fee ${w.fee} incomplete; please continue${w.due ? ` by ${w.due}` : ''}.`,
        },
  VERIFICATION_REOPENED: (w) =>
    w.zh
      ? {
          title: `退费未到账，重新核查${w.tag}`,
          body: `有企业反映${w.association}${w.fee}收费的退费未到账，${w.office}将重新核查整改情况。`,
        }
      : {
          title: `Refund not received: verification reopened${w.tag}`,
          body: `An enterprise reports that the refund of the fee ${w.fee} of ${w.association} did not arrive; ${w.office} will verify the rectification again.`,
        },
  TASK_OPENED: (w) =>
    w.zh
      ? {
          title: `新的${w.task}任务${w.tag}`,
          body: `${w.association}${w.fee}收费问题的${w.task}任务已转入待办${w.due ? `，请于${w.due}前办理` : ''}。`,
        }
      : {
          title: `New task: ${w.task}${w.tag}`,
          body: `A ${w.task} task about the fee ${w.fee} of ${w.association} is in your inbox${w.due ? `, due by ${w.due}` : ''}.`,
        },
  TASK_DUE_SOON: (w) =>
    w.zh
      ? {
          title: `任务即将到期${w.tag}`,
          body: `${w.association}${w.fee}收费问题的${w.task}任务将于${w.due}到期，请及时办理。`,
        }
      : {
          title: `Task due soon${w.tag}`,
          body: `The ${w.task} task about the fee ${w.fee} of ${w.association} is due by ${w.due}.`,
        },
  TASK_ESCALATED: (w) =>
    w.zh
      ? {
          title: `逾期任务已提级督办${w.tag}`,
          body: `${w.association}${w.fee}收费问题的${w.task}任务已超过办理期限，转由${w.office}督办${w.due ? `，请于${w.due}前办理` : ''}。`,
        }
      : {
          title: `Overdue task escalated${w.tag}`,
          body: `The ${w.task} task about the fee ${w.fee} of ${w.association} passed its due date and was escalated to ${w.office}${w.due ? `, now due by ${w.due}` : ''}.`,
        },
  TASK_ASSIGNED: (w) =>
    w.zh
      ? {
          title: `任务已指派${w.tag}`,
          body: `${w.association}${w.fee}收费问题的${w.task}任务已指派给${w.officer}办理${w.due ? `，请于${w.due}前办结` : ''}。`,
        }
      : {
          title: `Task assigned${w.tag}`,
          body: `The ${w.task} task about the fee ${w.fee} of ${w.association} was assigned to ${w.officer}${w.due ? `, due by ${w.due}` : ''}.`,
        },
  CASE_TRANSFERRED: (w) =>
    w.zh
      ? {
          title: `投诉已转办${w.tag}`,
          body: `您的投诉${w.numbered}已转交${w.office}办理。您可登录平台，或凭投诉编号和统一社会信用代码查询办理进度。`,
        }
      : {
          title: `Complaint transferred${w.tag}`,
          body: `Your complaint${w.numbered} was transferred to ${w.office}, which now handles it. Sign in, or use the reference with your credit code, to follow its progress.`,
        },
};

export const notificationText = (
  notification: Pick<Notification, 'kind' | 'params'>,
  language: OfficeLanguage,
): NotificationText => {
  const words = wordsOf(notification.params, language);
  const { title, body } = templates[notification.kind](words);
  return { title, body, sms: `${smsSignature[language]}${body}` };
};
