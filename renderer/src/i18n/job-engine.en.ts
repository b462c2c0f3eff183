import type { jobEngineKo } from './job-engine.ko';

/** English strings for where new jobs run; the type forces exactly the keys of job-engine.ko.ts. */
export const jobEngineEn: Record<keyof typeof jobEngineKo, string> = {
  'jobEngine.title': 'Run jobs on',
  'jobEngine.hint': 'Where erasing, cut-outs and backgrounds run. Jobs already queued finish on the engine they were given to.',
  'jobEngine.embedded': 'Embedded engine (CPU, offline)',
  'jobEngine.protocol.adstudio-v1': 'adstudio engine',
  'jobEngine.protocol.nanococoa': 'nanoCocoa: backgrounds and lettering on the server, the rest embedded',
  'jobEngine.status.embedded': 'New jobs run on the embedded engine (CPU).',
  'jobEngine.status.connecting': 'Connecting to {name}…',
  'jobEngine.status.connected': 'New jobs run on {name}.',
  'jobEngine.status.waiting': '{name} is not running. Start it below and new jobs go there; until then they run on the embedded engine.',
  'jobEngine.status.error': 'Could not connect to {name}, so new jobs run on the embedded engine.',
  'jobEngine.changeFailed': 'Could not change where jobs run: {message}',
  'jobEngine.statusBar': 'Engine: {name}',
  'jobs.onEngine': 'on {name}',
};
