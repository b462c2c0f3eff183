import { useCallback, useEffect, useRef, useState } from 'react';
import type { AdstudioApi } from '../../../../preload/contract/api';
import type { EventPayload } from '../../../../preload/contract/channels';

export type EngineSnapshot = EventPayload<'engineState'>;
export type EngineLogLine = EventPayload<'engineLog'>;
export type EngineAction = 'start' | 'stop' | 'restart' | 'reset' | 'remove';

const TAIL = 5;

export interface EnginesView {
  /** null while the first list is loading. */
  engines: EngineSnapshot[] | null;
  /** Last log lines per profile (from getEngineLogs, then engineLog events). */
  tails: Record<string, EngineLogLine[]>;
  /** Profiles with a start/stop/restart/reset/remove in flight. */
  busy: Record<string, EngineAction>;
  /** A request that failed without a snapshot to show it in (transport, unknown profile). */
  failure: string | null;
  act(profile: string, action: EngineAction): void;
  refresh(): void;
  /** The whole list as a settings change answered it (profiles added or deleted). */
  replace(list: EngineSnapshot[]): void;
}

/** The panel's live model: the list once, then engineState/engineLog events keep it current. */
export function useEngines(api: AdstudioApi): EnginesView {
  const [engines, setEngines] = useState<EngineSnapshot[] | null>(null);
  const [tails, setTails] = useState<Record<string, EngineLogLine[]>>({});
  const [busy, setBusy] = useState<Record<string, EngineAction>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const alive = useRef(true);

  const upsert = useCallback((snap: EngineSnapshot) => {
    setEngines((list) => {
      if (!list) return list;
      const i = list.findIndex((e) => e.profile === snap.profile);
      if (i < 0) return [...list, snap];
      // Events can overtake a response: keep the newer picture.
      if (list[i]!.updatedAt > snap.updatedAt) return list;
      const next = list.slice();
      next[i] = snap;
      return next;
    });
  }, []);

  const refresh = useCallback(() => {
    void api.listEngines().then(async (r) => {
      if (!alive.current) return;
      if (!r.ok) {
        setFailure(r.error.message);
        setEngines([]);
        return;
      }
      setEngines(r.value);
      const logs = await Promise.all(r.value.map((e) => api.getEngineLogs({ profile: e.profile, limit: TAIL })));
      if (!alive.current) return;
      const next: Record<string, EngineLogLine[]> = {};
      r.value.forEach((e, i) => {
        const res = logs[i];
        next[e.profile] = res?.ok ? res.value.lines : [];
      });
      setTails(next);
    });
  }, [api]);

  useEffect(() => {
    alive.current = true;
    refresh();
    const offState = api.on('engineState', upsert);
    const offLog = api.on('engineLog', (line) =>
      setTails((t) => ({ ...t, [line.profile]: [...(t[line.profile] ?? []), line].slice(-TAIL) })),
    );
    return () => {
      alive.current = false;
      offState();
      offLog();
    };
  }, [api, refresh, upsert]);

  const act = useCallback(
    (profile: string, action: EngineAction) => {
      setFailure(null);
      setBusy((b) => ({ ...b, [profile]: action }));
      const call = { start: api.startEngine, stop: api.stopEngine, restart: api.restartEngine, reset: api.resetEngine, remove: api.removeEngine }[action];
      void call({ profile }).then((r) => {
        if (!alive.current) return;
        setBusy(({ [profile]: _done, ...rest }) => rest);
        if (r.ok) upsert(r.value);
        else setFailure(r.error.message);
      });
    },
    [api, upsert],
  );

  const replace = useCallback((list: EngineSnapshot[]) => {
    setEngines(list);
    setTails((t) => Object.fromEntries(Object.entries(t).filter(([p]) => list.some((e) => e.profile === p))));
  }, []);

  return { engines, tails, busy, failure, act, refresh, replace };
}
