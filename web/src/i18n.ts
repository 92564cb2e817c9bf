/**
 * The portal's texts: `t` looks a key up in the current language's dictionary (`i18n/zh-CN.ts`,
 * `i18n/en.ts`; the compiler checks that both have every key). Formatting and province names live
 * beside them (`i18n/format.ts`, `i18n/provinces.ts`) and are exported from here too.
 */
import { standardOrderText } from '#shared/domain/fee-case';
import { rules } from '#shared/rulebook/rules';
import { en, type MessageKey } from './i18n/en.ts';
import { joinList } from './i18n/format.ts';
import { type Lang, lang } from './i18n/language.ts';
import { zhCN } from './i18n/zh-CN.ts';

export {
  formatDate,
  formatDateTime,
  formatDays,
  formatFileSize,
  formatLargeMoney,
  formatMoney,
  formatNumber,
  joinList,
} from './i18n/format.ts';
export { type Lang, lang, setLang } from './i18n/language.ts';
export { provinceName } from './i18n/provinces.ts';
export type { MessageKey };

const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

const fill = (text: string, params?: Record<string, string | number>): string =>
  params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole)) : text;

/** The text of `key` in the current language, with `{name}` placeholders filled. */
export const t = (key: MessageKey, params?: Record<string, string | number>): string =>
  fill(dictionaries[lang()][key], params);

export const hasKey = (key: string): key is MessageKey => key in en;

/** The text of a composed key such as `stage.CLOSED`; the raw value when there is none. */
export const tx = (prefix: string, value: string | undefined): string => {
  if (value === undefined) return '';
  const key = `${prefix}.${value}`;
  return hasKey(key) ? t(key) : value;
};

/**
 * What an order tells the association, in the current language: the standard wording (the server
 * writes English) is translated; a regulator's own text is shown as written.
 */
export const orderTextIn = (
  orderText: string,
  verdict: string | undefined,
  actions: readonly string[],
): string =>
  verdict !== undefined && orderText === standardOrderText(verdict, actions)
    ? t('orderStandardText', {
        verdict: tx('verdict', verdict),
        actions: joinList(actions.map((action) => tx('action', action))),
      })
    : orderText;

const ruleTitles = new Map(rules.map((rule) => [rule.id, rule.title]));

/** A rule's title in the current language, as the rulebook writes it; `recorded` for a rule it no longer has. */
export const ruleTitle = (id: string, recorded: string): string =>
  ruleTitles.get(id)?.[lang() === 'zh-CN' ? 'zh' : 'en'] ?? recorded;
