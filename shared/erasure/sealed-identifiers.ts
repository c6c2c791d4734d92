/**
 * The identifiers of an open request, sealed: AES-256-GCM under a key derived (HKDF-SHA256, label
 * `leadflow/erasure-seal/v1`) from the keyed-hash secret in Secrets Manager, with the request id as
 * additional data so a sealed value copied to another request does not open. Only the worker opens
 * them, to call ipSCAPE and to purge our objects; completion or cancellation deletes the sealed value.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { ErasureIdentifiers } from './identifiers';

const LABEL = 'leadflow/erasure-seal/v1';
const VERSION = 'v1';

/** Seals and opens identifiers under one key. */
export interface IdentifierSealer {
  seal(requestId: string, identifiers: ErasureIdentifiers): string;
  /** @throws Error (without the value) when the text was not sealed for this request under this key. */
  open(requestId: string, sealed: string): ErasureIdentifiers;
}

/**
 * A sealer whose key is derived from `secret`.
 *
 * @example
 * const sealer = createIdentifierSealer(secret);
 * sealer.open('er1', sealer.seal('er1', { phone: '+61412345678' })) // { phone: '+61412345678' }
 */
export function createIdentifierSealer(secret: Uint8Array | string): IdentifierSealer {
  const key = Buffer.from(hkdfSync('sha256', typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret, Buffer.alloc(0), LABEL, 32));
  return {
    seal(requestId, identifiers) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(requestId, 'utf8'));
      const body = Buffer.concat([cipher.update(JSON.stringify(identifiers), 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(requestId, sealed) {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== VERSION || !iv || body === undefined || !tag) throw new Error(`request ${requestId}: sealed identifiers have an unknown format`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(requestId, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
        return JSON.parse(text) as ErasureIdentifiers;
      } catch {
        throw new Error(`request ${requestId}: sealed identifiers do not open under this key`);
      }
    },
  };
}
