// A colleague's PC in a process of its own, for the office host's three-process tests: signs in to
// the host (its certificate pinned from the PEM given), makes the calls given in order and prints
// one JSON line: each call's envelope. Arguments: the host's URL, the pinned certificate's PEM
// file, the login, then the calls as JSON ([{method, input}]); the password in EOFFICE_PASSWORD.
import fs from 'node:fs';
import { OfficeConnection } from '../../main/core/office/officeClient.js';
import { fingerprintOf } from '../../main/core/office/hostCertificate.js';

const [url, certFile, login, callsJson] = process.argv.slice(2) as [string, string, string, string];
const certPem = fs.readFileSync(certFile, 'utf8');
const connection = new OfficeConnection(url, { certPem, fingerprint256: fingerprintOf(certPem) });
await connection.signIn(login, process.env.EOFFICE_PASSWORD ?? '');
const answers = [];
for (const { method, input } of JSON.parse(callsJson) as { method: string; input: unknown }[]) answers.push(await connection.envelope(method, input));
await connection.signOut();
process.stdout.write(`${JSON.stringify(answers)}\n`);
