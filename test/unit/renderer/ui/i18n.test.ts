import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../../renderer/src/editor/actions';
import { en } from '../../../../renderer/src/i18n/en';
import { ko } from '../../../../renderer/src/i18n/ko';
import { isMessageKey, resolveLanguage, translate } from '../../../../renderer/src/i18n/translate';
import { ERROR_CODES } from '../../../../preload/contract/errors';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('Korean and English have the same keys, all non-empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ko).sort());
    for (const [k, v] of Object.entries(ko)) expect(v.trim(), k).not.toBe('');
    for (const [k, v] of Object.entries(en)) expect(v.trim(), k).not.toBe('');
  });

  it('both languages use the same placeholders in every string', () => {
    for (const k of Object.keys(ko) as (keyof typeof ko)[]) expect(placeholders(en[k]), k).toEqual(placeholders(ko[k]));
  });

  it('Korean strings are actually Korean (no English left behind)', () => {
    // Names, formats and pure number layouts are the same in both languages.
    const allowedLatin = new Set(['app.name', 'settings.languageEn', 'welcome.openImageHint', 'status.size', 'status.cursor']);
    for (const [k, v] of Object.entries(ko)) {
      if (allowedLatin.has(k)) continue;
      expect(/[\uac00-\ud7a3]/.test(v), `${k}: "${v}"`).toBe(true);
    }
  });

  it('every error code and action label has a message', () => {
    for (const code of ERROR_CODES) expect(isMessageKey(`error.${code}`), code).toBe(true);
    for (const a of ACTIONS) expect(isMessageKey(a.labelKey), a.id).toBe(true);
  });

  it("'system' follows the locale: ko* → Korean, anything else → English", () => {
    expect(resolveLanguage('system', 'ko-KR')).toBe('ko');
    expect(resolveLanguage('system', 'ko')).toBe('ko');
    expect(resolveLanguage('system', 'en-US')).toBe('en');
    expect(resolveLanguage('system', 'ja-JP')).toBe('en');
    expect(resolveLanguage('system', undefined)).toBe('en');
    expect(resolveLanguage('en', 'ko-KR')).toBe('en');
    expect(resolveLanguage('ko', 'en-US')).toBe('ko');
  });

  it('fills variables and leaves unknown placeholders visible', () => {
    expect(translate('ko', 'status.size', { w: 1024, h: 768 })).toBe('1024 × 768 px');
    expect(translate('en', 'action.undoWith', { label: 'Brush stroke' })).toBe('Undo Brush stroke');
    expect(translate('en', 'action.undoWith')).toBe('Undo {label}');
  });
});
