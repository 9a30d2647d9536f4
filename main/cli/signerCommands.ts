// eoffice signers, and --signer on the commands that sign: who can sign here (the tokens'
// certificates and the identities the remote signing services hold), and signing a registry
// document through the API contract, as the app does — with a token's PIN, or confirmed on the
// holder's phone.
import { randomUUID } from 'node:crypto';
import type { Core } from '../core/app/core.js';
import { invoke } from '../core/api/invoke.js';
import type { EventPayload, Input, MethodName, Output, SignerChoice } from '../common/contract.js';
import { parseSignerChoice, formatSignerChoice } from '../common/signerChoice.js';
import { formatDateVn } from '../common/dates.js';
import { CliError, UsageError } from './cliError.js';
import { readPin } from './secretInput.js';

async function call<M extends MethodName>(core: Core, method: M, input: Input<M>): Promise<Output<M>> {
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  if (!envelope.ok) throw new CliError(envelope.error.message);
  return envelope.result as Output<M>;
}

const APPROVAL = { pin: 'PIN', 'pin-each': 'PIN mỗi lần ký', phone: 'điện thoại' } as const;

export async function runSigners(core: Core, json: boolean, out: (line: string) => void): Promise<number> {
  const { signers, problems } = await call(core, 'signers.list', {});
  if (json) {
    out(JSON.stringify({ signers, problems }));
    return 0;
  }
  if (signers.length === 0) out('No signer: no token is plugged in and no remote signing service is set up (eoffice config set signer.…).');
  for (const s of signers) {
    const c = s.certificate;
    out(`${s.name}  ${c.subjectCommonName ?? '?'}${c.organization ? ` (${c.organization})` : ''} — ${s.source}, xác nhận bằng ${APPROVAL[s.approval]}, hiệu lực đến ${formatDateVn(c.validTo.slice(0, 10))}`);
  }
  // A service that could not be asked is said at once; the others are still listed.
  for (const p of problems) process.stderr.write(`eoffice: warning: ${p.source}: ${p.error.message}\n`);
  return 0;
}

/**
 * Who signs, from --signer or the short form --token <label> [--cert]: null for the short form
 * (the token path), the parsed choice otherwise. Both at once cannot both be meant.
 */
export function signerOption(options: { signer?: string; token?: string; cert?: string }): SignerChoice | null {
  if (options.signer === undefined) return null;
  if (options.token !== undefined || options.cert !== undefined) {
    throw new UsageError('give --signer or --token [--cert], not both: --token <label> --cert <id> is the short form of --signer token:<label>/<id>');
  }
  try {
    return parseSignerChoice(options.signer);
  } catch (error) {
    throw new UsageError(`--signer: ${(error as Error).message}`);
  }
}

/** A token choice as the short form's options, so that --signer token:… signs as --token does. */
export function tokenOptions<T extends { token?: string; cert?: string }>(options: T, choice: Extract<SignerChoice, { kind: 'token' }>): T {
  return { ...options, token: choice.label, cert: choice.certificateId };
}

/** Who signs: --signer, or the short form --token <label> [--cert <id>]; null when neither is given. */
export function chosenSigner(options: { signer?: string; token?: string; cert?: string }): SignerChoice | null {
  const choice = signerOption(options);
  if (choice) return choice;
  return options.token === undefined ? null : { kind: 'token', label: options.token, certificateId: options.cert };
}

/**
 * What the act needs besides the signer: a token's PIN (EOFFICE_PIN or the prompt), after the
 * token's own warning; nothing for a remote identity, whose holder confirms on the phone.
 */
async function approvalFor(core: Core, choice: SignerChoice, confirmFinalTry: boolean | undefined): Promise<{ pin?: string; confirmFinalTry?: boolean }> {
  if (choice.kind !== 'token') return {};
  const { tokens } = await call(core, 'tokens.list', {});
  const token = tokens.find((t) => t.label === choice.label && (choice.serial === undefined || t.serial === choice.serial));
  // Not plugged in: the call says so, without asking for a PIN first.
  if (!token) return {};
  if (token.pin.countLow && !token.pin.locked) process.stderr.write('eoffice: warning: a wrong PIN was entered on this token before; few tries are left\n');
  return { pin: await readPin(), confirmFinalTry: confirmFinalTry ?? false };
}

/**
 * Runs a call that signs: with a remote identity, says it waits for the phone (and what the phone
 * shows, once the service has the request); Ctrl+C cancels the batch — the phone's request then
 * expires there, and nothing is signed.
 */
async function whileSigning<T>(core: Core, choice: SignerChoice, sign: (batchId: string) => Promise<T>): Promise<T> {
  const batchId = `cli-${randomUUID()}`;
  if (choice.kind !== 'token') process.stderr.write(`Đang chờ xác nhận trên điện thoại… (${formatSignerChoice(choice)})\n`);
  const unsubscribe = core.events.subscribe((name, payload) => {
    if (name !== 'signing.waiting') return;
    const waiting = payload as EventPayload<'signing.waiting'>;
    if (waiting.batchId !== batchId) return;
    const until = new Date(waiting.expiresAt).toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    process.stderr.write(`Trên điện thoại: “${waiting.display}” (${waiting.documents} văn bản) — xác nhận trước ${until}\n`);
  });
  let interrupted = false;
  const cancel = () => {
    interrupted = true;
    process.stderr.write('\nĐang hủy…\n');
    void invoke(core.handlers, 'signing.cancel', { batchId }, () => undefined);
  };
  process.on('SIGINT', cancel);
  try {
    return await sign(batchId);
  } catch (error) {
    if (interrupted) throw new CliError('cancelled: nothing was signed');
    throw error;
  } finally {
    process.off('SIGINT', cancel);
    unsubscribe();
  }
}

interface ActOptions {
  /** --image: a PNG for this act instead of the certificate's stored one. */
  image?: Uint8Array<ArrayBuffer>;
  confirmFinalTry?: boolean;
}

/** documents.sign for one document, as the app signs it; the signing result's error is the command's. */
export async function signDocument(core: Core, id: number, choice: SignerChoice, appearance: Input<'documents.sign'>['appearance'], options: ActOptions): Promise<void> {
  const approval = await approvalFor(core, choice, options.confirmFinalTry);
  const { results } = await whileSigning(core, choice, (batchId) => call(core, 'documents.sign', { ids: [id], batchId, signer: choice, appearance, image: options.image, ...approval }));
  const [result] = results;
  if (result?.status !== 'signed') throw new CliError(result?.error?.message ?? 'not signed');
}

/** outgoing.issue: the number when still needed, the agency's seal from a token or a remote service, the queue. */
export async function issueDocument(core: Core, id: number, choice: SignerChoice, options: ActOptions): Promise<Output<'outgoing.issue'>> {
  const approval = await approvalFor(core, choice, options.confirmFinalTry);
  return whileSigning(core, choice, (batchId) => call(core, 'outgoing.issue', { id, batchId, signer: choice, sealImage: options.image, ...approval }));
}
