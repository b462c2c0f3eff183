import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { AdstudioApi } from '../../../../preload/contract/api';
import type { ResponseOf } from '../../../../preload/contract/channels';
import { ENGINE_LOG_MAX_LINES } from '../../../../preload/contract/engines';
import type { Lang } from '../../../../renderer/src/i18n/translate';
import { EngineQuitSetting } from '../../../../renderer/src/panels/engines/EngineQuitSetting';
import { offersReset } from '../../../../renderer/src/panels/engines/engine-reset';
import { appendLive, canLoadMore, FIRST_PAGE, nextLimit } from '../../../../renderer/src/panels/engines/log-pages';
import { button, engineSnapshot, noop, renderIn, renderRow, text, type Snapshot } from './engine-row-render';

type SettingsView = ResponseOf<'getEngineSettings'>;

/** A healthy nanoCocoa engine (on the GPU) unless the test says otherwise. */
const snapshot = (profile: string, over: Partial<Snapshot> = {}): Snapshot =>
  engineSnapshot(profile, { protocol: 'nanococoa', port: 8000, url: 'http://127.0.0.1:8000', gpu: true, ...over });
const row = (engine: Snapshot, lang: Lang = 'en', busy?: 'reset') => renderRow(engine, { lang, busy });

describe('the Reset button of a nanoCocoa engine', () => {
  it('is offered on a healthy nanoCocoa engine, in English and Korean, and not pressed yet', () => {
    const en = row(snapshot('nanococoa'));
    expect(button(en, 'engine-reset-nanococoa')?.[1]).toBe('Reset');
    expect(button(row(snapshot('nanococoa'), 'ko'), 'engine-reset-nanococoa')?.[1]).toBe('초기화');
    // The confirmation appears only after a press.
    expect(en).not.toContain('engine-reset-confirm-nanococoa');
  });

  it('is not offered for other protocols or a nanoCocoa engine that is not running', () => {
    expect(row(snapshot('adstudio-engine', { protocol: 'adstudio-v1' }))).not.toContain('engine-reset-');
    expect(row(snapshot('custom', { protocol: 'generic' }))).not.toContain('engine-reset-');
    expect(row(snapshot('nanococoa', { state: 'stopped', health: null }))).not.toContain('engine-reset-');
    expect(row(snapshot('nanococoa', { state: 'absent', health: null, containerId: null }))).not.toContain('engine-reset-');
    // Older snapshots without a protocol: no guessing.
    const { protocol: _p, ...old } = snapshot('nanococoa');
    expect(row(old as Snapshot)).not.toContain('engine-reset-');
  });

  it('is offered when what the row shows says the job lock is stuck, even if not healthy', () => {
    const stuck = snapshot('nanococoa', {
      state: 'error',
      health: { ok: false, detail: 'HTTP 503', checkedAt: 1 },
      error: { reason: 'unhealthy', message: 'the nanoCocoa server at http://127.0.0.1:8000 looks stuck: no job on it has changed for 10 min', action: 'Reset it.', offerEmbedded: false },
    });
    expect(button(row(stuck), 'engine-reset-nanococoa')).not.toBeNull();
    expect(offersReset({ ...stuck, error: { ...stuck.error!, message: 'the container exited with code 1' }, health: null })).toBe(false);
    expect(offersReset({ protocol: 'nanococoa', state: 'starting', error: null, health: { ok: false, detail: 'job lock held', checkedAt: 1 } })).toBe(true);
  });

  it('says so while the reset runs, and cannot be pressed twice', () => {
    const html = row(snapshot('nanococoa'), 'en', 'reset');
    expect(button(html, 'engine-reset-nanococoa')?.[0]).toContain('disabled=""');
    expect(button(html, 'engine-reset-nanococoa')?.[1]).toBe('Reset…');
  });
});

describe('"When adstudio quits" in the Engines panel', () => {
  const api = {} as AdstudioApi; // never called while rendering
  const view = (onQuit?: 'leave-running' | 'stop'): SettingsView => ({ file: '/data/engines.json', builtins: [], customProfiles: [], ...(onQuit ? { onQuit } : {}) });
  const setting = (settings: SettingsView | null, lang: Lang = 'en') => renderIn(lang, createElement(EngineQuitSetting, { api, settings, onSaved: noop }));
  const selected = (html: string) => /<option value="([^"]+)" selected="">/.exec(html)?.[1];

  it('shows the two choices with the one engines.json holds selected, labelled in both languages', () => {
    const en = setting(view('stop'));
    expect(selected(en)).toBe('stop');
    expect(text(en)).toContain('When adstudio quits');
    expect(text(en)).toContain('leave engines running');
    expect(text(en)).toContain('stop them');
    expect(en).toMatch(/<label for="([^"]+)">When adstudio quits<\/label><select id="\1"/);
    const ko = setting(view('leave-running'), 'ko');
    expect(selected(ko)).toBe('leave-running');
    expect(text(ko)).toContain('adstudio를 끝낼 때');
    expect(text(ko)).toContain('엔진을 계속 실행해 둡니다');
    expect(text(ko)).toContain('엔진을 멈춥니다');
  });

  it('defaults to leaving engines running, and is absent where Docker engines are not offered', () => {
    expect(selected(setting(view()))).toBe('leave-running');
    expect(setting(null)).toBe('');
  });
});

describe('the full log viewer\'s pages', () => {
  it('asks for 2000 lines first, doubles on "Load earlier lines", never past the contract\'s cap', () => {
    expect(FIRST_PAGE).toBe(2000);
    expect(nextLimit(2000)).toBe(4000);
    expect(nextLimit(40_000)).toBe(ENGINE_LOG_MAX_LINES);
    expect(canLoadMore(2000, true)).toBe(true);
    expect(canLoadMore(2000, false)).toBe(false);
    expect(canLoadMore(ENGINE_LOG_MAX_LINES, true)).toBe(false);
  });

  it('live lines join the end and the view keeps only the lines asked for', () => {
    const l = (n: number) => ({ profile: 'p', stream: 'stdout' as const, text: `l${n}`, at: n });
    expect(appendLive(null, l(1), 3)).toBeNull();
    expect(appendLive([l(1), l(2), l(3)], l(4), 3)?.map((x) => x.text)).toEqual(['l2', 'l3', 'l4']);
    expect(appendLive([l(1)], l(2), 3)?.map((x) => x.text)).toEqual(['l1', 'l2']);
  });
});
