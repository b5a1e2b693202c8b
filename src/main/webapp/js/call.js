// One call with one peer: one RTCPeerConnection, promise-based offer/answer, trickle ICE, and
// the `chat` data channel. Signaling goes out through the `send` function it is given.
import { Emitter } from './emitter.js';
import { ChatChannel, CHANNEL_LABEL } from './chat.js';
import { IceWatch } from './ice.js';
import { outranks, sameName } from './names.js';
import { fingerprintsOf } from './safety.js';

const RING_TIMEOUT_MS = 60_000;
/** A lost path is restarted again after these pauses (the last one repeats) until it is back. */
const RESTART_BACKOFF_MS = [2_000, 4_000, 8_000];
/** A live call whose path stays lost this long ends. */
const RECOVERY_LIMIT_MS = 60_000;

/**
 * States: `calling` (our offer is out), `ringing` (their offer waits for the user),
 * `connecting`, `connected`, `interrupted` (ICE lost the path; the caller restarts ICE until
 * it is back), `ended`. Events: `state` (state), `peer` (the peer's name, spelled anew),
 * `chat` (ChatChannel), `route` (selected candidate pair), `restored` (the path is back after
 * an interruption), `ended` ({reason}).
 * End reasons: `hung-up`, `declined-by-me`, `peer-left`, `declined`, `busy`, `no-answer`,
 * `failed`, `superseded`, `unreachable`, `lost` (not restored in time), and why ICE could not
 * connect: `turn-refused`, `turn-unreachable`, `relay-failed`, `no-route` (see ice.js).
 */
export class Call extends Emitter {
  #peer;
  #send;
  #rtcConfig;
  #polite;
  #pc = null;
  #state;
  #pendingOffer = null;
  #pendingCandidates = [];
  #makingOffer = false;
  #ignoringOffer = false;
  #chat = null;
  #ringTimer = null;
  #caller;
  #ice = null;
  #restarts = 0;
  #restartTimer = null;
  #recoveryTimer = null;
  #starting = false;

  /** A call we place; `start()` it once listening to its events. */
  static outgoing({ self, peer, rtcConfig, send }) {
    return new Call({ self, peer, rtcConfig, send, state: 'calling' });
  }

  /** An offer that waits for the user's decision; candidates are kept until then. */
  static incoming({ self, peer, rtcConfig, send, offer }) {
    const call = new Call({ self, peer, rtcConfig, send, state: 'ringing' });
    call.#pendingOffer = offer;
    return call;
  }

  constructor({ self, peer, rtcConfig, send, state }) {
    super();
    this.self = self;
    this.#peer = peer;
    this.#rtcConfig = rtcConfig;
    this.#send = send;
    this.#polite = !outranks(self, peer);
    this.#state = state;
    // Only the caller restarts ICE, so that restarts never cross.
    this.#caller = state === 'calling';
  }

  /** The peer's name as last spelled by the server (or as typed, until the server spells it). */
  get peer() {
    return this.#peer;
  }

  get state() {
    return this.#state;
  }

  get isOver() {
    return this.#state === 'ended';
  }

  get chat() {
    return this.#chat;
  }

  /** Whether we placed this call (then we also lead the safety-code exchange and restart ICE). */
  get isCaller() {
    return this.#caller;
  }

  /**
   * The DTLS fingerprints of the descriptions in use (safety.js's form): ours and the peer's.
   * The browser refuses a peer whose certificate does not match the remote one. Chromium may
   * open the channel a moment before the answer shows as the remote description: this waits
   * for both (up to `patienceMs`; what is still missing then is empty).
   */
  async fingerprints(patienceMs = 5_000) {
    const pc = this.#pc;
    const read = () => ({
      local: fingerprintsOf((pc?.currentLocalDescription ?? pc?.localDescription)?.sdp),
      remote: fingerprintsOf((pc?.currentRemoteDescription ?? pc?.remoteDescription)?.sdp),
    });
    let found = read();
    const deadline = Date.now() + patienceMs;
    while (pc && (!found.local || !found.remote) && !this.isOver && Date.now() < deadline) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        pc.addEventListener('signalingstatechange', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
      found = read();
    }
    return found;
  }

  /**
   * Creates the connection and the chat channel; the offer follows (negotiationneeded). The
   * configuration may still be on its way (a promise: our identity certificate is read first).
   */
  async start() {
    if (this.#state !== 'calling' || this.#starting) return;
    this.#starting = true;
    this.#ringTimer = setTimeout(() => {
      if (this.#state === 'calling') this.#leave('no-answer');
    }, RING_TIMEOUT_MS);
    try {
      const config = await this.#rtcConfig;
      if (this.isOver) return;
      this.#createConnection(config);
      this.#attachChat(this.#pc.createDataChannel(CHANNEL_LABEL));
    } catch (error) {
      console.error('textchat: could not place the call', error);
      this.#leave('failed');
    }
  }

