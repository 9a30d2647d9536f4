// The reference remote signing service: VNPT SmartCA, CSC API v2 and ETSI TS 102 204 (MSS) over a
// real SoftHSM key, on 127.0.0.1, for the tests of eOffice's remote signing adapters and for
// developers (serve.ts). Never part of the shipped app. The contract it keeps is
// main/core/signing/remote/PROTOCOLS.md.
//
// One HTTP listener: /smartca/…, /csc/v2/…, and /control/… (the "phone": approve, refuse, expire;
// fault switches; statistics). A second, HTTPS listener for MSS at /mss, which asks for a client
// certificate and refuses, during the TLS handshake, one not issued by the test CA.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestToken } from '../support/softhsm.js';
import {
  ControlError,
  Faults,
  Transactions,
  jsonObject,
  type AutoPolicy,
  type FailureReason,
  type FaultSettings,
  type PendingRequest,
  type ProtocolCall,
  type ProtocolReply,
  type RemoteSignerStats,
  type ServiceContext,
  type Transaction,
} from './core.js';
import { cscHandler, cscUnavailable } from './csc.js';
import { TokenKeys } from './keys.js';
import { mssHandler, mssUnavailable } from './mss.js';
import { smartcaHandler, smartcaUnavailable } from './smartca.js';
import { issueMssTls } from './tls.js';

export interface RemoteSignerOptions {
  token: TestToken;
  /** SmartCA's and CSC's client_secret for client_id eoffice-test. */
  clientSecret: string;
  /** MSS AP_PWD for AP_ID eoffice-ap. */
  apPassword: string;
  /** How long the user has to approve; 300 s by default. */
  expiresInSeconds?: number;
  /** Decide new requests by themselves (benchmarks); none by default. */
  policy?: AutoPolicy;
  /** The HTTP listener's port (0 or absent: any free port). */
  port?: number;
  /** The MSS (HTTPS) listener's port (0 or absent: any free port). */
  mssPort?: number;
}

/** What /control/… does, callable in the process too. */
export interface RemoteSignerControl {
  pending(): PendingRequest[];
  /** Resolves once the hashes are signed. */
  approve(id: string): Promise<Transaction>;
  refuse(id: string): Transaction;
  expire(id: string): Transaction;
  /** Beyond §4 of the spec: the provider fails the request (its error, the SIM's PIN blocked, the key). */
  fail(id: string, reason?: FailureReason): Transaction;
  setPolicy(policy: AutoPolicy): Required<AutoPolicy>;
  /** Replaces every fault switch; `{}` clears them. */
  setFaults(faults: FaultSettings): Required<FaultSettings>;
  stats(): RemoteSignerStats;
}

