// CRLs and OCSP on 127.0.0.1 for the validation tests: the CRLs are bytes the test publishes
// (made by openssl in testCa.ts); OCSP answers come from `openssl ocsp` over an index the test
// keeps, signed by a delegated responder. `silent` makes the server take requests and never
// answer, as an unreachable CA does.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo, Socket } from 'node:net';
import { tempDir } from './fixtures.js';
import type { TestCertificate } from './testCa.js';

const run = promisify(execFile);

/**
 * The address policy the validation tests give the revocation checker: their server on
 * 127.0.0.1 only. The checker's default refuses loopback (certificates name the URLs it asks);
 * shipped code never passes this.
 */
export function allowTestServer(address: string): boolean {
  return address === '127.0.0.1';
}

export interface OcspEntry {
  /** Upper-case hex. */
  serialHex: string;
  revokedAt?: Date;
}

export interface RevocationServer {
  baseUrl: string;
  ocspUrl: string;
  /** Published CRLs by file name (root.crl, intermediate.crl). */
  crls: Map<string, Uint8Array>;
  /** What `openssl ocsp` answers for: listed serials are good unless revoked, others unknown. */
  ocsp: { issuer: TestCertificate; responder: TestCertificate; entries: OcspEntry[] } | null;
  silent: boolean;
  requests: { crl: number; ocsp: number };
  close(): Promise<void>;
}

const opensslDate = (date: Date) => date.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z').slice(2);

export async function startRevocationServer(): Promise<RevocationServer> {
  const dir = tempDir('eoffice-revocation-');
  const sockets = new Set<Socket>();
  let counter = 0;
  const state: RevocationServer = { baseUrl: '', ocspUrl: '', crls: new Map(), ocsp: null, silent: false, requests: { crl: 0, ocsp: 0 }, close: async () => undefined };

  async function answerOcsp(request: Buffer): Promise<Buffer> {
    const ocsp = state.ocsp!;
    const id = ++counter;
    const index = path.join(dir, `index-${id}.txt`);
    fs.writeFileSync(index, ocsp.entries.map((e) => `${e.revokedAt ? 'R' : 'V'}\t991231235959Z\t${e.revokedAt ? opensslDate(e.revokedAt) : ''}\t${e.serialHex}\tunknown\t/CN=test\n`).join(''));
    fs.writeFileSync(`${index}.attr`, 'unique_subject = no\n');
    const requestFile = path.join(dir, `request-${id}.der`);
    const responseFile = path.join(dir, `response-${id}.der`);
    fs.writeFileSync(requestFile, request);
    await run('openssl', ['ocsp', '-index', index, '-CA', ocsp.issuer.certPath, '-rsigner', ocsp.responder.certPath, '-rkey', ocsp.responder.keyPath, '-reqin', requestFile, '-respout', responseFile, '-ndays', '1']);
    return fs.readFileSync(responseFile);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      if (state.silent) return;
      const name = (req.url ?? '').replace(/^\//, '');
      if (req.method === 'POST' && name === 'ocsp' && state.ocsp) {
        state.requests.ocsp++;
        try {
          res.writeHead(200, { 'Content-Type': 'application/ocsp-response' });
          res.end(await answerOcsp(Buffer.concat(chunks)));
        } catch (error) {
          res.writeHead(500);
          res.end(String(error));
        }
        return;
      }
      const crl = state.crls.get(name);
      if (req.method === 'GET' && crl) {
        state.requests.crl++;
        res.writeHead(200, { 'Content-Type': 'application/pkix-crl' });
        res.end(crl);
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.ocspUrl = `${state.baseUrl}/ocsp`;
  state.close = () =>
    new Promise<void>((resolve) => {
      // Requests left hanging by `silent` would keep the server open.
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return state;
}
