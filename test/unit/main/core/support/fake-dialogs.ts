import type { DialogPort } from '../../../../../main/core/services-types.js';

/**
 * Stand-in for the Electron dialog adapter: answers with scripted paths (null = the user
 * cancelled) and records what it was asked.
 */
export function fakeDialogs(answers: Partial<Record<keyof DialogPort, (string | null)[]>> = {}) {
  const calls: { method: keyof DialogPort; args: unknown[] }[] = [];
  const next = (method: keyof DialogPort, args: unknown[]) => {
    calls.push({ method, args });
    const queue = answers[method] ?? [];
    return Promise.resolve(queue.length ? (queue.shift() ?? null) : null);
  };
  const dialogs: DialogPort = {
    openImage: (...args) => next('openImage', args),
    openProject: (...args) => next('openProject', args),
    saveProject: (...args) => next('saveProject', args),
    saveExport: (...args) => next('saveExport', args),
  };
  return { dialogs, calls };
}