export interface RemoteSigner {
  /** http://127.0.0.1:port: /smartca, /csc/v2, /control. */
  url: string;
  /** https://127.0.0.1:port/mss, client certificate required. */
  mssUrl: string;
  /** For tests: the CA to trust for the MSS listener, and an AP client certificate and key it issued. */
  mssTls: { caPem: string; clientCertPem: string; clientKeyPem: string };
  control: RemoteSignerControl;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

type Handler = (call: ProtocolCall) => Promise<ProtocolReply>;
interface Protocol {
  prefix: string;
  handle: Handler;
  unavailable: () => ProtocolReply;
}

export async function startRemoteSigner(options: RemoteSignerOptions): Promise<RemoteSigner> {
  const expiresInSeconds = options.expiresInSeconds ?? 300;
  if (!(expiresInSeconds > 0)) throw new Error('expiresInSeconds must be positive.');
  if (!options.clientSecret || !options.apPassword) throw new Error('The remote signer needs a client secret and an AP password.');
  const tls = await issueMssTls(options.token);
  const keys = TokenKeys.open(options.token);
  const transactions = new Transactions(keys, expiresInSeconds, options.policy);
  const faults = new Faults();
  const calls: Record<string, number> = {};
  const context: ServiceContext = { keys, transactions, clientSecret: options.clientSecret, apPassword: options.apPassword };
  const mss: Protocol = { prefix: '/mss', handle: mssHandler(context), unavailable: mssUnavailable };
  // On the HTTP listener, MSS's certificate call only (test setup, no client certificate needed):
  // a signature request there would bypass the mutual TLS.
  const mssCertificate: Protocol = { prefix: '/mss/certificate', handle: (call) => mss.handle({ ...call, route: '/certificate' }), unavailable: mssUnavailable };
  const httpProtocols: Protocol[] = [
    { prefix: '/smartca', handle: smartcaHandler(context), unavailable: smartcaUnavailable },
    { prefix: '/csc/v2', handle: cscHandler(context), unavailable: cscUnavailable },
    mssCertificate,
  ];

  const control: RemoteSignerControl = {
    pending: () => transactions.pending(),
    approve: (id) => transactions.approve(id),
    refuse: (id) => transactions.refuse(id),
    expire: (id) => transactions.expire(id),
    fail: (id, reason = 'error') => transactions.fail(id, reason),
    setPolicy: (policy) => transactions.setPolicy(policy),
    setFaults: (settings) => faults.set(settings),
    stats: () => ({ calls: { ...calls }, approvals: transactions.approvals }),
  };

  /** A protocol call through the fault switches: latency, 503s, the service down, a dropped answer, a duplicated one. */
  async function serveProtocol(protocol: Protocol, request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<void> {
    const route = url.pathname.slice(protocol.prefix.length);
    const action = typeof request.headers['soapaction'] === 'string' ? request.headers['soapaction'].replace(/"/g, '') : '';
    const key = `${url.pathname}${protocol === mss && action ? action : ''}`;
    calls[key] = (calls[key] ?? 0) + 1;
    const body = await readBody(request);
    if (body === null) return write(response, { status: 413, contentType: 'text/plain', body: 'request too large' });
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (faults.takeFailure()) return write(response, protocol.unavailable());
    const reply = await protocol.handle({ route, method: request.method ?? '', headers: request.headers, query: url.searchParams, body });
    if (reply.poll) faults.countPoll();
    if (faults.takeDrop()) {
      request.socket.destroy();
      return;
    }
    write(response, reply);
    // The same answer once more on the connection, unasked for (see FaultSettings.duplicateAnswers);
    // written at once, so it follows the answer on the socket before anything else can.
    if (reply.poll?.final && faults.duplicateAnswers) request.socket.write(rawAnswer(reply));
  }

  async function serveControl(request: http.IncomingMessage, response: http.ServerResponse, route: string): Promise<void> {
    const json = (status: number, value: unknown) => write(response, { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) });
    const body = request.method === 'POST' ? jsonObject((await readBody(request)) ?? Buffer.alloc(0)) : {};
    if (body === null) return json(400, { error: 'the body must be a JSON object' });
    const id = typeof body['id'] === 'string' ? body['id'] : '';
    const decided = (transaction: Transaction) => json(200, { id: transaction.id, state: transaction.state });
    try {
      const key = `${request.method} ${route}`;
      if (key === 'GET /pending') return json(200, control.pending());
      if (key === 'GET /stats') return json(200, control.stats());
      if (key === 'GET /faults') return json(200, faults.current());
      if (key === 'POST /approve') return decided(await control.approve(id));
      if (key === 'POST /refuse') return decided(control.refuse(id));
      if (key === 'POST /expire') return decided(control.expire(id));
      if (key === 'POST /fail') {
        const reason = body['reason'] ?? 'error';
        if (reason !== 'error' && reason !== 'pinBlocked' && reason !== 'keyProblem') return json(400, { error: 'reason must be error, pinBlocked or keyProblem' });
        return decided(control.fail(id, reason));
      }
      if (key === 'POST /policy') return json(200, control.setPolicy(body as unknown as AutoPolicy));
      if (key === 'POST /faults') return json(200, control.setFaults(body as FaultSettings));
      return json(404, { error: `no control call ${key}` });
    } catch (error) {
      if (error instanceof ControlError) return json(error.status, { error: error.message });
      throw error;
    }
  }

  const onRequest = (protocolsHere: Protocol[], withControl: boolean) => (request: http.IncomingMessage, response: http.ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://remote-signer');
    const within = (prefix: string) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`);
    const protocol = protocolsHere.find((candidate) => within(candidate.prefix));
    const work = protocol
      ? serveProtocol(protocol, request, response, url)
      : withControl && within('/control')
        ? serveControl(request, response, url.pathname.slice('/control'.length))
        : Promise.resolve(write(response, { status: 404, contentType: 'text/plain; charset=utf-8', body: `nothing at ${url.pathname}` }));
    work.catch((error: unknown) => {
      if (response.headersSent) response.destroy();
      else write(response, { status: 500, contentType: 'text/plain; charset=utf-8', body: `internal error: ${(error as Error).message}` });
    });
  };

  const server = http.createServer(onRequest(httpProtocols, true));
  const mssServer = https.createServer(
    { key: tls.serverKeyPem, cert: tls.serverCertPem, ca: tls.caPem, requestCert: true, rejectUnauthorized: true },
    onRequest([mss], false),
  );
  try {
    await listen(server, options.port ?? 0);
    await listen(mssServer, options.mssPort ?? 0);
  } catch (error) {
    server.close();
    transactions.close();
    await keys.close();
    throw error;
  }
  const closeServer = (listener: http.Server) => {
    const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
    listener.closeAllConnections();
    return closed;
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mssUrl: `https://127.0.0.1:${(mssServer.address() as AddressInfo).port}/mss`,
    mssTls: { caPem: tls.caPem, clientCertPem: tls.clientCertPem, clientKeyPem: tls.clientKeyPem },
    control,
    close: async () => {
      transactions.close();
      await Promise.all([closeServer(server), closeServer(mssServer)]);
      await keys.close();
    },
  };
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The whole body, or null past MAX_BODY_BYTES. */
async function readBody(request: http.IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even past the limit: an answer before the whole request is in reaches a
  // client still sending as a reset.
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : null;
}

function write(response: http.ServerResponse, reply: ProtocolReply): void {
  response.writeHead(reply.status, { 'content-type': reply.contentType, 'content-length': Buffer.byteLength(reply.body) });
  response.end(reply.body);
}

/** An answer as bytes on the wire, for writing it a second time. */
function rawAnswer(reply: ProtocolReply): string {
  return `HTTP/1.1 ${reply.status} ${http.STATUS_CODES[reply.status] ?? ''}\r\ncontent-type: ${reply.contentType}\r\ncontent-length: ${Buffer.byteLength(reply.body)}\r\n\r\n${reply.body}`;
}
