import { describe, expect, it } from 'vitest';
import { type Notification, notificationKinds } from '#shared/domain/notification';
import { formatDueDate, notificationText } from '#shared/domain/notification-text';

const aNotification = (kind: Notification['kind'], params: Notification['params'] = {}): Notification => ({
  notificationId: '20261202104325123-AAAAAAAAAAAAAAAAAAAAAA',
  recipient: { party: 'campaign-admins' },
  kind,
  at: '2026-12-02T10:43:25.123Z',
  read: false,
  params,
});

const full: Notification['params'] = {
  reference: '2026-44-000123',
  feeName: '会员费',
  associationName: '广东省建筑材料行业协会',
  agency: 'MCA',
  province: '44',
  taskKind: 'REVIEW',
  dueAt: '2026-12-22T15:59:59.999Z',
  outcome: 'ABOLISHED',
  granted: true,
  accepted: true,
};

describe('notificationText', () => {
  it.each(notificationKinds.flatMap((kind) => [[kind, 'zh-CN'] as const, [kind, 'en'] as const]))(
    'renders %s in %s with every parameter filled in',
    (kind, language) => {
      // Act
      const text = notificationText(aNotification(kind, full), language);

      // Assert
      for (const part of [text.title, text.body, text.sms]) {
        expect(part).not.toMatch(/undefined|null|NaN|\$\{/);
        expect(part.length).toBeGreaterThan(5);
      }
      expect(text.title).toContain('2026-44-000123');
    },
  );

  it.each(notificationKinds.flatMap((kind) => [[kind, 'zh-CN'] as const, [kind, 'en'] as const]))(
    'renders %s in %s without empty brackets while the case has no reference',
    (kind, language) => {
      // Act
      const text = notificationText(aNotification(kind, { ...full, reference: undefined }), language);

      // Assert
      expect(`${text.title}${text.body}`).not.toMatch(/（）|\(\)|编号，|编号。|undefined/);
    },
  );

  it('names the handling office by its official name and the decision date in Chinese', () => {
    // Act
    const text = notificationText(aNotification('COMPLAINT_RECEIVED', full), 'zh-CN');

    // Assert
    expect(text.title).toBe('投诉已提交（2026-44-000123）');
    expect(text.body).toBe(
      '您反映的广东省建筑材料行业协会“会员费”收费问题已收到，投诉编号2026-44-000123，由广东省民政厅办理，将于2026年12月22日前作出审核决定。您可登录平台，或凭投诉编号和统一社会信用代码查询办理进度。',
    );
  });

  it('names the office with its article in English', () => {
    // Act
    const text = notificationText(aNotification('COMPLAINT_RECEIVED', full), 'en');

    // Assert
    expect(text.body).toContain('handled by the Department of Civil Affairs of Guangdong Province');
    expect(text.body).toContain('by 22 Dec 2026');
  });

  it('tells a complainant in Chinese which office a transferred complaint went to', () => {
    // Act
    const text = notificationText(aNotification('CASE_TRANSFERRED', { ...full, agency: 'SAMR' }), 'zh-CN');

    // Assert
    expect(text.body).toBe(
      '您的投诉（编号2026-44-000123）已转交广东省市场监督管理局办理。您可登录平台，或凭投诉编号和统一社会信用代码查询办理进度。',
    );
  });

  it('names the officer a task was assigned to', () => {
    // Act
    const text = notificationText(
      aNotification('TASK_ASSIGNED', { ...full, assignee: 'local:regulator:MCA:44:li' }),
      'zh-CN',
    );

    // Assert
    expect(text.body).toBe(
      '广东省建筑材料行业协会“会员费”收费问题的投诉审核任务已指派给local:regulator:MCA:44:li办理，请于2026年12月22日前办结。',
    );
  });

  it('addresses an association as 贵会', () => {
    // Act
    const text = notificationText(aNotification('ORDER_DUE_SOON', full), 'zh-CN');

    // Assert
    expect(text.body).toBe(
      '贵会“会员费”收费问题的整改期限至2026年12月22日，请在期限内登录平台报送整改情况。',
    );
  });

  it('tells the complainant the outcome in words', () => {
    // Act
    const zh = notificationText(aNotification('CASE_CLOSED', { ...full, outcome: 'DISMISSED' }), 'zh-CN');
    const en = notificationText(aNotification('CASE_CLOSED', { ...full, outcome: 'DISMISSED' }), 'en');

    // Assert
    expect(zh.body).toContain('办理结果：经审核，未发现违规收费。');
    expect(en.body).toContain('is closed: no unlawful charging was found.');
  });

  it('says "the regulator" when no office is known yet', () => {
    // Act
    const text = notificationText(aNotification('INFO_REQUESTED', {}), 'en');

    // Assert
    expect(text.body.startsWith('The regulator needs more information')).toBe(true);
  });

  it("names the desk's own tasks as officials call them", () => {
    // Act
    const extension = notificationText(
      aNotification('TASK_OPENED', { ...full, taskKind: 'EXTENSION' }),
      'zh-CN',
    );
    const secondReview = notificationText(
      aNotification('TASK_OPENED', { ...full, taskKind: 'SECOND_REVIEW' }),
      'zh-CN',
    );

    // Assert
    expect(extension.title).toContain('整改延期申请审核');
    expect(secondReview.title).toContain('处理决定复核');
  });

  it('signs an SMS as Chinese SMS must be signed', () => {
    // Act
    const text = notificationText(aNotification('CASE_CLOSED', full), 'zh-CN');

    // Assert
    expect(text.sms).toBe(`【涉企收费治理】${text.body}`);
  });
});

describe('formatDueDate', () => {
  it('writes the China-time day of an instant', () => {
    // The last millisecond of 22 December in China is still 22 December, though UTC says 15:59.
    expect(formatDueDate('2026-12-22T15:59:59.999Z', 'zh-CN')).toBe('2026年12月22日');
    expect(formatDueDate('2026-12-22T16:00:00.000Z', 'en')).toBe('23 Dec 2026');
  });
});
