// Stand-ins for the browser-bound pieces, so that the client's rules run in Node: a signaling
// connection the test speaks for the server through, a UI that records what it was told, calls
// without an RTCPeerConnection, and a WebSocket class.
import { Emitter } from '../../main/webapp/js/emitter.js';
import { sameName } from '../../main/webapp/js/names.js';

/** Signaling as app.js sees it; `server(type, fields)` delivers a message from the server. */
export class FakeSignaling extends Emitter {
  sent = [];
  logins = [];
  started = false;
  #loginMessage = () => null;

  loginWith(loginMessage) {
    this.#loginMessage = loginMessage;
  }

  /** What the next (re)opened socket would log in with. */
  get loginMessage() {
    return this.#loginMessage();
  }

  login() {
    this.logins.push(this.#loginMessage());
  }

  send(message) {
    this.sent.push(message);
    return true;
  }

  start() {
    this.started = true;
  }

  server(type, fields = {}) {
    this.emit(type, { type, ...fields });
  }

  sentOfType(type) {
    return this.sent.filter((message) => message.type === type);
  }
}

/**
 * A UI that records every method called on it (`ui.calls`: [method, ...args]) and whose events a
 * test fires as the person would: `ui.emit('call', 'bob')`.
 */
export function fakeUI() {
  const events = new Emitter();
  const calls = [];
  const helpers = {
    calls,
    /** The arguments of every call of `method`, oldest first. */
    called: (method) => calls.filter(([name]) => name === method).map(([, ...args]) => args),
    last: (method) => helpers.called(method).at(-1),
    clear: () => { calls.length = 0; },
    on: (type, handler) => events.on(type, handler),
    off: (type, handler) => events.off(type, handler),
    emit: (type, detail) => events.emit(type, detail),
  };
  return new Proxy(helpers, {
    get(target, property) {
      if (property in target || typeof property === 'symbol') return target[property];
      return (...args) => { calls.push([property, ...args]); };
    },
  });
}

/** A call as app.js uses one, without WebRTC: it records what it was asked and ends on request. */
export class FakeCall extends Emitter {
  #state;
  #peer;
  log = [];
  candidates = [];
  pending = [];
  chat = null;

  constructor({ self, peer, rtcConfig, send, offer, iceServers }, state) {
    super();
    this.self = self;
    this.#peer = peer;
    this.rtcConfig = rtcConfig;
    /** What the call would ask for fresh ICE servers before an ICE restart. */
    this.iceServers = iceServers;
    this.send = send;
    this.offer = offer;
    this.#state = state;
    this.isCaller = state === 'calling';
  }

  get peer() {
    return this.#peer;
  }

  get state() {
    return this.#state;
  }

  get isOver() {
    return this.#state === 'ended';
  }

  /** Whether `method` was called, and with what (the last time). */
  did(method) {
    return this.log.find(([name]) => name === method) !== undefined;
  }

  argsOf(method) {
    return this.log.filter(([name]) => name === method).map(([, ...args]) => args);
  }

  start() { this.log.push(['start']); }

  resume() { this.log.push(['resume']); }

  /** Messages written while the path was down (Call.queue); `resendUndelivered` gives them back once. */
  queued = [];

  queue(text) {
    const message = { id: `q${this.queued.length + 1}`, text, ts: 1_700_000_000_000 };
    this.queued.push(message);
    return message;
  }

  resendUndelivered() {
    const due = this.queued;
    this.queued = [];
    return due;
  }

  accept() {
    this.log.push(['accept']);
    this.moveTo('connecting');
  }

  decline(reason) {
    this.log.push(['decline', reason]);
    this.send({ type: 'decline', name: this.peer, reason });
    this.end('declined-by-me');
  }

  hangUp() {
    this.log.push(['hangUp']);
    this.end('hung-up');
  }

  supersede() {
    this.log.push(['supersede']);
    this.end('superseded');
  }

