import { en } from './en';
import { ko, type MessageKey } from './ko';

export type { MessageKey };
export type Lang = 'ko' | 'en';
export type LanguageSetting = 'system' | Lang;
export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

const dictionaries: Record<Lang, Record<MessageKey, string>> = { ko, en };

/** 'system' follows the given locale (OS in Electron, browser in browser mode): ko* → Korean, else English. */
export function resolveLanguage(setting: LanguageSetting, locale: string | undefined): Lang {
  if (setting === 'ko' || setting === 'en') return setting;
  return (locale ?? '').toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(ko, key);
}

/** `{name}` placeholders are replaced by vars; unknown placeholders stay visible so mistakes show. */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const text = dictionaries[lang][key] ?? ko[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function makeTranslate(lang: Lang): Translate {
  return (key, vars) => translate(lang, key, vars);
}