  async accept() {
    if (this.#state !== 'ringing') return;
    this.#setState('connecting');
    try {
      const config = await this.#rtcConfig;
      if (this.isOver) return;
      this.#createConnection(config);
      await this.#applyRemote(this.#pendingOffer);
      this.#pendingOffer = null;
    } catch (error) {
      console.error('textchat: could not answer the call', error);
      this.#leave('failed');
    }
  }

  decline(reason = 'declined') {
    if (this.#state !== 'ringing') return;
    this.#send({ type: 'decline', name: this.peer, reason });
    this.#finish('declined-by-me');
  }

  hangUp() {
    this.#leave('hung-up');
  }

  /**
   * The server's spelling of the peer's name (STRASSE typed, Straße answering). Only the
   * spelling can change: a call never moves to another person.
   */
  setPeerName(name) {
    if (name === this.#peer || !sameName(name, this.#peer)) return;
    this.#peer = name;
    this.emit('peer', name);
  }

  /** Ends without telling the server: a crossing call replaced this one (see app.js). */
  supersede() {
    this.#finish('superseded');
  }

  /** Candidates that arrived before an answer could use them; a replacing call needs them. */
  takePendingCandidates() {
    const pending = this.#pendingCandidates;
    this.#pendingCandidates = [];
    return pending;
  }

  async handleOffer(offer) {
    if (this.isOver) return;
    if (this.#state === 'ringing') {
      // The caller renegotiated before we picked up: answer the newest offer.
      this.#pendingOffer = offer;
      return;
    }
    try {
      await this.#applyRemote(offer);
    } catch (error) {
      console.error('textchat: could not apply the peer\'s offer', error);
    }
  }

  async handleAnswer(answer) {
    if (this.isOver || !this.#pc) return;
    try {
      if (this.#state === 'calling') this.#setState('connecting');
      clearTimeout(this.#ringTimer);
      this.#ice.arm();
      await this.#applyRemote(answer);
    } catch (error) {
      console.error('textchat: could not apply the peer\'s answer', error);
      // A late answer to an ICE-restart offer that was replaced since: the next restart follows.
      if (!this.#ice.everConnected) this.#leave('failed');
    }
  }

  handleCandidate(candidate) {
    if (this.isOver || candidate === null || candidate === undefined) return;
    // While our (re)offer waits for its answer, the peer's new candidates belong to that answer.
    if (!this.#pc || !this.#pc.remoteDescription || this.#pc.signalingState === 'have-local-offer') {
      this.#pendingCandidates.push(candidate);
      return;
    }
    this.#addCandidate(candidate);
  }

  /**
   * The server told us the peer is gone (leave) or refused (decline). A peer that gave up on a
   * connection that could not be made usually says so just before we find out ourselves; then
   * our own reason is the one worth showing.
   */
  handleRemoteEnd(reason) {
    this.#finish((reason === 'peer-left' && this.#ice?.failingReason()) || reason);
  }

  /** The signaling server refused our offer: the callee is not online. */
  handleUnreachable() {
    if (this.#state === 'calling') this.#finish('unreachable');
  }

  #createConnection(config) {
    const pc = new RTCPeerConnection(config);
    this.#pc = pc;
    pc.addEventListener('icecandidate', ({ candidate }) => {
      // End-of-candidates is not sent: the tutorial's clients choke on a null candidate.
      if (candidate && !this.isOver) {
        this.#send({ type: 'candidate', name: this.peer, candidate: candidate.toJSON() });
      }
    });
    pc.addEventListener('negotiationneeded', () => this.#offer());
    pc.addEventListener('datachannel', ({ channel }) => {
      if (channel.label === CHANNEL_LABEL && this.#chat === null) this.#attachChat(channel);
    });
    pc.addEventListener('connectionstatechange', () => {
      // ICE trouble is the IceWatch's; this is DTLS failing on a working path.
      const iceUp = pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
      if (pc.connectionState === 'failed' && iceUp && !this.isOver) this.#leave('failed');
    });
    this.#ice = new IceWatch(pc, config);
    this.#ice.on('hopeless', ({ reason }) => this.#leave(reason));
    this.#ice.on('interrupted', () => this.#interrupted());
    this.#ice.on('lost', () => this.#lost());
    this.#ice.on('restored', () => this.#restored());
    // The callee's connection is made after it accepted: its set-up counts from the start.
    if (!this.#caller) this.#ice.arm();
  }

  async #offer() {
    try {
      this.#makingOffer = true;
      await this.#pc.setLocalDescription();
      this.#send({ type: 'offer', name: this.peer, offer: this.#pc.localDescription.toJSON() });
    } catch (error) {
      console.error('textchat: could not create an offer', error);
    } finally {
      this.#makingOffer = false;
    }
  }

  // "Perfect negotiation": when offers cross inside a call the polite side rolls back and
  // answers; the other ignores the peer's offer and waits for the answer to its own.
  async #applyRemote(description) {
    const pc = this.#pc;
    const collision = description.type === 'offer' && (this.#makingOffer || pc.signalingState !== 'stable');
    this.#ignoringOffer = !this.#polite && collision;
    if (this.#ignoringOffer) return;
    await pc.setRemoteDescription(description);
    for (const candidate of this.takePendingCandidates()) this.#addCandidate(candidate);
    if (description.type === 'offer') {
      await pc.setLocalDescription();
      this.#send({ type: 'answer', name: this.peer, answer: pc.localDescription.toJSON() });
    }
  }

  #addCandidate(candidate) {
    this.#pc.addIceCandidate(candidate).catch((error) => {
      // Candidates of an offer we ignored (or of a connection the peer dropped) cannot match.
      if (!this.#ignoringOffer) console.warn('textchat: ignoring an ICE candidate', error.message);
    });
  }

  #attachChat(channel) {
    const chat = new ChatChannel(channel);
    this.#chat = chat;
    chat.on('open', () => {
      if (this.isOver) return;
      this.#setState('connected');
      this.#reportRoute();
    });
    chat.on('close', () => {
      // The peer closed its connection: it hung up, or its page went away. The server's
      // "leave" may still be on its way; whichever comes first ends the call, alike.
      if (!this.isOver) this.#finish('peer-left');
    });
    this.emit('chat', chat);
  }

  #interrupted() {
    if (this.#state === 'connected') this.#setState('interrupted');
  }

  #lost() {
    if (this.isOver) return;
    this.#setState('interrupted');
    if (this.#recoveryTimer === null) {
      this.#recoveryTimer = setTimeout(() => this.#leave('lost'), RECOVERY_LIMIT_MS);
    }
    if (this.#caller && this.#restartTimer === null) this.#restartIce();
  }

  // Restarts until the path is back: a restart made while the network (or TURN) is still down
  // finds nothing, so it is repeated with growing pauses. An offer that got no answer in time
  // (the peer's signaling was down too) is rolled back and replaced.
  async #restartIce() {
    if (this.isOver || this.#state !== 'interrupted') return;
    const pause = RESTART_BACKOFF_MS[Math.min(this.#restarts, RESTART_BACKOFF_MS.length - 1)];
    this.#restarts += 1;
    this.#restartTimer = setTimeout(() => this.#restartIce(), pause);
    try {
      if (this.#pc.signalingState === 'have-local-offer') await this.#pc.setLocalDescription({ type: 'rollback' });
      console.info(`textchat: restarting ICE with ${this.peer} (attempt ${this.#restarts})`);
      this.#ice.restart();
    } catch (error) {
      console.warn('textchat: could not restart ICE', error);
    }
  }

  #restored() {
    this.#stopRecovery();
    if (this.isOver) return;
    this.#setState('connected');
    this.emit('restored');
    this.#reportRoute();
  }

  #stopRecovery() {
    clearTimeout(this.#restartTimer);
    clearTimeout(this.#recoveryTimer);
    this.#restartTimer = null;
    this.#recoveryTimer = null;
    this.#restarts = 0;
  }

  // Right after connecting, the remote end may still be a peer-reflexive candidate whose address
  // the browser hides; its signaled candidate usually arrives within a second, so look again.
  async #reportRoute(attempt = 0) {
    try {
      const route = selectedRoute(await this.#pc.getStats());
      if (this.isOver) return;
      if (route) this.emit('route', route);
      if ((!route || !route.remote?.address) && attempt < 5) {
        setTimeout(() => this.#reportRoute(attempt + 1), 1000);
      }
    } catch (error) {
      console.warn('textchat: no connection statistics', error);
    }
  }

  #leave(reason) {
    if (this.isOver) return;
    this.#send({ type: 'leave', name: this.peer });
    this.#finish(reason);
  }

  #finish(reason) {
    if (this.isOver) return;
    clearTimeout(this.#ringTimer);
    this.#stopRecovery();
    this.#ice?.stop();
    this.#setState('ended');
    this.#pendingCandidates = [];
    this.#pc?.close();
    this.emit('ended', { reason });
  }

  #setState(state) {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('state', state);
  }
}

/** The ICE candidate pair in use, from getStats(): {local, remote}, each {address, port, protocol, type}. */
export function selectedRoute(report) {
  let pair = null;
  report.forEach((stat) => {
    if (stat.type === 'transport' && stat.selectedCandidatePairId) pair = report.get(stat.selectedCandidatePairId);
  });
  if (!pair) {
    report.forEach((stat) => {
      if (stat.type === 'candidate-pair' && stat.nominated && stat.state === 'succeeded') pair = stat;
    });
  }
  if (!pair) return null;
  const describe = (candidate) => candidate && {
    address: candidate.address ?? candidate.ip,
    port: candidate.port,
    protocol: candidate.protocol,
    type: candidate.candidateType,
  };
  return { local: describe(report.get(pair.localCandidateId)), remote: describe(report.get(pair.remoteCandidateId)) };
}
