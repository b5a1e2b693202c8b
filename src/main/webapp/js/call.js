// One call with one peer: one RTCPeerConnection, promise-based offer/answer, trickle ICE, and
// the `chat` data channel. Signaling goes out through the `send` function it is given.
import { Emitter } from './emitter.js';
import { ChatChannel, CHANNEL_LABEL } from './chat.js';

const RING_TIMEOUT_MS = 60_000;

/**
 * A strict order on names that both ends compute alike. When two calls cross (glare), the
 * smaller name's offer wins; the larger name is the "polite" side that yields.
 */
export function outranks(self, peer) {
  const a = self.normalize('NFC').toLowerCase();
  const b = peer.normalize('NFC').toLowerCase();
  if (a !== b) return a < b;
  return self < peer;
}

/** Whether two names are the same user (the server compares them case-insensitively). */
export function sameName(a, b) {
  return typeof a === 'string' && typeof b === 'string'
    && a.normalize('NFC').toLowerCase() === b.normalize('NFC').toLowerCase();
}

/**
 * States: `calling` (our offer is out), `ringing` (their offer waits for the user),
 * `connecting`, `connected`, `interrupted` (ICE lost the path, may come back), `ended`.
 * Events: `state` (state), `chat` (ChatChannel), `route` (selected candidate pair),
 * `ended` ({reason}). End reasons: `hung-up`, `declined-by-me`, `peer-left`, `declined`,
 * `busy`, `no-answer`, `failed`, `superseded`, `unreachable`.
 */
export class Call extends Emitter {
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
    this.peer = peer;
    this.#rtcConfig = rtcConfig;
    this.#send = send;
    this.#polite = !outranks(self, peer);
    this.#state = state;
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

  /** Creates the connection and the chat channel; the offer follows (negotiationneeded). */
  start() {
    if (this.#state !== 'calling' || this.#pc) return;
    this.#createConnection();
    this.#attachChat(this.#pc.createDataChannel(CHANNEL_LABEL));
    this.#ringTimer = setTimeout(() => {
      if (this.#state === 'calling') this.#leave('no-answer');
    }, RING_TIMEOUT_MS);
  }

  async accept() {
    if (this.#state !== 'ringing') return;
    this.#setState('connecting');
    try {
      this.#createConnection();
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
      await this.#applyRemote(answer);
    } catch (error) {
      console.error('textchat: could not apply the peer\'s answer', error);
      this.#leave('failed');
    }
  }

  handleCandidate(candidate) {
    if (this.isOver || candidate === null || candidate === undefined) return;
    if (!this.#pc || !this.#pc.remoteDescription) {
      this.#pendingCandidates.push(candidate);
      return;
    }
    this.#addCandidate(candidate);
  }

  /** The server told us the peer is gone (leave) or refused (decline). */
  handleRemoteEnd(reason) {
    this.#finish(reason);
  }

  /** The signaling server refused our offer: the callee is not online. */
  handleUnreachable() {
    if (this.#state === 'calling') this.#finish('unreachable');
  }

  #createConnection() {
    const pc = new RTCPeerConnection(this.#rtcConfig);
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
    pc.addEventListener('connectionstatechange', () => this.#onConnectionState(pc.connectionState));
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

  #onConnectionState(connectionState) {
    if (this.isOver) return;
    if (connectionState === 'failed') {
      this.#leave('failed');
    } else if (connectionState === 'disconnected' && this.#state === 'connected') {
      this.#setState('interrupted');
    } else if (connectionState === 'connected' && this.#state === 'interrupted') {
      this.#setState('connected');
      this.#reportRoute();
    }
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
