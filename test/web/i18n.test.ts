/**
 * The portal renders what the API says by code, in both languages: field issues by their code and
 * parameters, timeline steps by their event type and values. No module turns English back into keys.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fieldIssueCodes } from '#shared/domain/errors';
import { timelineEventTypes } from '#shared/domain/timeline';
import { rules } from '#shared/rulebook/rules';
import * as forms from '../../web/src/forms.ts';
import { en } from '../../web/src/i18n/en.ts';
import * as format from '../../web/src/i18n/format.ts';
import * as issues from '../../web/src/i18n/issues.ts';
import * as provinces from '../../web/src/i18n/provinces.ts';
import * as timeline from '../../web/src/i18n/timeline.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import * as i18n from '../../web/src/i18n.ts';

const { issueText } = issues;
const { timelineText } = timeline;
const languages = ['en', 'zh-CN'] as const;

afterEach(() => i18n.setLang('en'));

/** A rendered text that still shows a key or a placeholder was not rendered. */
const isRendered = (text: string) => text.length > 0 && !/[{}]/.test(text) && !/^[a-z]+\.[\w.]+$/.test(text);

describe('portal texts', () => {
  it('has every text in both languages, none of them empty', () => {
    // Assert
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    expect(Object.values(zhCN).filter((text) => text.trim() === '')).toEqual([]);
  });

  it('renders every field issue code in both languages', () => {
    for (const language of languages) {
      // Arrange
      i18n.setLang(language);

      // Act
      const texts = fieldIssueCodes.map((code) =>
        issueText({ path: 'x', code, params: { origin: 'string', minimum: 2, maximum: 9 }, message: '' }),
      );

      // Assert
      expect(texts.filter((text) => !isRendered(text))).toEqual([]);
    }
  });

  it('renders a limit with its number, and an amount as money', () => {
    // Arrange
    i18n.setLang('zh-CN');
    const tooLong = {
      path: 'fee.name',
      code: 'too_big',
      params: { origin: 'string', maximum: 200 },
    } as const;
    const tooSmall = {
      path: 'fee.amountFen',
      code: 'too_small',
      params: { origin: 'number', minimum: 1 },
    } as const;

    // Act
    const texts = [
      issueText({ ...tooLong, message: '' }),
      issueText({ ...tooSmall, message: '' }, { money: true }),
    ];

    // Assert
    expect(texts).toEqual(['不能超过 200 个字符', '不能小于 ¥0.01']);
  });

  it('asks to choose when a choice is missing, and says required otherwise', () => {
    // Arrange
    const missing = { path: 'verdict', code: 'required', message: 'Invalid input' } as const;

    // Act
    const texts = [issueText(missing, { choice: true }), issueText(missing)];

    // Assert
    expect(texts).toEqual(['choose one', 'is required']);
  });

  it('renders every timeline event in both languages, with its values', () => {
    for (const language of languages) {
      // Arrange
      i18n.setLang(language);
      const params = {
        kind: 'REVIEW',
        verdict: 'UNLAWFUL',
        outcome: 'ABOLISHED',
        rectificationDays: 30,
        dueAt: '2026-07-01T08:00:00.000Z',
        agency: 'SAMR',
        province: '44',
      };

      // Act
      const texts = timelineEventTypes.map((type) => timelineText(type, params));

      // Assert
      expect(texts.filter((text) => !isRendered(text))).toEqual([]);
    }
  });

  it("says a closed case's outcome in the reader's language", () => {
    // Arrange
    i18n.setLang('zh-CN');

    // Act
    const text = timelineText('CASE_CLOSED', { outcome: 'ABOLISHED' });

    // Assert
    expect(text).toBe('办结：收费已取消');
  });

  it('names the office a case was transferred to as the portal names offices', () => {
    // Arrange
    const params = { agency: 'SAMR', province: '44' };

    // Act
    i18n.setLang('zh-CN');
    const chinese = timelineText('CASE_TRANSFERRED', params);
    i18n.setLang('en');
    const english = timelineText('CASE_TRANSFERRED', params);

    // Assert
    expect([chinese, english]).toEqual([
      '转交广东省市场监督管理局办理',
      'Transferred to the Administration for Market Regulation of Guangdong Province for handling',
    ]);
  });

  it('takes rule titles from the rulebook in both languages', () => {
    // Arrange
    const r01 = rules.find((rule) => rule.id === 'R01');

    // Act
    i18n.setLang('zh-CN');
    const chinese = i18n.ruleTitle('R01', 'recorded');
    i18n.setLang('en');
    const english = i18n.ruleTitle('R01', 'recorded');

    // Assert
    expect([chinese, english]).toEqual([r01?.title.zh, r01?.title.en]);
  });

  it('keeps no table of English patterns to translate', () => {
    // Arrange
    const modules = [forms, i18n, format, issues, provinces, timeline];

    // Act
    const patterns = modules.flatMap((module) =>
      Object.entries(module).filter(
        ([, value]) =>
          value instanceof RegExp ||
          (Array.isArray(value) &&
            value.some(
              (entry) => entry instanceof RegExp || (Array.isArray(entry) && entry[0] instanceof RegExp),
            )),
      ),
    );

    // Assert
    expect(patterns.map(([name]) => name)).toEqual([]);
    expect(Object.keys(i18n)).not.toContain('translateNote');
    expect(Object.keys(forms)).not.toContain('localizeIssue');
  });
});
