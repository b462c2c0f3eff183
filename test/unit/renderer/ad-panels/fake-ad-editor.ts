import type { AssetInfo, EventPayload } from '../../../../preload/contract/channels';
import { createDocumentStore } from '../../../../renderer/src/document/store';
import { imageRecordOf } from '../../../../renderer/src/document/records';
import type { DocumentJson, DocumentStore } from '../../../../renderer/src/document/types';
import type { Editor } from '../../../../renderer/src/editor/editor';
import { HostJobs } from '../../../../renderer/src/editor/host-jobs';
import { initialSession } from '../../../../renderer/src/editor/session-state';
import { createStateStore } from '../../../../renderer/src/editor/state-store';
import { fakeAsset } from '../doc-fixtures';

type Listener = (payload: unknown) => void;
type Finished = EventPayload<'jobFinished'>;

export interface HostScript {
  /** What the host answers when a job of this channel ends (after the start call answered). */
  cutout?: Omit<Finished, 'jobId'>;
  backgrounds?: Omit<Finished, 'jobId'>;
  /** The start call itself fails (engine down). */
  startError?: { code: 'engine'; message: string };
}

/**
 * Enough of an Editor for the ad flow: a real document store, real session store and HostJobs,
 * and a host whose jobs end the way a test scripts them (events after the start call answers).
 */
export function fakeAdEditor(doc: DocumentJson, script: HostScript) {
  const listeners = new Map<string, Set<Listener>>();
  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  const calls: { channel: string; req: unknown }[] = [];
  const notices: { kind: string; title: string; detail?: string }[] = [];
  let store: DocumentStore | null = createDocumentStore(doc);
  let seq = 0;

  const start = (channel: 'cutout' | 'backgrounds') => async (req: unknown) => {
    calls.push({ channel, req });
    if (script.startError) return { ok: false as const, error: script.startError };
    const jobId = `job-${++seq}`;
    const end = script[channel];
    if (end) {
      setTimeout(() => {
        emit('jobProgress', { jobId, progress: 0.5 });
        emit('jobFinished', { jobId, ...end });
      }, 1);
    }
    return { ok: true as const, value: { jobId } };
  };

  const ed = {
    session: createStateStore(initialSession()),
    api: {
      on(event: string, l: Listener) {
        let set = listeners.get(event);
        if (!set) listeners.set(event, (set = new Set()));
        set.add(l);
        return () => set.delete(l);
      },
      startCutout: start('cutout'),
      startBackgrounds: start('backgrounds'),
      async cancelJob({ jobId }: { jobId: string }) {
        emit('jobFinished', { jobId, status: 'cancelled' });
        return { ok: true as const, value: { cancelled: true } };
      },
    },
    assets: {
      getImage: () => Promise.reject(new Error('no decoder in node')),
      whenUploaded: async () => {},
    },
    mask: { idle: async () => {} },
    listen() {},
    store: () => store,
    document: () => store?.document() ?? null,
    image: () => (store ? imageRecordOf(store.document()) : undefined),
    cancelGesture: () => false,
    waitForUploads: async () => {},
    fit() {},
    notify(kind: string, title: string, _vars?: unknown, detail?: string) {
      notices.push({ kind, title, ...(detail ? { detail } : {}) });
    },
    fail(title: string, err: unknown) {
      notices.push({ kind: 'error', title, detail: err instanceof Error ? err.message : String((err as { message?: string })?.message ?? err) });
    },
    hostJobs: null as unknown as HostJobs,
  };
  ed.session.set({ hasDocument: true });
  ed.hostJobs = new HostJobs(ed as unknown as Editor);
  return { ed: ed as unknown as Editor, raw: ed, calls, notices, closeDocument: () => (store = null) };
}

export function cutoutAsset(width = 640, height = 480): AssetInfo {
  return fakeAsset('cutout', width, height);
}

export function candidates(n: number, seed = 1, size = 1080): NonNullable<Finished['candidates']> {
  const presets = ['sweep', 'tabletop', 'window', 'bokeh', 'marble', 'wood', 'linen', 'concrete'];
  return Array.from({ length: n }, (_, i) => ({
    asset: fakeAsset(`bg-${seed}-${i}`, size, size),
    madeBy: `embedded · ${presets[i % presets.length]} · seed ${seed}`,
    preset: presets[i % presets.length]!,
    seed,
  }));
}
