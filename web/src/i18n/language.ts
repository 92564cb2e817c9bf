/** The language the portal speaks: the visitor's choice, else the browser's preference, kept across visits. */
export type Lang = 'en' | 'zh-CN';
const storageKey = 'campaign.lang';

const initialLang = (): Lang => {
  const stored = globalThis.localStorage?.getItem(storageKey);
  if (stored === 'en' || stored === 'zh-CN') return stored;
  const preferred = globalThis.navigator?.languages ?? [];
  return preferred.some((language) => language.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
};

let current: Lang = typeof window === 'undefined' ? 'en' : initialLang();

export const lang = (): Lang => current;

export const setLang = (next: Lang): void => {
  current = next;
  globalThis.localStorage?.setItem(storageKey, next);
  if (globalThis.document) document.documentElement.lang = next;
};
