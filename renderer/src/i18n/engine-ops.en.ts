import type { engineOpsKo } from './engine-ops.ko';

/** English strings for the Engines panel's quit setting, reset, container removal and log paging; same keys as engine-ops.ko.ts. */
export const engineOpsEn: Record<keyof typeof engineOpsKo, string> = {
  'engines.onQuit.label': 'When adstudio quits',
  'engines.onQuit.leave-running': 'leave engines running',
  'engines.onQuit.stop': 'stop them',
  'engines.onQuit.hint': 'Stopping covers only the engines this run of adstudio started. Left running, they are ready next time (and long model downloads go on).',
  'engines.onQuit.failed': 'Could not save what happens at quit: {message}',
  'engines.reset': 'Reset',
  'engines.resetConfirm': 'Reset the {name} server? Every job running on it stops, and a stuck job lock is cleared.',
  'engines.resetYes': 'Reset it',
  'engines.resetNo': 'Keep it',
  'engines.remove': 'Remove container',
  'engines.removeConfirm':
    'Remove the container {container} ({name})? The image {image} and the model volume are not deleted; the next Start creates a fresh container from the profile. A running engine must be stopped first.',
  'engines.removeYes': 'Remove the container',
  'engines.removeNo': 'Keep it',
  'engines.logsShown': 'Last {count} lines',
  'engines.logsMore': 'Load earlier lines',
};
