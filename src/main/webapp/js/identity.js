// Who we are to our peers, and whom we verified: one DTLS certificate per signed-in name, made
// once and used for every call (so its fingerprint is a stable identity), and the peers marked
// verified (their name → the fingerprint they had then). Kept in this browser's IndexedDB only;
// nothing of it goes to the server. docs/verification.md says why and what its limits are.
import * as idb from './idb.js';
import { nameKey } from './names.js';
import { certificateFingerprints } from './safety.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Asked for on a new certificate; browsers may give less (they cap it), and then it is renewed sooner. */
const CERTIFICATE_LIFETIME_MS = 365 * DAY_MS;
/** A certificate this close to its end is replaced before a call starts with it. */
const RENEW_BEFORE_MS = DAY_MS;

export const DATABASE = 'textchat-identity';
const CERTIFICATES = 'certificates';
const PINS = 'pins';

/**
 * `store` keeps records ({get, put, delete} by object-store name and key; indexedDbStore or
 * memoryStore); `generate()` makes a new RTCCertificate. A store that fails leaves the page
 * working without a remembered identity: calls get a fresh certificate, nobody is verified.
 */
export class Identity {
  #store;
  #generate;
  #now;
  /** nameKey → Promise of {certificate, fingerprint}: one lookup (or generation) per name. */
  #certificates = new Map();

  constructor(store, { generate = generateCertificate, now = Date.now } = {}) {
    this.#store = store;
    this.#generate = generate;
    this.#now = now;
  }

  /** This name's {certificate, fingerprint}; made (and kept) on first use, and anew when it expires. */
  async certificateFor(self) {
    const key = nameKey(self);
    const known = this.#certificates.get(key);
    if (known) {
      const found = await known.catch(() => null);
      if (found && !this.#expiring(found.certificate)) return found;
    }
    const loading = this.#load(key);
    this.#certificates.set(key, loading);
    // A failed lookup is tried again next time, not remembered.
    loading.catch(() => {
      if (this.#certificates.get(key) === loading) this.#certificates.delete(key);
    });
    return loading;
  }

  /** What `self` remembers of `peer`: {fingerprint, verifiedAt} or null. */
  async pinFor(self, peer) {
    try {
      const pin = await this.#store.get(PINS, [nameKey(self), nameKey(peer)]);
      return pin ? { fingerprint: pin.fingerprint, verifiedAt: pin.verifiedAt } : null;
    } catch (error) {
      console.warn('textchat: could not read the verified peers', error);
      return null;
    }
  }

  /** `self` verified `peer`, who shows `fingerprint`: remembered from now on. */
  async pin(self, peer, fingerprint) {
    await this.#store.put(PINS, { self: nameKey(self), peer: nameKey(peer), peerName: peer, fingerprint, verifiedAt: this.#now() });
  }

  /** `self` no longer counts `peer` as verified. */
  async unpin(self, peer) {
    await this.#store.delete(PINS, [nameKey(self), nameKey(peer)]);
  }

  #expiring(certificate) {
    return certificate.expires - RENEW_BEFORE_MS <= this.#now();
  }

  async #load(key) {
    let record = null;
    try {
      record = await this.#store.get(CERTIFICATES, key);
    } catch (error) {
      console.warn('textchat: could not read this browser\'s identity; calls use a new one', error);
    }
    let certificate = record?.certificate;
    if (!certificate || this.#expiring(certificate)) {
      certificate = await this.#generate(CERTIFICATE_LIFETIME_MS);
      if (record) console.info('textchat: the identity certificate expired and was renewed; verified peers will see a new safety code');
      try {
        await this.#store.put(CERTIFICATES, { self: key, certificate, created: this.#now() });
      } catch (error) {
        console.warn('textchat: could not keep this browser\'s identity; the next page load gets a new one', error);
      }
    }
    return { certificate, fingerprint: certificateFingerprints(certificate) };
  }
}

function generateCertificate(lifetimeMs) {
  return RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256', expires: lifetimeMs });
}

/** The records' object stores and key paths (database `textchat-identity`, version 1). */
const SCHEMA = { [CERTIFICATES]: 'self', [PINS]: ['self', 'peer'] };

/** Records in IndexedDB: database `textchat-identity`, stores `certificates` (key: self) and `pins` (key: [self, peer]). */
export function indexedDbStore(factory = globalThis.indexedDB) {
  return idb.indexedDbStore(DATABASE, SCHEMA, factory);
}

/** Records in memory, keyed as indexedDbStore keys them (for tests, and where IndexedDB is missing). */
export function memoryStore() {
  // An RTCCertificate is kept as it is: it cannot be copied outside a browser.
  return idb.memoryStore(SCHEMA, { clone: (record) => record });
}
