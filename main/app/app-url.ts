/**
 * The renderer's origin in Electron: a privileged standard scheme, so it has a real origin
 * ("app://adstudio"), a CSP 'self', fetch and the same relative URL layout as browser mode.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'adstudio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** True for app://adstudio/... only (Node's URL gives custom schemes an opaque "null" origin, so compare parts). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}
