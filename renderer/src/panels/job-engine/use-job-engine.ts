import { useCallback, useEffect, useRef, useState } from 'react';
import type { AdstudioApi } from '../../../../preload/contract/api';
import type { JobEngineViewPayload } from '../../../../preload/contract/jobs';

export interface JobEngineState {
  /** null until the first answer (or where main has no answer). */
  view: JobEngineViewPayload | null;
  /** A choice being saved. */
  pending: string | null;
  failure: string | null;
  choose(choice: string): Promise<boolean>;
}

/** Where new jobs run: getJobEngine once (again after a reconnect), then jobEngine events. */
export function useJobEngine(api: AdstudioApi, connected: boolean): JobEngineState {
  const [view, setView] = useState<JobEngineViewPayload | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    const off = api.on('jobEngine', setView);
    return () => {
      alive.current = false;
      off();
    };
  }, [api]);

  // Events sent while disconnected are lost: ask again on every (re)connect.
  useEffect(() => {
    if (!connected) return;
    void api.getJobEngine().then((r) => {
      if (alive.current && r.ok) setView(r.value);
    });
  }, [api, connected]);

  const choose = useCallback(
    async (choice: string) => {
      setFailure(null);
      setPending(choice);
      const r = await api.setJobEngine({ choice });
      if (!alive.current) return r.ok;
      setPending(null);
      if (r.ok) setView(r.value);
      else setFailure(r.error.message);
      return r.ok;
    },
    [api],
  );

  return { view, pending, failure, choose };
}
