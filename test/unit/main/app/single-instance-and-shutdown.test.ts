import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { acquireSingleInstance } from '../../../../main/app/single-instance.js';
import type { FocusableWindow } from '../../../../main/app/single-instance.js';
import { installOrderedShutdown } from '../../../../main/app/shutdown.js';

class FakeApp extends EventEmitter {
  quits = 0;
  constructor(private readonly gotLock = true) {
    super();
  }
  requestSingleInstanceLock() {
    return this.gotLock;
  }
  /** Like Electron: quit() emits before-quit; it only proceeds when nobody prevented it. */
  quit() {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.quits++;
  }
}

class FakeWindow implements FocusableWindow {
  log: string[] = [];
  constructor(private minimized: boolean) {}
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
    this.log.push('restore');
  }
  show() {
    this.log.push('show');
  }
  focus() {
    this.log.push('focus');
  }
}

describe('single instance', () => {
  it('a second launch quits and reports false', () => {
    const app = new FakeApp(false);
    expect(acquireSingleInstance(app, () => null)).toBe(false);
    expect(app.quits).toBe(1);
  });

  it('the first instance restores and focuses its window when launched again', () => {
    const app = new FakeApp(true);
    const win = new FakeWindow(true);
    expect(acquireSingleInstance(app, () => win)).toBe(true);
    app.emit('second-instance');
    expect(win.log).toEqual(['restore', 'show', 'focus']);
    expect(app.quits).toBe(0);
  });
});

describe('ordered shutdown', () => {
  it('runs steps in order, survives a failing and a stuck step, then really quits', async () => {
    const app = new FakeApp();
    const order: string[] = [];
    const logged: string[] = [];
    installOrderedShutdown(
      app,
      [
        { name: 'ipc', run: () => void order.push('ipc') },
        { name: 'broken', run: () => { order.push('broken'); throw new Error('boom'); } },
        { name: 'stuck', run: () => { order.push('stuck'); return new Promise<void>(() => {}); } },
        { name: 'services', run: async () => void order.push('services') },
      ],
      { timeoutMs: 30, log: (l) => logged.push(l) },
    );
    app.quit();
    app.quit(); // a second quit while stopping changes nothing
    expect(app.quits).toBe(0);
    await expect.poll(() => app.quits).toBe(1);
    expect(order).toEqual(['ipc', 'broken', 'stuck', 'services']);
    expect(logged.join('\n')).toMatch(/"broken" failed: boom/);
    expect(logged.join('\n')).toMatch(/"stuck" failed: timed out/);
  });
});
