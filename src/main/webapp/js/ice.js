// Watches the ICE side of one RTCPeerConnection and turns what the browser reports into the two
// things a call needs to know: a set-up that cannot succeed (and why, in words a person can act
// on), and a live connection that is lost for good enough to restart ICE.
import { Emitter } from './emitter.js';

/** A live path that stays `disconnected` this long is treated as lost (ICE restart time). */
export const DISCONNECT_GRACE_MS = 3_000;
/** Gathering found no usable candidate: this long for a connection anyway, then give up. */
const NO_CANDIDATE_PATIENCE_MS = 3_000;
/**
 * Still no candidate this long after the call was answered: give up. A TURN server that never
 * answers over UDP keeps Chromium's gathering going for about 40 s (its Allocate retransmissions).
 */
const NO_CANDIDATE_LIMIT_MS = 10_000;
/** TURN's "401 Unauthorized": the server refused the credentials (after its own challenge). */
const TURN_UNAUTHORIZED = 401;

/**
 * Events: `interrupted` (a live path went `disconnected`), `lost` (it stayed so for
 * DISCONNECT_GRACE_MS, or ICE `failed`; again after every further failure), `restored`
 * (connected again after either), `hopeless` ({reason}: the call was never connected and
 * cannot be). Reasons:
 * `turn-refused` (TURN answered 401 to our credentials), `turn-unreachable` (TURN is
 * configured but gave no relay candidate), `relay-failed` (relay candidates, still no route),
 * `no-route` (no TURN configured and the peers cannot reach each other).
 */
export class IceWatch extends Emitter {
  #pc;
  #turnConfigured;
  #armedAt = null;
  #everConnected = false;
  #interrupted = false;
  #lost = false;
  #localCandidates = 0;
  #relayCandidates = 0;
  #refused = false;
  #setUpTimers = [];
  #patient = false;
  #graceTimer = null;

  constructor(pc, rtcConfig) {
    super();
    this.#pc = pc;
    this.#turnConfigured = (rtcConfig?.iceServers ?? []).some(hasTurnUrl);
    pc.addEventListener('icecandidate', ({ candidate }) => {
      if (!candidate?.candidate) return;
      this.#localCandidates += 1;
      if (candidate.type === 'relay') this.#relayCandidates += 1;
    });
    pc.addEventListener('icecandidateerror', (event) => this.#onCandidateError(event));
    pc.addEventListener('icegatheringstatechange', () => this.#checkSetUp());
    pc.addEventListener('iceconnectionstatechange', () => this.#onState(pc.iceConnectionState));
    // Chromium may leave the ICE state at `disconnected` when every check fails at once (TURN
    // refusing the peer's address with 403) and say `failed` only in the connection state.
    pc.addEventListener('connectionstatechange', () => {
      if (this.#iceFailed()) this.#onState('failed');
    });
  }

  /** Whether ICE has ever connected on this connection. */
  get everConnected() {
    return this.#everConnected;
  }

  /**
   * The call has been answered: from now on a set-up that cannot succeed is reported. (Before,
   * a caller's failed gathering would end the call while the callee is still deciding.)
   */
  arm() {
    if (this.#armedAt === null) {
      this.#armedAt = Date.now();
      this.#giveUpWithoutCandidatesIn(NO_CANDIDATE_LIMIT_MS);
    }
    this.#checkSetUp();
  }

  /**
   * Why the set-up is failing, if it visibly is: ICE failed (or lost every check without ever
   * connecting), or nothing usable was gathered (gathering is over, or has gone on for a while
   * without a single candidate). Asked when the peer has just given up on the call.
   */
  failingReason() {
    if (this.#everConnected || this.#armedAt === null) return null;
    const gatheringOver = this.#pc.iceGatheringState === 'complete'
      || Date.now() - this.#armedAt >= NO_CANDIDATE_PATIENCE_MS;
    const nothingGathered = gatheringOver && this.#localCandidates === 0;
    const checksFailing = this.#iceFailed() || this.#pc.iceConnectionState === 'disconnected';
    return nothingGathered || checksFailing ? this.#reason() : null;
  }

  /** Restarts ICE; the new gathering is counted afresh. The offer follows (negotiationneeded). */
  restart() {
    this.#localCandidates = 0;
    this.#relayCandidates = 0;
    this.#pc.restartIce();
  }

  stop() {
    this.#setUpTimers.forEach(clearTimeout);
    clearTimeout(this.#graceTimer);
  }

  #onCandidateError(event) {
    // Only TURN servers matter here: STUN errors do not keep a relayed call from working.
    if (!/^turns?:/.test(event.url ?? '')) return;
    if (event.errorCode === TURN_UNAUTHORIZED) this.#refused = true;
    console.warn(`textchat: ICE server ${event.url} answered ${event.errorCode} ${event.errorText ?? ''}`);
  }

  // The connection state also fails when DTLS does on a working path; that is not ICE's doing.
  #iceFailed() {
    const ice = this.#pc.iceConnectionState;
    return ice === 'failed'
      || (this.#pc.connectionState === 'failed' && ice !== 'connected' && ice !== 'completed');
  }

  #onState(state) {
    if (state === 'connected' || state === 'completed') {
      this.#everConnected = true;
      this.#setUpTimers.forEach(clearTimeout);
      clearTimeout(this.#graceTimer);
      if (this.#interrupted || this.#lost) {
        this.#interrupted = false;
        this.#lost = false;
        this.emit('restored');
      }
    } else if (state === 'disconnected' && this.#everConnected) {
      this.#interrupted = true;
      this.emit('interrupted');
      clearTimeout(this.#graceTimer);
      this.#graceTimer = setTimeout(() => this.#loseIfStill('disconnected'), DISCONNECT_GRACE_MS);
    } else if (state === 'failed') {
      if (this.#everConnected) {
        clearTimeout(this.#graceTimer);
        this.#lost = true;
        this.emit('lost');
      } else if (this.#armedAt !== null) {
        this.emit('hopeless', { reason: this.#reason() });
      }
    }
  }

  #loseIfStill(state) {
    if (this.#pc.iceConnectionState !== state) return;
    this.#lost = true;
    this.emit('lost');
  }

  // Chromium never leaves `new`/`checking` when it has no candidate of its own to offer (relay
  // only and TURN refused us): gathering ends empty-handed, so that is what is watched for.
  #checkSetUp() {
    if (this.#armedAt === null || this.#everConnected || this.#patient) return;
    if (this.#pc.iceGatheringState !== 'complete' || this.#localCandidates > 0) return;
    this.#patient = true;
    this.#giveUpWithoutCandidatesIn(NO_CANDIDATE_PATIENCE_MS);
  }

  #giveUpWithoutCandidatesIn(ms) {
    this.#setUpTimers.push(setTimeout(() => {
      if (!this.#everConnected && this.#localCandidates === 0 && this.#pc.iceConnectionState !== 'closed') {
        this.emit('hopeless', { reason: this.#reason() });
      }
    }, ms));
  }

  #reason() {
    if (this.#refused) return 'turn-refused';
    if (!this.#turnConfigured) return 'no-route';
    return this.#relayCandidates === 0 ? 'turn-unreachable' : 'relay-failed';
  }
}

function hasTurnUrl(server) {
  const urls = Array.isArray(server?.urls) ? server.urls : [server?.urls];
  return urls.some((url) => typeof url === 'string' && /^turns?:/.test(url));
}
