import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { Lang } from '../../../../renderer/src/i18n/translate';
import { EngineAskFirst } from '../../../../renderer/src/panels/engines/EngineAskFirst';
import { offersRemove, offersStop } from '../../../../renderer/src/panels/engines/engine-remove';
import type { EngineAction } from '../../../../renderer/src/panels/engines/use-engines';
import { button, engineSnapshot, noop, renderIn, renderRow, text, type Snapshot } from './engine-row-render';

/** The demo engine, stopped with its container kept, unless the test says otherwise. */
const snapshot = (over: Partial<Snapshot> = {}): Snapshot =>
  engineSnapshot('demo', { title: 'Demo engine', protocol: 'adstudio-v1', state: 'stopped', health: null, port: 19000, url: 'http://127.0.0.1:19000', image: 'demo/engine:1', ...over });
const row = (engine: Snapshot, lang: Lang = 'en', busy?: EngineAction) => renderRow(engine, { lang, busy });
const confirm = (engine: Snapshot, lang: Lang = 'en') => renderIn(lang, createElement(EngineAskFirst, { action: 'remove', engine, onKeep: noop, onYes: noop }));
const exited = { reason: 'exited', message: 'The demo engine container stopped unexpectedly (exit code 1).', action: 'Start it again.', offerEmbedded: false };

describe('"Remove container" in an engine row', () => {
  it('is offered for a stopped container, in English and Korean, without asking yet', () => {
    const en = row(snapshot());
    expect(button(en, 'engine-remove-demo')?.[1]).toBe('Remove container');
    expect(button(en, 'engine-remove-demo')?.[0]).not.toContain('disabled');
    expect(button(row(snapshot(), 'ko'), 'engine-remove-demo')?.[1]).toBe('컨테이너 삭제');
    expect(en).not.toContain('engine-remove-confirm-demo');
  });

  it('is offered for a container in error (crashed) or created and never started', () => {
    expect(button(row(snapshot({ state: 'error', error: exited })), 'engine-remove-demo')).not.toBeNull();
    expect(button(row(snapshot({ state: 'created' })), 'engine-remove-demo')).not.toBeNull();
  });

  it('is not offered while the engine runs or moves, nor without a container', () => {
    for (const state of ['healthy', 'starting', 'stopping', 'building', 'pulling'] as const) {
      expect(row(snapshot({ state })), state).not.toContain('engine-remove-demo');
    }
    expect(row(snapshot({ state: 'absent', containerId: null, containerName: null }))).not.toContain('engine-remove-');
    // An error before any container existed (no GPU runtime, port taken): nothing to remove.
    const noGpu = { reason: 'no-gpu-runtime', message: 'No NVIDIA GPU runtime in Docker.', action: 'Use the embedded engine.', offerEmbedded: true };
    expect(row(snapshot({ state: 'error', containerId: null, containerName: null, error: noGpu }))).not.toContain('engine-remove-');
  });

  it('says so while the removal runs and cannot be pressed again, nor while another action runs', () => {
    const removing = row(snapshot(), 'en', 'remove');
    expect(button(removing, 'engine-remove-demo')?.[1]).toBe('Remove container…');
    expect(button(removing, 'engine-remove-demo')?.[0]).toContain('disabled=""');
    expect(button(row(snapshot(), 'en', 'start'), 'engine-remove-demo')?.[0]).toContain('disabled=""');
  });

  it('after removal the row shows "absent" (없음) with Start offered and nothing to remove', () => {
    const gone = snapshot({ state: 'absent', containerId: null, containerName: null });
    const ko = row(gone, 'ko');
    expect(ko).toMatch(/data-testid="engine-state-demo" data-state="absent">없음</);
    expect(button(ko, 'engine-start-demo')?.[0]).not.toContain('disabled');
    expect(ko).not.toContain('engine-remove-demo');
  });

  it('Stop is offered for an engine in error that has a container (an unhealthy one still runs: "stop it first" must be possible)', () => {
    const unhealthy = { reason: 'unhealthy', message: 'The demo engine container runs but does not answer.', action: 'Restart it.', offerEmbedded: false };
    expect(button(row(snapshot({ state: 'error', error: unhealthy })), 'engine-stop-demo')?.[0]).not.toContain('disabled');
    expect(button(row(snapshot({ state: 'stopped' })), 'engine-stop-demo')?.[0]).toContain('disabled=""');
    expect(offersStop({ state: 'error', containerId: null })).toBe(false);
    expect(offersStop({ state: 'healthy', containerId: 'x' })).toBe(true);
    expect(offersRemove({ state: 'stopped', containerId: null })).toBe(false);
  });
});

describe('the confirmation before removing a container', () => {
  it('names the container and says what is kept and that a running engine is stopped first (English)', () => {
    const html = confirm(snapshot());
    expect(text(html)).toContain(
      'Remove the container adstudio-demo (Demo engine)? The image demo/engine:1 and the model volume are not deleted; the next Start creates a fresh container from the profile. A running engine must be stopped first.',
    );
    expect(html).toContain('role="group"');
  });

  it('in Korean', () => {
    const t = text(confirm(snapshot(), 'ko'));
    expect(t).toContain('Demo engine의 컨테이너(adstudio-demo)를 삭제할까요?');
    expect(t).toContain('이미지(demo/engine:1)와 모델 볼륨은 지우지 않습니다.');
    expect(t).toContain('실행 중인 엔진은 먼저 멈춰야 합니다.');
    expect(button(confirm(snapshot(), 'ko'), 'engine-remove-no-demo')?.[1]).toBe('그대로 둡니다');
    expect(button(confirm(snapshot(), 'ko'), 'engine-remove-yes-demo')?.[1]).toBe('컨테이너를 삭제합니다');
  });

  it('puts the focus on "Keep it", which comes first; removing is the second, marked button', () => {
    const html = confirm(snapshot());
    const keep = button(html, 'engine-remove-no-demo');
    const yes = button(html, 'engine-remove-yes-demo');
    expect(keep?.[1]).toBe('Keep it');
    expect(keep?.[0]).toContain('autofocus=""');
    expect(yes?.[1]).toBe('Remove the container');
    expect(yes?.[0]).not.toContain('autofocus');
    expect(yes?.[0]).toContain('danger');
    expect(html.match(/autofocus/g)).toHaveLength(1);
    expect(html.indexOf('engine-remove-no-demo')).toBeLessThan(html.indexOf('engine-remove-yes-demo'));
  });

  it('names the container by its short id when Docker gave no name', () => {
    expect(text(confirm(snapshot({ containerName: null, containerId: 'abcdef0123456789'.repeat(4) })))).toContain('Remove the container abcdef012345 (Demo engine)?');
  });
});
