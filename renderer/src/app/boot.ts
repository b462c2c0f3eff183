import { Editor } from '../editor/editor';
import { UiError, unwrap } from '../editor/errors';
import { getPlatform } from '../platform';
import type { Platform } from '../platform/types';

export type BootFailure = 'connect' | 'unauthorized' | 'error';

export class BootError extends Error {
  constructor(
    readonly reason: BootFailure,
    message: string,
    readonly platform: Platform | null,
  ) {
    super(message);
  }
}

/** Connect to the host and load what the editor needs before the first frame. */
export async function boot(): Promise<Editor> {
  let platform: Platform;
  try {
    platform = await getPlatform();
  } catch (err) {
    throw new BootError('connect', err instanceof Error ? err.message : String(err), null);
  }
  const state = platform.connection?.current().state;
  if (state === 'unauthorized') throw new BootError('unauthorized', 'token rejected', platform);
  if (state && state !== 'open') throw new BootError('connect', `connection ${state}`, platform);
  try {
    const [info, settings] = await Promise.all([platform.api.getAppInfo(), platform.api.getSettings()]);
    return new Editor(platform, unwrap(info), unwrap(settings));
  } catch (err) {
    const unauthorized = err instanceof UiError && err.code === 'unauthorized';
    throw new BootError(unauthorized ? 'unauthorized' : 'error', err instanceof Error ? err.message : String(err), platform);
  }
}

/** The locale 'system' follows: the OS in Electron, the browser's language in browser mode. */
export function systemLocale(ed: Editor | null): string {
  if (ed && ed.platform.mode === 'electron') return ed.appInfo.osLocale;
  return navigator.languages?.[0] ?? navigator.language ?? 'en';
}
