/**
 * Child process for the crash-recovery test: autosaves a dirty document like an editor session,
 * says so on stdout, then waits to be killed with SIGKILL (no cleanup code can run).
 * argv: <recoveryDir> <assetsDir> <sessionId> <documentJson>
 */
import { AssetStore } from '../../../../../main/core/assets/asset-store.js';
import { RecoveryStore } from '../../../../../main/core/documents/recovery.js';

const [recoveryDir, assetsDir, sessionId, documentJson] = process.argv.slice(2) as [string, string, string, string];
const recovery = new RecoveryStore(recoveryDir, new AssetStore(assetsDir));
await recovery.autosave(sessionId, JSON.parse(documentJson), '/somewhere/ad.adstudio', true);
process.stdout.write('saved\n');
setInterval(() => undefined, 1000);
