import { useEffect, useRef, useState } from 'react';
import type { AdstudioApi } from '../../../../preload/contract/api';
import type { EngineMemoryState } from './engine-vram';
import type { EngineSnapshot } from './use-engines';

/** nanoCocoa asks for gentle polling (every /health answer carries its metrics): every few seconds. */
export const MEMORY_POLL_MS = 4_000;

/**
 * Polls the VRAM of every healthy engine while the panel is open (the hook lives as long as the
 * panel): at once when an engine becomes healthy, then every few seconds, one request per engine at
 * a time. Engines that cannot report VRAM (no protocol for it) are asked once.
 */
export function useEngineMemory(api: AdstudioApi, engines: EngineSnapshot[] | null, everyMs = MEMORY_POLL_MS): Record<string, EngineMemoryState> {
  const [states, setStates] = useState<Record<string, EngineMemoryState>>({});
  const inFlight = useRef(new Set<string>());
  const healthy = (engines ?? []).filter((e) => e.state === 'healthy').map((e) => e.profile);
  const key = healthy.join('\n');

  useEffect(() => {
    const profiles = key ? key.split('\n') : [];
    // Readings of engines that stopped are gone: a stopped engine has no VRAM to show.
    setStates((s) => Object.fromEntries(Object.entries(s).filter(([p]) => profiles.includes(p))));
    if (profiles.length === 0) return;
    let live = true;
    const unsupported = new Set<string>();
    const poll = () => {
      for (const profile of profiles) {
        if (inFlight.current.has(profile) || unsupported.has(profile)) continue;
        inFlight.current.add(profile);
        void api.getEngineMemory({ profile }).then((r) => {
          inFlight.current.delete(profile);
          if (!live) return;
          if (!r.ok && r.error.code === 'unsupported') unsupported.add(profile);
          setStates((s) => ({ ...s, [profile]: r.ok ? { memory: r.value } : { error: r.error.message, code: r.error.code } }));
        });
      }
    };
    poll();
    const timer = setInterval(poll, everyMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, key, everyMs]);

  return states;
}
