// Preloaded (NODE_OPTIONS=--import) into the CLI under test and, by Node, into every worker thread it
// starts from a file: any network use is written to $ADSTUDIO_NET_LOG and fails, proving that text
// detection and reading work offline (tesseract.js would otherwise fetch its traineddata from a CDN).
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import net from 'node:net';
import { isMainThread, threadId } from 'node:worker_threads';

const log = process.env.ADSTUDIO_NET_LOG;
const record = (line) => {
  if (log) appendFileSync(log, `${line}\n`);
};
record(`loaded ${isMainThread ? 'main' : `worker ${threadId}`}`);

const blocked = () => new Error('network blocked by the offline test');
globalThis.fetch = async (url) => {
  record(`fetch ${String(url)}`);
  throw blocked();
};
net.Socket.prototype.connect = function connect(options) {
  record(`connect ${JSON.stringify(options)}`);
  throw blocked();
};
dns.lookup = (host, ...rest) => {
  record(`dns ${host}`);
  const callback = rest.find((a) => typeof a === 'function');
  if (callback) process.nextTick(callback, blocked());
};
