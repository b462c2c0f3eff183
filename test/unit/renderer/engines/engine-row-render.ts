import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { EventPayload } from '../../../../preload/contract/channels';
import { I18nProvider } from '../../../../renderer/src/i18n/i18n-context';
import type { Lang } from '../../../../renderer/src/i18n/translate';
import { EngineRow } from '../../../../renderer/src/panels/engines/EngineRow';
import type { EngineMemoryState } from '../../../../renderer/src/panels/engines/engine-vram';
import type { EngineAction } from '../../../../renderer/src/panels/engines/use-engines';

export type Snapshot = EventPayload<'engineState'>;

/** A healthy CPU engine as the panel receives it (no protocol: each test says which it speaks); `over` changes what the test is about. */
export function engineSnapshot(profile: string, over: Partial<Snapshot> = {}): Snapshot {
  return {
    profile,
    title: profile,
    state: 'healthy',
    health: { ok: true, detail: 'healthy', checkedAt: 1 },
    port: 8765,
    url: 'http://127.0.0.1:8765',
    containerId: 'c'.repeat(64),
    containerName: `adstudio-${profile}`,
    image: `${profile}:1`,
    imageSize: 500e6,
    diskFree: null,
    gpu: false,
    network: 'publish',
    adopted: false,
    progress: null,
    error: null,
    warnings: [],
    updatedAt: 1,
    ...over,
  };
}

export const noop = () => {};

/** Static HTML (no DOM needed) in `lang`: what a person would see and a screen reader read. */
export const renderIn = (lang: Lang, child: ReactElement) => renderToStaticMarkup(createElement(I18nProvider, { lang, children: child }));

/** An Engines panel row as the panel renders it, with no log lines; `custom` makes it an engines.json profile's row. */
export function renderRow(engine: Snapshot, o: { lang?: Lang; busy?: EngineAction; memory?: EngineMemoryState; custom?: boolean } = {}): string {
  const custom = o.custom ? { custom: { onEdit: noop, onDelete: noop } } : {};
  return renderIn(o.lang ?? 'en', createElement(EngineRow, { engine, tail: [], busy: o.busy, onAct: noop, onLogs: noop, onUseEmbedded: noop, memory: o.memory, ...custom }));
}

/** The words of the HTML, tags dropped, white space folded. */
export const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

/** The button with this test id: [0] its whole tag, [1] its label; null when there is none. */
export const button = (html: string, testId: string) => new RegExp(`<button[^>]*data-testid="${testId}"[^>]*>([^<]*)</button>`).exec(html);
