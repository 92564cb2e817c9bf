/** A step of a complaint's timeline, or an audit event the timeline shows, in the current language. */
import type { TimelineEventType } from '#shared/domain/timeline';
import { hasKey, t, tx } from '../i18n.ts';
import { formatDate } from './format.ts';
import { officeName } from './offices.ts';

type Params = Readonly<Record<string, string | number>> | undefined;

const text = (params: Params, name: string): string => String(params?.[name] ?? '');

export const timelineText = (type: TimelineEventType, params: Params): string => {
  switch (type) {
    case 'TASK_OPENED': {
      const key = `timeline.TASK_OPENED.${text(params, 'kind')}`;
      return hasKey(key) ? t(key) : t('event.TASK_OPENED');
    }
    case 'REVIEW_DECIDED':
      return t('timeline.REVIEW_DECIDED', { verdict: tx('verdict', text(params, 'verdict')) });
    case 'ORDER_ISSUED':
      return t('timeline.ORDER_ISSUED', {
        days: text(params, 'rectificationDays'),
        due: formatDate(text(params, 'dueAt')),
      });
    case 'CASE_TRANSFERRED': {
      const office = officeName(text(params, 'agency'), text(params, 'province'));
      return office ? t('timeline.CASE_TRANSFERRED', { office }) : t('timeline.CASE_TRANSFERRED.elsewhere');
    }
    case 'CASE_CLOSED':
      return t('timeline.CASE_CLOSED', { outcome: tx('outcome', text(params, 'outcome')) });
    default:
      return t(`timeline.${type}`);
  }
};
