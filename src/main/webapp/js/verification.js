// One call's verification: what the remembered pin says of the certificate the peer shows, and
// the safety-code exchange (safety.js) over the call's chat channel. app.js makes one per call
// and shows its state; the rules of what is trusted, and when sending waits, are all here.
import { Emitter } from './emitter.js';
import { SafetyExchange, trustOf } from './safety.js';

/**
 * State, as the `state` event gives it (and `state` reads it):
 * - `trust`: `checking` (the pin is being read), `unverified` (no pin for this peer),
 *   `verified` (the peer shows the fingerprint we verified), `changed` (another one),
 *   `unavailable` (this page cannot remember anyone: no identity store).
 * - `code`: the safety code once both ends agreed on it, else null.
 * - `exchange`: `pending`, `done`, `failed` or `unavailable` (no Web Crypto: not a secure page).
 * - `reason`: why the exchange failed (safety.js: mismatch, garbled, no-answer), else null.
 * - `acknowledged`: the person chose to chat on although the code changed.
 * - `holdsSending`: nothing may be sent yet (the pin is still being read, or the code changed
 *   and the person has not chosen what to do).
 */
export class Verification extends Emitter {
  #self;
  #peer;
  #identity;
  #exchange = null;
  #pin;
  #remote = null;
  #state = { trust: 'checking', code: null, exchange: 'pending', reason: null, acknowledged: false };

  /**
   * `identity` (identity.js; null: nothing is remembered), `self` and `peer` (names), `role`
   * (`caller` or `callee`), `chat` (the call's ChatChannel). Listens to the chat at once, so that
   * an exchange message that arrives with the channel's opening is not missed.
   */
  constructor({ identity, self, peer, role, chat, crypto = globalThis.crypto, timeoutMs }) {
    super();
    this.#self = self;
    this.#peer = peer;
    this.#identity = identity;
    this.#pin = identity ? identity.pinFor(self, peer) : Promise.resolve(null);
    if (crypto?.subtle) {
      this.#exchange = new SafetyExchange({ role, send: (message) => chat.sendVerify(message), crypto, timeoutMs });
      this.#exchange.on('code', ({ code }) => this.#update({ code, exchange: 'done' }));
      this.#exchange.on('failed', ({ reason }) => this.#update({ exchange: 'failed', reason }));
      chat.on('verify', (message) => this.#exchange.receive(message));
    } else {
      this.#state.exchange = 'unavailable';
    }
  }

  get state() {
    const state = this.#state;
    return { ...state, holdsSending: state.trust === 'checking' || (state.trust === 'changed' && !state.acknowledged) };
  }

  /** The channel is open on the connection whose descriptions have these fingerprints. */
  async start({ local, remote }) {
    if (!local || !remote) {
      // No fingerprint to bind a code to (a description without one): nothing can be verified.
      this.#exchange?.stop();
      this.#update({ trust: this.#identity ? 'unverified' : 'unavailable', exchange: 'failed', reason: 'garbled' });
      return;
    }
    this.#remote = remote;
    this.#exchange?.start({ local, remote });
    const pin = await this.#pin;
    const trust = this.#identity ? trustOf(pin, remote) : 'unavailable';
    this.#update({ trust });
  }

  /** The person compared the codes and they match: the peer's certificate is remembered. */
  async markVerified() {
    if (this.#state.code === null || !this.#identity || this.#remote === null) return;
    await this.#identity.pin(this.#self, this.#peer, this.#remote);
    this.#update({ trust: 'verified', acknowledged: false });
  }

  /** The person no longer counts this peer as verified. */
  async forget() {
    if (!this.#identity) return;
    await this.#identity.unpin(this.#self, this.#peer);
    this.#update({ trust: 'unverified', acknowledged: false });
  }

  /** The code changed and the person chose to chat on without comparing. */
  acknowledgeChange() {
    if (this.#state.trust === 'changed') this.#update({ acknowledged: true });
  }

  /** The call ended. */
  stop() {
    this.#exchange?.stop();
  }

  #update(change) {
    this.#state = { ...this.#state, ...change };
    this.emit('state', this.state);
  }
}
