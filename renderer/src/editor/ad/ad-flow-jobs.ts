import type { EventPayload } from '../../../../preload/contract/channels';
import type { MessageKey } from '../../i18n/translate';
import type { Editor } from '../editor';
import type { JobKind } from '../session-state';

export type JobEnd = EventPayload<'jobFinished'>;

/**
 * One host job (cut-out, backgrounds) through HostJobs — the job toast's progress and Cancel, the
 * events matched to it — as a promise of its end, so a flow of several jobs reads top to bottom.
 * Resolves null when it never started: another job was running, nothing to do, or the start failed
 * (HostJobs has already shown `startFailed` with the reason).
 */
export function runHostJob(ed: Pick<Editor, 'hostJobs'>, kind: JobKind, startFailed: MessageKey, start: () => Promise<string | null>): Promise<JobEnd | null> {
  return new Promise((resolve) => {
    let ended = false;
    const finish = (v: JobEnd | null) => {
      if (ended) return;
      ended = true;
      resolve(v);
    };
    if (ed.hostJobs.busy()) {
      finish(null);
      return;
    }
    void ed.hostJobs
      .run({
        kind,
        startFailed,
        start: async () => {
          const id = await start();
          if (id === null) finish(null);
          return id;
        },
        finished: (p) => finish(p),
      })
      // run() resolves once the job has an id (or failed to start): no job running now means no end will come.
      .then(() => {
        if (!ed.hostJobs.busy()) finish(null);
      });
  });
}
