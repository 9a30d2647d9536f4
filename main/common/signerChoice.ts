// Who signs: a token plugged into this PC, or an identity a remote signing service holds for the
// signer (SmartCA, a CSC service, a SIM PKI gateway). The command line writes it as one word —
// token:<label>[/<certificate>], smartca:<account>[/<credential>], csc:<provider>/<credential>, mss:<msisdn> —
// and the UI picks it from the list of signers; both give this shape.

import type { SignerChoice } from './contract.js';

export type { SignerChoice };

export const SIGNER_SYNTAX = 'token:<label>[/<certificate>] | smartca:<account>[/<credential>] | csc:<provider>/<credential> | mss:<msisdn>';

/** Reads the command line's form; throws an Error naming the accepted forms. */
export function parseSignerChoice(text: string): SignerChoice {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? '' : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1).trim();
  const bad = () => new Error(`"${text}" is not a signer; write ${SIGNER_SYNTAX}.`);
  if (!rest) throw bad();
  switch (kind) {
    case 'token': {
      // The label may hold spaces and Vietnamese letters; the certificate (CKA_ID or serial) follows the last slash.
      const slash = rest.lastIndexOf('/');
      const label = (slash < 0 ? rest : rest.slice(0, slash)).trim();
      const certificateId = slash < 0 ? undefined : rest.slice(slash + 1).trim();
      if (!label || certificateId === '') throw bad();
      return certificateId ? { kind: 'token', label, certificateId } : { kind: 'token', label };
    }
    case 'smartca': {
      // An account with several certificates names one after a slash.
      const slash = rest.indexOf('/');
      const account = (slash < 0 ? rest : rest.slice(0, slash)).trim();
      const credentialId = slash < 0 ? undefined : rest.slice(slash + 1).trim();
      if (!account || credentialId === '') throw bad();
      return credentialId ? { kind: 'smartca', account, credentialId } : { kind: 'smartca', account };
    }
    case 'csc': {
      const slash = rest.indexOf('/');
      const provider = slash < 0 ? '' : rest.slice(0, slash).trim();
      const credentialId = slash < 0 ? '' : rest.slice(slash + 1).trim();
      if (!provider || !credentialId) throw bad();
      return { kind: 'csc', provider, credentialId };
    }
    case 'mss': {
      // Written as the operator prints it (0912 345 678, +84 912 345 678); kept in the international form the gateway wants.
      const digits = rest.replace(/[\s.-]/g, '');
      const msisdn = /^\+?84\d{9,10}$/.test(digits) ? digits.replace(/^\+/, '') : /^0\d{9,10}$/.test(digits) ? `84${digits.slice(1)}` : null;
      if (!msisdn) throw new Error(`"${rest}" is not a Vietnamese mobile number (write 0912345678 or 84912345678).`);
      return { kind: 'mss', msisdn };
    }
    default:
      throw bad();
  }
}

/** The command line's form of a choice: what `eoffice signers` prints for each signer. */
export function formatSignerChoice(choice: SignerChoice): string {
  switch (choice.kind) {
    case 'client':
      return 'client:token';
    case 'token':
      return `token:${choice.label}${choice.certificateId ? `/${choice.certificateId}` : ''}`;
    case 'smartca':
      return `smartca:${choice.account}${choice.credentialId ? `/${choice.credentialId}` : ''}`;
    case 'csc':
      return `csc:${choice.provider}/${choice.credentialId}`;
    case 'mss':
      return `mss:${choice.msisdn}`;
  }
}