  takePendingCandidates() {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  handleOffer(offer) { this.log.push(['handleOffer', offer]); }

  handleAnswer(answer) {
    this.log.push(['handleAnswer', answer]);
    if (this.#state === 'calling') this.moveTo('connecting');
  }

  handleCandidate(candidate) {
    this.log.push(['handleCandidate', candidate]);
    this.candidates.push(candidate);
  }

  handleRemoteEnd(reason) {
    this.log.push(['handleRemoteEnd', reason]);
    this.end(reason);
  }

  handleUnreachable() {
    this.log.push(['handleUnreachable']);
    if (this.#state === 'calling') this.end('unreachable');
  }

  setPeerName(name) {
    this.log.push(['setPeerName', name]);
    if (name === this.#peer || !sameName(name, this.#peer)) return;
    this.#peer = name;
    this.emit('peer', name);
  }

  // --- what the test makes happen ---

  moveTo(state) {
    if (this.#state === state) return;
    this.#state = state;
    this.emit('state', state);
  }

  end(reason) {
    if (this.isOver) return;
    this.moveTo('ended');
    this.emit('ended', { reason });
  }
}

/** The `calls` factory createApp takes; `made` lists every call it made, oldest first. */
export function fakeCalls() {
  const made = [];
  const make = (state) => (options) => {
    const call = new FakeCall(options, state);
    made.push(call);
    return call;
  };
  const resumed = (options) => {
    const call = new FakeCall(options, 'interrupted');
    call.isCaller = options.caller;
    made.push(call);
    return call;
  };
  return { made, outgoing: make('calling'), incoming: make('ringing'), resumed };
}

/** A ChatChannel as app.js uses one. */
export class FakeChat extends Emitter {
  isOpen = false;
  sent = [];
  typingSent = [];
  readSent = [];
  fileSent = [];

  sendFile(message) {
    if (!this.isOpen) return false;
    this.fileSent.push(message);
    return true;
  }

  sendTyping(active) {
    this.typingSent.push(active);
  }

  sendRead(id) {
    this.readSent.push(id);
  }

  send(text) {
    const message = { id: `m${this.sent.length + 1}`, text, ts: 1_700_000_000_000 };
    this.sent.push(message);
    return message;
  }

  open() {
    this.isOpen = true;
    this.emit('open');
  }
}

/** An RTCDataChannel as chat.js uses one; `receive(data)` is a frame from the peer. */
export class FakeDataChannel {
  readyState = 'open';
  binaryType = 'blob';
  sent = [];
  #listeners = new Map();

  addEventListener(type, listener) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, []);
    this.#listeners.get(type).push(listener);
  }

  send(data) {
    this.sent.push(data);
  }

  close() {
    this.readyState = 'closed';
    this.fire('close', {});
  }

  receive(data) {
    this.fire('message', { data });
  }

  fire(type, event) {
    for (const listener of this.#listeners.get(type) ?? []) listener(event);
  }
}

/**
 * A WebSocket class for Signaling. Every socket made is in `FakeWebSocket.made`; the test opens
 * it, delivers frames and closes it as the server (or the network) would.
 */
export class FakeWebSocket {
  static made = [];
  static OPEN = 1;
  readyState = 0;
  sent = [];
  closed = false;
  #listeners = new Map();

  constructor(url) {
    this.url = url;
    FakeWebSocket.made.push(this);
  }

  static reset() {
    FakeWebSocket.made = [];
  }

  static get latest() {
    return FakeWebSocket.made.at(-1);
  }

  addEventListener(type, listener) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, []);
    this.#listeners.get(type).push(listener);
  }

  send(text) {
    if (this.readyState !== 1) throw new Error('InvalidStateError: the socket is not open');
    this.sent.push(text);
  }

  close(code) {
    this.closed = true;
    this.closeCode = code;
    this.readyState = 3;
  }

  /** The sent frames, parsed. */
  get messages() {
    return this.sent.map((text) => JSON.parse(text));
  }

  // --- what the test makes happen ---

  open() {
    this.readyState = 1;
    this.#fire('open', {});
  }

  receive(data) {
    this.#fire('message', { data: typeof data === 'string' ? data : JSON.stringify(data) });
  }

  drop(code = 1006) {
    this.readyState = 3;
    this.#fire('close', { code });
  }

  #fire(type, event) {
    for (const listener of this.#listeners.get(type) ?? []) listener(event);
  }
}
