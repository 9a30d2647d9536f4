// The handlers for tokens and signing: the token panel (modules, tokens, login), the signature
// and seal images, and signing documents in batches with progress and cancel.
import { signaturePlacement } from '../issuing/outgoing.js';
import type { CoreServices } from '../app/core.js';
import type { GroupHandlers } from './methodGroups.js';
import type { ParsedInput } from '../../common/contract.js';
import { AppError } from '../../common/errors.js';
import type { AppearanceSpec } from '../pades/appearance.js';
import type { SignerKey } from '../signing/signerKey.js';
import { assertAgencyCertificate } from '../../common/agencyCertificate.js';
import { localAgency } from '../registry/agency.js';
import { certificateImage, certificateImages, checkPng, clearCertificateImage, setCertificateImage } from '../registry/certificateImages.js';
import { signDocuments } from '../signing/signDocuments.js';
import { assertUsable } from '../signing/signStoredFile.js';
import { listSigners, withSignerKey, type SignersContext } from '../signing/signers.js';
import { answerClientRequest, asSigningBatch, cancelSigningBatch, clientRequestsOf } from './signingBatches.js';
import { pickUserModule } from '../token/userModules.js';

type SigningHandlers = GroupHandlers<'signing'>;


/** What choosing a signer needs of the core. */
export function signersContext(core: CoreServices): SignersContext {
  return { dataDir: core.dataDir, settings: core.settings, secrets: core.secrets, tokens: core.tokens };
}

export function createSigningHandlers(core: CoreServices, signingQueue: <T>(task: () => Promise<T>) => Promise<T>): SigningHandlers {

  function agencyName(): string {
    const name = localAgency(core.db).name.trim();
    if (!name) throw new AppError('AGENCY_NAME_MISSING', "Set the agency's name before signing as the agency: it is written in the signature.");
    return name;
  }

  /** `given`: the act's own image (checked before any document is touched), else the certificate's stored one. */
  function appearanceFor(requested: ParsedInput<'documents.sign'>['appearance'], key: SignerKey, given: Uint8Array | undefined): AppearanceSpec {
    const fingerprint = key.facts.fingerprint256;
    switch (requested.kind) {
      case 'invisible':
        return requested;
      case 'signer': {
        const image = given ?? certificateImage(core, fingerprint, 'signature') ?? undefined;
        // Without a signature image the holder's name stands in, so the mark is never an empty box.
        return { ...requested, image, lines: image ? undefined : [key.facts.subjectCommonName ?? key.facts.subject] };
      }
      // Both print the agency's name: they take the agency's own certificate, never a person's.
      case 'agency': {
        const name = agencyName();
        assertAgencyCertificate(key.facts, name);
        return { ...requested, sealImage: given ?? certificateImage(core, fingerprint, 'seal') ?? undefined, agencyName: name };
      }
      case 'attachment': {
        const name = agencyName();
        assertAgencyCertificate(key.facts, name);
        return { ...requested, agencyName: name };
      }
    }
  }

  return {
    'tokens.list': () => core.tokens.list(),
    'tokens.addModule': () => pickUserModule(core.tokens, core.settings, core.tokenModulePicker),
    'tokens.removeModule': async ({ path }) => {
      const settings = core.settings.update({ tokenModules: core.settings.read().tokenModules.filter((p) => p !== path) });
      await core.tokens.removeModule(path);
      return settings;
    },
    'tokens.login': ({ label, serial, pin, confirmFinalTry }) => core.tokens.login({ label, serial }, pin, { confirmFinalTry }),
    'tokens.logout': async ({ label, serial }) => {
      await core.tokens.logout({ label, serial });
      return {};
    },
    'tokens.images': ({ fingerprint256 }) => certificateImages(core, fingerprint256),
    'tokens.setImage': async ({ fingerprint256, kind, png }) => {
      await setCertificateImage(core, fingerprint256, kind, png);
      return certificateImages(core, fingerprint256);
    },
    'tokens.clearImage': ({ fingerprint256, kind }) => {
      clearCertificateImage(core, fingerprint256, kind);
      return certificateImages(core, fingerprint256);
    },
    'signing.cancel': ({ batchId }) => ({ cancelled: cancelSigningBatch(core, batchId) }),
    'signing.requests': ({ batchId }) => clientRequestsOf(core, batchId),
    'signing.respond': ({ batchId, requestId, signatures }) => ({ accepted: answerClientRequest(core, batchId, requestId, signatures) }),
    'signers.list': () => listSigners(signersContext(core)),
    'documents.sign': async (input) => {
      if (input.image) await checkPng(input.image);
      return asSigningBatch(core, input.batchId, async (batch) => {
        const batchId = batch.id;
        // The batch is one signing act: one PIN, then the token is logged out (see TokenService);
        // with a remote signer, one confirmation on the phone per group of documents.
        const act = { pin: input.pin, confirmFinalTry: input.confirmFinalTry, askClient: batch.askClient };
        // A token's batch takes its turn among the writes, as it always has; a phone's confirmation
        // may take minutes, and holding the queue would stop every clerk's work meanwhile (cấp số,
        // tiếp nhận…). Its commits need no turn: each checks that the document is still the one signed.
        const turn = input.signer.kind === 'token' ? signingQueue : <T,>(task: () => Promise<T>) => task();
        return await turn(() => withSignerKey(signersContext(core), input.signer, act, async (key) => {
          assertUsable(key);
          const appearance = appearanceFor(input.appearance, key, input.image);
          const ids = [...new Set(input.ids)];
          const results = await signDocuments(
            {
              db: core.db,
              blobs: core.blobs,
              actor: core.actor,
              key,
              role: input.appearance.kind,
              appearance,
              timestamp: core.settings.read().tsaUrl ? { url: core.settings.read().tsaUrl } : undefined,
              placement: signaturePlacement, cancelled: () => batch.cancelled,
              signal: batch.abort.signal,
              onWaiting: batch.waiting,
              onResult: (result, done, total) => {
                if (result.status === 'signed') core.events.emit('documents.changed', { ids: [result.id] });
                core.events.emit('signing.progress', { batchId, done, total, documentId: result.id, status: result.status });
              },
            },
            ids,
          );
          return { batchId, results };
        }, { signal: batch.abort.signal }));
      });
    },
  };
}
