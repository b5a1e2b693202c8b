// The safety code (docs/verification.md): a short code both people read to each other, bound to
// the DTLS certificates of the connection they are actually on, and agreed on by commit-then-
// reveal over the data channel, so that neither end, nor a server in the middle, can pick it.
import { Emitter } from './emitter.js';

export const VERSION = 1;
/** Mixed into every hash, so that nothing else's hash is ever taken for one of ours. */
const CODE_TAG = 'textchat safety code v1';
const COMMIT_TAG = 'textchat safety commit v1';
const NONCE_BYTES = 32;
/** The whole exchange must be over this long after the channel opened. */
export const EXCHANGE_TIMEOUT_MS = 10_000;
/** 12 decimal digits, read as three groups of four: about 39.9 bits. */
const CODE_DIGITS = 12;
const GROUP = 4;

const encoder = new TextEncoder();

/**
 * The DTLS certificate fingerprints a session description commits to (its `a=fingerprint`
 * lines, session or media level): "sha-256 AB:CD:…", algorithm lower-cased, hex upper-cased,
 * without repeats, sorted and joined by ", ". Empty when it has none.
 */
export function fingerprintsOf(sdp) {
  const found = new Set();
  for (const line of String(sdp ?? '').split(/\r?\n/)) {
    const match = /^a=fingerprint:(\S+)\s+([0-9A-Fa-f:]+)\s*$/.exec(line);
    if (match) found.add(normalFingerprint(match[1], match[2]));
  }
  return [...found].sort().join(', ');
}

/** An RTCCertificate's fingerprints, in the form fingerprintsOf gives for the SDP that uses it. */
export function certificateFingerprints(certificate) {
  const found = new Set(certificate.getFingerprints().map(({ algorithm, value }) => normalFingerprint(algorithm, value)));
  return [...found].sort().join(', ');
}

function normalFingerprint(algorithm, value) {
  return `${algorithm.toLowerCase()} ${value.toUpperCase()}`;
}

/**
 * What a remembered pin says of the fingerprint the peer shows now: `verified` (the same),
 * `changed` (another one: a new device, cleared site data, or someone in the middle) or
 * `unverified` (nothing remembered for this peer).
 */
export function trustOf(pin, remoteFingerprint) {
  if (!pin) return 'unverified';
  return pin.fingerprint === remoteFingerprint ? 'verified' : 'changed';
}

/**
 * The code both ends compute: SHA-256 of the tag, the two ends' fingerprints (sorted, so both
 * order them alike) and the two nonces (the caller's first), read as 12 digits in groups of 4.
 */
export async function safetyCode({ local, remote, callerNonce, calleeNonce }, subtle = globalThis.crypto.subtle) {
  const [low, high] = [local, remote].sort();
  const input = concat(encoder.encode(`${CODE_TAG}\0${low}\0${high}\0`), callerNonce, calleeNonce);
  const digest = new Uint8Array(await subtle.digest('SHA-256', input));
  let number = 0n;
  for (const byte of digest.subarray(0, 8)) number = (number << 8n) | BigInt(byte);
  const digits = (number % 10n ** BigInt(CODE_DIGITS)).toString().padStart(CODE_DIGITS, '0');
  return digits.match(new RegExp(`.{${GROUP}}`, 'g')).join(' ');
}

/** The commitment to a nonce: SHA-256 of a tag and the nonce, base64url. */
export async function commitmentTo(nonce, subtle = globalThis.crypto.subtle) {
  const digest = await subtle.digest('SHA-256', concat(encoder.encode(`${COMMIT_TAG}\0`), nonce));
  return toBase64Url(new Uint8Array(digest));
}

/**
 * One end's part of the exchange, over the chat channel's `verify-*` messages:
 *
 *   caller → callee  {"type":"verify-commit","v":1,"commit":H(tag, nA)}
 *   callee → caller  {"type":"verify-nonce","v":1,"nonce":nB}
 *   caller → callee  {"type":"verify-reveal","v":1,"nonce":nA}
 *
 * The caller is bound to nA before it sees nB; the callee gives nB before it can know nA. So
 * neither can steer the code, nor can a relay that runs the exchange with each of them.
 *
 * `send(message)` puts a message on the channel; `receive(message)` takes one from it (it may be
 * called before `start`). `start({local, remote})` begins once the channel is open, with the
 * fingerprints of the descriptions in use. Events: `code` ({code}) once both ends can show it;
 * `failed` ({reason}): `mismatch` (a reveal that does not match its commitment), `garbled`
 * (a message out of turn or malformed), `no-answer` (nothing in time: a tampered exchange or a
 * client that cannot compare codes). After either event the exchange ignores everything.
 */
