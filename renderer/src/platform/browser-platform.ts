import { BRIDGE_RPC_PATH } from '../../../preload/contract/wire';
import { assetUrl } from './asset-url';
import { createBrowserBridge } from './browser-bridge';
import type { BridgeSocket, BridgeSocketEvents } from './browser-bridge';
import type { Platform } from './types';

/**
 * Browser mode: the page was served by `adstudio editor`, which set an HttpOnly cookie; the
 * WebSocket to the same origin carries it, so no token is handled in script.
 */
export async function createBrowserPlatform(): Promise<Platform> {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${BRIDGE_RPC_PATH}`;
  const bridge = createBrowserBridge({
    openSocket: (events) => openDomSocket(url, events),
    // A failed upgrade hides its status from script; the page URL answers 401 if our cookie is stale.
    checkAuthorized: async () => (await fetch('/', { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' })).status !== 401,
  });
  await bridge.ready;
  return {
    api: bridge.api,
    mode: 'browser',
    assetUrl,
    download,
    connection: bridge.connection,
  };
}

function openDomSocket(url: string, events: BridgeSocketEvents): BridgeSocket {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => events.open();
  ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) => events.message(typeof e.data === 'string' ? e.data : new Uint8Array(e.data));
  ws.onclose = (e) => events.close(e.code);
  return {
    send: (frame) => ws.send(frame as string | Uint8Array<ArrayBuffer>),
    close: () => ws.close(1000, 'closed by the editor'),
  };
}

/** Lets the browser save a file the server wrote (browser-mode export). */
function download(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
}
