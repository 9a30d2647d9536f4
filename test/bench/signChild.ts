// One signing run in its own process, so that its peak memory is its own. Arguments: the token
// module, its label, the key id, then pairs of input and output files. The PIN comes from
// EOFFICE_PIN, never from the command line. Prints {ms, rssMB} as JSON: ms is the signing alone
// (after the login), for all pairs together.
import { loadModule } from '../../main/core/token/modules.js';
import { openTokenSession } from '../../main/core/token/session.js';
import { signBatch } from '../../main/core/pades/batch.js';
import { ownPeakRssMB } from './childRss.js';

const [modulePath, label, keyId, ...files] = process.argv.slice(2) as [string, string, string, ...string[]];
const module = loadModule(modulePath);
const session = openTokenSession(module.pkcs11, { label });
await session.login(process.env.EOFFICE_PIN ?? '');
const key = await session.signingKey(keyId);
const items = [];
for (let i = 0; i < files.length; i += 2) items.push({ input: files[i]!, output: files[i + 1]! });
const started = performance.now();
const results = await signBatch(items, { key });
const ms = performance.now() - started;
await session.close();
module.release();
const failed = results.filter((r) => r.status !== 'signed');
if (failed.length) throw new Error(`not signed: ${JSON.stringify(failed[0])}`);
process.stdout.write(JSON.stringify({ ms, rssMB: ownPeakRssMB() }));
