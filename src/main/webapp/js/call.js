// One call with one peer: one RTCPeerConnection, promise-based offer/answer, trickle ICE, and
// the `chat` data channel. Signaling goes out through the `send` function it is given.
import { Emitter } from './emitter.js';
import { ChatChannel, CHANNEL_LABEL, newMessageId } from './chat.js';
import { FILE_LABEL_PREFIX } from './files.js';
import { IceWatch } from './ice.js';
import { outranks, sameName } from './names.js';
import { fingerprintsOf } from './safety.js';

const RING_TIMEOUT_MS = 60_000;
/** A lost path is restarted again after these pauses (the last one repeats) until it is back. */
const RESTART_BACKOFF_MS = [2_000, 4_000, 8_000];
/** A connection whose transport died is made anew after these pauses (the last one repeats). */
const REBUILD_BACKOFF_MS = [0, 2_000, 4_000, 8_000];
/** A new connection made to recover is given this long before the next one replaces it. */
const ATTEMPT_PATIENCE_MS = 4_000;
/** A live call whose path stays lost this long ends. */
const RECOVERY_LIMIT_MS = 60_000;

/**
 * States: `calling` (our offer is out), `ringing` (their offer waits for the user),
 * `connecting`, `connected`, `interrupted` (ICE lost the path; the caller restarts ICE until
 * it is back), `ended`. Events: `state` (state), `peer` (the peer's name, spelled anew),
 * `chat` (ChatChannel: again for each new connection), `route` (selected candidate pair),
 * `restored` (the path is back after an interruption), `ended` ({reason}).
 *
 * A lost path is restarted (ICE restart) by the caller. When the browser gives the connection up
 * altogether (Firefox closes the DTLS transport, and with it the chat channel, when ICE fails),
 * the call goes on over a new connection: the side whose connection died makes one (again and
 * again, while the path stays down), the other answers it (crossing attempts settle as glare).
 * Messages not yet acknowledged, and those written meanwhile (`queue`), are sent on the new
 * channel once app.js lets it send (`resendUndelivered`); the receiver shows each message once.
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
  /** () => Promise of {iceServers, iceTransportPolicy}: fresh TURN credentials for a restart. */
  #iceServers;
  #starting = false;
  /** The configuration the first connection was made with (our certificate included). */
  #config = null;
  /** The current connection's transport died: nothing more can be sent over it. */
  #transportGone = false;
  #rebuilds = 0;
  #rebuildTimer = null;
  /** A new connection of ours waits for its answer (glare between two new connections). */
  #rebuildPending = false;
  #rebuilding = false;
  /** An offer of the peer waits while we fetch fresh ICE servers; its candidates wait with it. */
  #refreshingServers = false;
  /** The session id (SDP o=) of the peer's connection we last applied a description of. */
  #peerSession = null;
  /** Session ids of the peer's connections that a newer one replaced: their offers are stale. */
  #retiredSessions = new Set();
  /** An offer that came while a new connection was being made: handled once it is. */
  #offerDuringRebuild = null;
  /** When the current connection was made (Date.now()). */
  #madeAt = 0;
  /** Ids of the messages received in this call, over all its connections. */
  #seen = new Set();
  /** Messages of a dead channel that its peer had not acknowledged: sent again on the next. */
  #carryOver = [];
  /** Messages written while the path was down, never sent yet: sent, in order, once it is back. */
  #queued = [];
  /** The peer said it hangs up: its channel's close is a hang-up, not a page going away. */
  #peerSaidBye = false;

  /** A call we place; `start()` it once listening to its events. */
  static outgoing({ self, peer, rtcConfig, send, iceServers }) {
    return new Call({ self, peer, rtcConfig, send, iceServers, state: 'calling' });
  }

  /**
   * A call this page had before it was reloaded (PROTOCOL.md's client notes, "Reload"): the
   * peer's side still holds it, interrupted; `resume()` makes a new connection to it. `caller`:
   * whether we placed it (the safety-code exchange keeps its roles).
   */
  static resumed({ self, peer, rtcConfig, send, iceServers, caller }) {
    const call = new Call({ self, peer, rtcConfig, send, iceServers, state: 'interrupted' });
    call.#caller = caller;
    call.#peerSession = ''; // whatever connection the peer offers is a new one to us
    return call;
  }

  /** An offer that waits for the user's decision; candidates are kept until then. */
  static incoming({ self, peer, rtcConfig, send, offer, iceServers }) {
    const call = new Call({ self, peer, rtcConfig, send, iceServers, state: 'ringing' });
    call.#pendingOffer = offer;
    return call;
  }

  /**
   * `rtcConfig`: the RTCConfiguration, a promise of it, or a function giving one (asked when the
   * connection is made: an incoming call may ring for a minute before it is accepted);
   * `iceServers` (optional): a function giving a promise of fresh {iceServers,
   * iceTransportPolicy}, asked before every ICE restart and new connection.
   */
  constructor({ self, peer, rtcConfig, send, state, iceServers = null }) {
    super();
    this.self = self;
    this.#peer = peer;
    this.#rtcConfig = rtcConfig;
    this.#iceServers = iceServers;
    this.#send = send;
    this.#polite = !outranks(self, peer);
    this.#state = state;
    // Only the caller restarts ICE, so that restarts never cross.
    this.#caller = state === 'calling';
  }

  /** A data channel of its own for a file (files.js), on the connection in use now. */
  openChannel(label) {
    if (!this.#pc || this.#transportGone) throw new Error('no connection to open a channel on');
    return this.#pc.createDataChannel(label, { ordered: true });
  }

  /** The largest message the connection takes (SCTP's max-message-size, both ends agreed). */
  maxMessageSize() {
    return this.#pc?.sctp?.maxMessageSize ?? 65_536;
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
      const config = await this.#configuration();
      if (this.isOver) return;
      this.#config = config;
      this.#createConnection(config);
      this.#attachChat(this.#pc.createDataChannel(CHANNEL_LABEL));
    } catch (error) {
      console.error('textchat: could not place the call', error);
      this.#leave('failed');
    }
  }

  /** Makes the new connection of a `resumed` call (again later while it gets no answer). */
  async resume() {
    if (this.#state !== 'interrupted' || this.#pc || this.#starting) return;
    this.#starting = true;
    try {
      const config = await this.#configuration();
      if (this.isOver) return;
      this.#config = config;
      this.#startRecoveryLimit();
      this.#rebuildUntilBack();
      this.#rebuilds = 1; // this first attempt counts: the next waits while it is under way
      await this.#rebuild();
    } catch (error) {
      console.error('textchat: could not resume the call', error);
      this.#leave('failed');
    }
  }

  async accept() {
    if (this.#state !== 'ringing') return;
    this.#setState('connecting');
    try {
      const config = await this.#configuration();
      if (this.isOver) return;
      this.#config = config;
      this.#createConnection(config);
      await this.#applyRemote(this.#pendingOffer);
      this.#pendingOffer = null;
    } catch (error) {
      console.error('textchat: could not answer the call', error);
      this.#leave('failed');
    }
  }

  #configuration() {
    return typeof this.#rtcConfig === 'function' ? this.#rtcConfig() : this.#rtcConfig;
  }

  /**
   * Sends again, on the chat channel now open, what an earlier connection's channel had not
   * delivered. app.js calls it once it lets this channel send (after the safety-code check of
   * the new connection: a forged new connection must not get them).
   */
  resendUndelivered() {
    if (!this.#chat?.isOpen || this.#state !== 'connected') return [];
    const due = [...this.#carryOver, ...this.#queued];
    this.#carryOver = [];
    this.#queued = [];
    this.#chat.resend(due);
    return due;
  }

  /**
   * A message written while the path is down: kept (and shown as queued) until the call is back,
   * then sent by `resendUndelivered`, once, after what an earlier channel had not delivered.
   */
  queue(text) {
    const message = { id: newMessageId(), text, ts: Date.now() };
    this.#queued.push(message);
    return { ...message };
  }

  decline(reason = 'declined') {
    if (this.#state !== 'ringing') return;
    this.#send({ type: 'decline', name: this.peer, reason });
    this.#finish('declined-by-me');
  }

  hangUp() {
    this.#chat?.sendBye();
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
    if (this.#rebuilding) {
      this.#offerDuringRebuild = offer; // the newest wins; handled once the connection is made
      return;
    }
    if (!this.#pc) return;
    if (this.#retiredSessions.has(sessionIdOf(offer?.sdp))) {
      console.info(`textchat: ignoring ${this.peer}'s offer for a connection it replaced`);
      return;
    }
    try {
      if (this.#isNewConnection(offer)) {
        await this.#replaceConnection(offer);
      } else if (this.#rebuildPending) {
        // A restart of the connection we gave up: our new connection's offer answers it.
        console.info(`textchat: ignoring ${this.peer}'s offer for the connection we replaced`);
      } else if (this.#transportGone) {
        // An ICE restart of a connection that is dead here: only a new one can carry the chat.
        await this.#rebuild();
      } else {
        // Most likely an ICE restart: our side gathers anew too, so with fresh TURN credentials.
        // Meanwhile the peer's new candidates wait for its offer.
        if (this.#iceServers) {
          this.#refreshingServers = true;
          try {
            this.#useIceServers(await this.#iceServers());
          } finally {
            this.#refreshingServers = false;
          }
          if (this.isOver || !this.#pc) return;
        }
        await this.#applyRemote(offer);
      }
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
      this.#rebuildPending = false;
    } catch (error) {
      console.error('textchat: could not apply the peer\'s answer', error);
      // A late answer to an ICE-restart offer that was replaced since: the next restart follows.
      if (!this.#ice.everConnected && !this.#recovering) this.#leave('failed');
    }
  }

  handleCandidate(candidate) {
    if (this.isOver || candidate === null || candidate === undefined) return;
    // While our (re)offer waits for its answer, or a new connection is being made, the peer's new
    // candidates belong to what comes next.
    if (!this.#pc || this.#refreshingServers || !this.#pc.remoteDescription || this.#pc.signalingState === 'have-local-offer') {
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
    this.#finish((reason === 'peer-left' && !this.#recovering && this.#ice?.failingReason()) || reason);
  }

  /** The signaling server refused our offer: the callee is not online. */
  handleUnreachable() {
    if (this.#state === 'calling') this.#finish('unreachable');
  }

  #createConnection(config) {
    const pc = new RTCPeerConnection(config);
    this.#pc = pc;
    this.#madeAt = Date.now();
    this.#transportGone = false;
    pc.addEventListener('icecandidate', ({ candidate }) => {
      // End-of-candidates is not sent: the tutorial's clients choke on a null candidate.
      if (candidate && !this.isOver && pc === this.#pc) {
        this.#send({ type: 'candidate', name: this.peer, candidate: candidate.toJSON() });
      }
    });
    pc.addEventListener('negotiationneeded', () => {
      if (pc === this.#pc) this.#offer();
    });
    pc.addEventListener('datachannel', ({ channel }) => {
      if (pc !== this.#pc) return;
      if (channel.label === CHANNEL_LABEL && this.#chat === null) this.#attachChat(channel);
      else if (channel.label.startsWith(FILE_LABEL_PREFIX)) this.emit('file-channel', channel);
    });
    pc.addEventListener('connectionstatechange', () => {
      // ICE trouble is the IceWatch's; this is DTLS failing on a working path.
      const iceUp = pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
      if (pc.connectionState === 'failed' && iceUp && !this.isOver && pc === this.#pc) this.#leave('failed');
    });
    const ice = new IceWatch(pc, config);
    this.#ice = ice;
    const current = () => pc === this.#pc;
    // A new connection made to recover that cannot connect either: another follows.
    ice.on('hopeless', ({ reason }) => {
      if (!current()) return;
      if (this.#recovering) this.#rebuildUntilBack();
      else this.#leave(reason);
    });
    ice.on('interrupted', () => current() && this.#interrupted());
    ice.on('lost', () => current() && this.#lost());
    ice.on('restored', () => current() && this.#restored());
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
    const session = sessionIdOf(description.sdp);
    if (session !== null && session !== this.#peerSession) {
      if (this.#peerSession !== null) this.#retiredSessions.add(this.#peerSession);
      this.#peerSession = session;
    }
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
    const chat = new ChatChannel(channel, { seen: this.#seen });
    this.#chat = chat;
    chat.on('open', () => {
      if (this.isOver || chat !== this.#chat) return;
      if (this.#recovering) {
        this.#restored(); // over a new connection
      } else {
        this.#setState('connected');
        this.#reportRoute();
      }
    });
    chat.on('close', () => this.#chatClosed(chat));
    chat.on('bye', () => {
      if (chat === this.#chat) this.#peerSaidBye = true;
    });
    this.emit('chat', chat);
  }

  // The channel closed. The peer that hangs up says so first ("bye"; its "leave" goes through the
  // server too): the call is over. Without a word its page went away: reloaded, it comes back
  // with a new connection (the server holds its name and our call for a while), or the server's
  // "leave" ends the call after that while. If the path had failed, the browser gave the
  // connection up: the call goes on over a new one.
  #chatClosed(chat) {
    if (this.isOver || chat !== this.#chat) return;
    const pc = this.#pc;
    const pathFailed = this.#recovering || pc.connectionState === 'failed'
      || pc.iceConnectionState === 'failed' || pc.iceConnectionState === 'disconnected';
    if (!pathFailed && this.#peerSaidBye) {
      this.#finish('peer-left');
      return;
    }
    if (!pathFailed) {
      console.info(`textchat: ${this.peer}'s page went away; waiting for it to come back`);
      this.#transportGone = true;
      this.#keepUnacknowledged(chat);
      this.#chat = null;
      this.#setState('interrupted');
      this.#startRecoveryLimit();
      return;
    }
    console.info(`textchat: the connection to ${this.peer} died with its path; a new one follows`);
    this.#transportGone = true;
    this.#keepUnacknowledged(chat);
    this.#chat = null;
    this.#setState('interrupted');
    this.#startRecoveryLimit();
    // Either side: the other may not know (its own connection can look restored while ours is dead).
    this.#rebuildUntilBack();
  }

  #keepUnacknowledged(chat) {
    const known = new Set(this.#carryOver.map((message) => message.id));
    this.#carryOver.push(...chat.unacknowledged().filter((message) => !known.has(message.id)));
  }

  get #recovering() {
    return this.#recoveryTimer !== null;
  }

  #startRecoveryLimit() {
    if (this.#recoveryTimer === null) {
      this.#recoveryTimer = setTimeout(() => this.#leave('lost'), RECOVERY_LIMIT_MS);
    }
  }

  // New connections, with growing pauses, until one connects (or time runs out). Both sides may be
  // at it: an attempt under way is given its chance, and crossing attempts are settled as glare.
  #rebuildUntilBack() {
    if (this.isOver || this.#rebuildTimer !== null) return;
    this.#transportGone = true;
    clearTimeout(this.#restartTimer);
    const next = () => {
      if (this.isOver || !this.#recovering) return;
      const pause = REBUILD_BACKOFF_MS[Math.min(this.#rebuilds + 1, REBUILD_BACKOFF_MS.length - 1)];
      this.#rebuildTimer = setTimeout(next, pause);
      // An attempt still under way (young, or its checks running) is given its chance.
      if (this.#rebuilds > 0 && this.#attemptUnderWay()) return;
      this.#rebuilds += 1;
      this.#rebuild().catch((error) => console.warn('textchat: could not make a new connection', error));
    };
    this.#rebuildTimer = setTimeout(next, REBUILD_BACKOFF_MS[0]);
  }

  #attemptUnderWay() {
    const pc = this.#pc;
    if (this.#rebuilding || !pc) return true;
    const checking = pc.iceConnectionState === 'checking' || pc.iceConnectionState === 'connected';
    return !this.#transportGone && (checking || Date.now() - this.#madeAt < ATTEMPT_PATIENCE_MS);
  }

  /** Closes the current connection (a new one replaces it); what its channel had not delivered is kept. */
  #dropConnection() {
    clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    this.#restarts = 0;
    if (this.#chat) this.#keepUnacknowledged(this.#chat);
    this.#chat = null;
    this.#ice?.stop();
    const pc = this.#pc;
    this.#pc = null;
    pc?.close();
  }

  // A new connection of ours, with fresh ICE servers and the same certificate; its offer follows.
  async #rebuild() {
    if (this.isOver || this.#rebuilding) return;
    this.#rebuilding = true;
    try {
      console.info(`textchat: making a new connection to ${this.peer} (attempt ${Math.max(this.#rebuilds, 1)})`);
      this.#dropConnection();
      const servers = this.#iceServers ? await this.#iceServers() : {};
      if (this.isOver) return;
      this.#rebuildPending = true;
      this.#pendingCandidates = [];
      this.#createConnection({ ...this.#config, ...servers });
      this.#attachChat(this.#pc.createDataChannel(CHANNEL_LABEL));
    } finally {
      this.#rebuilding = false;
    }
    this.#takeOfferDuringRebuild();
  }

  #takeOfferDuringRebuild() {
    const offer = this.#offerDuringRebuild;
    this.#offerDuringRebuild = null;
    if (offer && !this.isOver) this.handleOffer(offer);
  }

  // An offer with another session id than the peer's connection we know: it made a new one.
  #isNewConnection(offer) {
    const theirs = sessionIdOf(offer?.sdp);
    return theirs !== null && this.#peerSession !== null && theirs !== this.#peerSession;
  }

  async #replaceConnection(offer) {
    // Both made a new connection at once: as with crossing offers, the polite side gives way.
    if (this.#rebuildPending && !this.#polite) return;
    console.info(`textchat: ${this.peer} made a new connection; answering it`);
    this.#rebuildPending = false;
    this.#rebuilding = true;
    try {
      this.#dropConnection();
      this.#startRecoveryLimit();
      this.#setState('interrupted');
      const servers = this.#iceServers ? await this.#iceServers() : {};
      if (this.isOver) return;
      this.#createConnection({ ...this.#config, ...servers });
    } finally {
      this.#rebuilding = false;
    }
    if (this.isOver) return;
    this.#ice.arm();
    await this.#applyRemote(offer);
    this.#takeOfferDuringRebuild();
  }

  #interrupted() {
    if (this.#state === 'connected') this.#setState('interrupted');
  }

  #lost() {
    if (this.isOver) return;
    this.#setState('interrupted');
    this.#startRecoveryLimit();
    if (this.#caller && this.#restartTimer === null && this.#rebuildTimer === null) this.#restartIce();
  }

  // Restarts until the path is back: a restart made while the network (or TURN) is still down
  // finds nothing, so it is repeated with growing pauses. An offer that got no answer in time
  // (the peer's signaling was down too) is rolled back and replaced.
  async #restartIce() {
    // A connection that is dead, or new and still being made (a recovery of its own), is not restarted.
    if (this.isOver || this.#state !== 'interrupted' || this.#transportGone || this.#rebuildTimer !== null
      || this.#rebuilding || !this.#pc || !this.#ice?.everConnected) return;
    const pause = RESTART_BACKOFF_MS[Math.min(this.#restarts, RESTART_BACKOFF_MS.length - 1)];
    this.#restarts += 1;
    this.#restartTimer = setTimeout(() => this.#restartIce(), pause);
    try {
      // The credentials the call started with may have expired since: a restart gathers anew.
      if (this.#iceServers) this.#useIceServers(await this.#iceServers());
      if (this.isOver || this.#state !== 'interrupted' || !this.#pc || this.#transportGone) return;
      if (this.#pc.signalingState === 'have-local-offer') await this.#pc.setLocalDescription({ type: 'rollback' });
      console.info(`textchat: restarting ICE with ${this.peer} (attempt ${this.#restarts})`);
      this.#ice.restart();
    } catch (error) {
      console.warn('textchat: could not restart ICE', error);
    }
  }

  #useIceServers({ iceServers, iceTransportPolicy }) {
    if (!this.#pc) return;
    // The rest as it is: certificates, bundle and mux policies cannot change (both browsers refuse
    // a configuration that leaves the certificates out).
    const config = this.#pc.getConfiguration();
    config.iceServers = iceServers;
    if (iceTransportPolicy) config.iceTransportPolicy = iceTransportPolicy;
    try {
      this.#pc.setConfiguration(config);
    } catch (error) {
      console.warn('textchat: could not use fresh ICE servers; restarting with the old ones', error);
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
    clearTimeout(this.#rebuildTimer);
    this.#restartTimer = null;
    this.#recoveryTimer = null;
    this.#rebuildTimer = null;
    this.#restarts = 0;
    this.#rebuilds = 0;
  }

  // Right after connecting, the remote end may still be a peer-reflexive candidate whose address
  // the browser hides; its signaled candidate usually arrives within a second, so look again.
  async #reportRoute(attempt = 0) {
    try {
      if (!this.#pc) return;
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

/** The session id of an SDP's o= line (RFC 4566): the same for every offer of one connection. */
export function sessionIdOf(sdp) {
  const match = typeof sdp === 'string' ? /^o=\S+ (\S+) /m.exec(sdp) : null;
  return match ? match[1] : null;
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
