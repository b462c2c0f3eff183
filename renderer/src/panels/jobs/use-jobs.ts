import { useCallback, useEffect, useRef, useState } from 'react';
import type { AdstudioApi } from '../../../../preload/contract/api';
import { mergeJob, mergeList, type JobView, type MemoryView } from './jobs-model';

export type JobAction = 'cancel' | 'retry';

export interface JobsState {
  /** null until the first list arrived. Newest first. */
  jobs: JobView[] | null;
  memory: MemoryView | null;
  /** Jobs with a cancel or retry request in flight. */
  busy: Record<string, JobAction>;
  /** The last request that failed, for the panel to show. */
  failure: { action: 'load' | JobAction; message: string } | null;
  cancel(jobId: string): void;
  retry(jobId: string): void;
  refresh(): void;
}

/**
 * The Jobs panel's live model: listJobs and getJobsMemory once (and again after a reconnect), then
 * jobUpdated / jobsMemory events keep it current. Lives as long as the top-bar button, so the
 * button can show how many jobs run while the panel is closed.
 */
export function useJobs(api: AdstudioApi, connected: boolean): JobsState {
  const [jobs, setJobs] = useState<JobView[] | null>(null);
  const [memory, setMemory] = useState<MemoryView | null>(null);
  const [busy, setBusy] = useState<Record<string, JobAction>>({});
  const [failure, setFailure] = useState<JobsState['failure']>(null);
  const alive = useRef(true);

  const refresh = useCallback(() => {
    void Promise.all([api.listJobs({}), api.getJobsMemory()]).then(([list, mem]) => {
      if (!alive.current) return;
      if (list.ok) setJobs((held) => mergeList(held, list.value));
      else {
        setJobs((held) => held ?? []);
        setFailure({ action: 'load', message: list.error.message });
      }
      if (mem.ok) setMemory(mem.value);
    });
  }, [api]);

  useEffect(() => {
    alive.current = true;
    const offJob = api.on('jobUpdated', (job) => setJobs((held) => mergeJob(held ?? [], job)));
    const offMemory = api.on('jobsMemory', setMemory);
    return () => {
      alive.current = false;
      offJob();
      offMemory();
    };
  }, [api]);

  // First load, and again after a reconnect: events sent while disconnected are lost.
  useEffect(() => {
    if (connected) refresh();
  }, [connected, refresh]);

  const done = useCallback((jobId: string) => setBusy(({ [jobId]: _finished, ...rest }) => rest), []);

  const cancel = useCallback(
    (jobId: string) => {
      setFailure(null);
      setBusy((b) => ({ ...b, [jobId]: 'cancel' }));
      // Resolves once the scheduler has stopped the job; its record arrives as jobUpdated.
      void api.cancelJob({ jobId }).then((r) => {
        if (!alive.current) return;
        done(jobId);
        if (!r.ok) setFailure({ action: 'cancel', message: r.error.message });
      });
    },
    [api, done],
  );

  const retry = useCallback(
    (jobId: string) => {
      setFailure(null);
      setBusy((b) => ({ ...b, [jobId]: 'retry' }));
      void api.retryJob({ jobId }).then((r) => {
        if (!alive.current) return;
        done(jobId);
        if (r.ok) setJobs((held) => mergeJob(held ?? [], r.value));
        else setFailure({ action: 'retry', message: r.error.message });
      });
    },
    [api, done],
  );

  return { jobs, memory, busy, failure, cancel, retry, refresh };
}