export class SafetyExchange extends Emitter {
  #role;
  #send;
  #timeoutMs;
  #crypto;
  #step = 'idle';
  #fingerprints = null;
  #ownNonce = null;
  #theirCommit = null;
  #calleeNonce = null;
  #early = [];
  #timer = null;

  constructor({ role, send, timeoutMs = EXCHANGE_TIMEOUT_MS, crypto = globalThis.crypto }) {
    super();
    if (role !== 'caller' && role !== 'callee') throw new Error(`no such role: ${role}`);
    this.#role = role;
    this.#send = send;
    this.#timeoutMs = timeoutMs;
    this.#crypto = crypto;
  }

  get isOver() {
    return this.#step === 'done' || this.#step === 'failed';
  }

  async start({ local, remote }) {
    if (this.#step !== 'idle') return;
    this.#fingerprints = { local, remote };
    this.#timer = setTimeout(() => this.#fail('no-answer'), this.#timeoutMs);
    if (this.#role === 'caller') {
      this.#step = 'committing';
      this.#ownNonce = this.#nonce();
      const commit = await commitmentTo(this.#ownNonce, this.#crypto.subtle);
      if (this.isOver) return;
      this.#step = 'awaiting-nonce';
      this.#send({ type: 'verify-commit', v: VERSION, commit });
    } else {
      this.#step = 'awaiting-commit';
    }
    const early = this.#early;
    this.#early = [];
    for (const message of early) await this.receive(message);
  }

  /** A `verify-*` message from the peer. */
  async receive(message) {
    if (this.isOver) return;
    if (this.#step === 'idle' || this.#step === 'committing') {
      this.#early.push(message);
      return;
    }
    if (message?.v !== VERSION) {
      this.#fail('garbled');
      return;
    }
    const expected = {
      'awaiting-commit': 'verify-commit',
      'awaiting-nonce': 'verify-nonce',
      'awaiting-reveal': 'verify-reveal',
    }[this.#step];
    if (message.type !== expected) {
      this.#fail('garbled');
      return;
    }
    if (this.#step === 'awaiting-commit') {
      if (!isBase64Url(message.commit, 32)) {
        this.#fail('garbled');
        return;
      }
      this.#theirCommit = message.commit;
      this.#ownNonce = this.#nonce();
      this.#step = 'awaiting-reveal';
      this.#send({ type: 'verify-nonce', v: VERSION, nonce: toBase64Url(this.#ownNonce) });
      return;
    }
    const nonce = fromBase64Url(message.nonce, NONCE_BYTES);
    if (nonce === null) {
      this.#fail('garbled');
      return;
    }
    if (this.#step === 'awaiting-nonce') {
      this.#step = 'working';
      this.#send({ type: 'verify-reveal', v: VERSION, nonce: toBase64Url(this.#ownNonce) });
      await this.#finish(this.#ownNonce, nonce);
      return;
    }
    // awaiting-reveal: the caller's nonce must be the one it committed to.
    this.#step = 'working';
    if (await commitmentTo(nonce, this.#crypto.subtle) !== this.#theirCommit) {
      this.#fail('mismatch');
      return;
    }
    await this.#finish(nonce, this.#ownNonce);
  }

  /** Stops waiting (the call ended): no event follows. */
  stop() {
    clearTimeout(this.#timer);
    if (!this.isOver) this.#step = 'failed';
  }

  async #finish(callerNonce, calleeNonce) {
    const code = await safetyCode({ ...this.#fingerprints, callerNonce, calleeNonce }, this.#crypto.subtle);
    if (this.isOver) return;
    clearTimeout(this.#timer);
    this.#step = 'done';
    this.emit('code', { code });
  }

  #fail(reason) {
    if (this.isOver) return;
    clearTimeout(this.#timer);
    this.#step = 'failed';
    this.emit('failed', { reason });
  }

  #nonce() {
    return this.#crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  }
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function toBase64Url(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes of `text` if it is unpadded base64url of exactly `length` bytes; null otherwise. */
export function fromBase64Url(text, length) {
  if (!isBase64Url(text, length)) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function isBase64Url(text, length) {
  return typeof text === 'string' && text.length === Math.ceil((length * 4) / 3) && /^[A-Za-z0-9_-]+$/.test(text)
    && atob(text.replace(/-/g, '+').replace(/_/g, '/')).length === length;
}
