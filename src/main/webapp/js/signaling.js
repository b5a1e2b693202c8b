// The WebSocket to the signaling server (PROTOCOL.md): JSON objects in and out, one typed
// event per received message type, and a connection that comes back by itself.
import { Emitter } from './emitter.js';

/** ws(s)://<host><directory of this page>signal, e.g. ws://example.org/textchat/signal. */
export function signalingUrl(loc = window.location) {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  const directory = loc.pathname.slice(0, loc.pathname.lastIndexOf('/') + 1);
  return `${scheme}//${loc.host}${directory}signal`;
}

const CLOSE_REPLACED = 4001;
const HEARTBEAT_MS = 20_000;
// The server pings idle sockets itself; this catches a connection that died silently
// (laptop lid, NAT timeout) long before the browser would notice on its own.
const SILENCE_LIMIT_MS = 50_000;

/**
 * Events: `state` ({state, retryInMs}), `replaced`, `message` (every object), and one event per
 * message `type` (`login`, `offer`, `answer`, `candidate`, `leave`, `decline`, `online`,
 * `offline`, `pong`, `error`). States: `connecting`, `open`, `reconnecting`, `closed`.
 */
export class Signaling extends Emitter {
  #url;
  #backoff;
  #socket = null;
  #state = 'idle';
  #attempt = 0;
  #retryTimer = null;
  #heartbeatTimer = null;
  #lastHeard = 0;
  #pingSeq = 0;
  #requestedName = null;
  // What a lost connection logs in with again: the name and resume token of the last success.
  #identity = null;

  constructor(url, { initialDelayMs = 500, maxDelayMs = 15_000 } = {}) {
    super();
    this.#url = url;
    this.#backoff = { initialDelayMs, maxDelayMs };
    window.addEventListener('online', () => {
      if (this.#state === 'reconnecting') this.#reconnectNow();
    });
  }

  get state() {
    return this.#state;
  }

  get isOpen() {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  start() {
    if (this.#state === 'idle' || this.#state === 'closed') {
      this.#open('connecting');
    }
  }

  /** Claims a name; sent now if the socket is open, or as soon as it opens. */
  login(name) {
    this.#requestedName = name;
    this.#identity = null;
    if (this.isOpen) this.send({ type: 'login', name });
  }

  /** Sends one protocol object; false when the socket is not open (the caller decides). */
  send(message) {
    if (!this.isOpen) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  #open(state) {
    this.#setState(state);
    let socket;
    try {
      socket = new WebSocket(this.#url);
    } catch (error) {
      console.error('textchat: cannot open the signaling socket', error);
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    socket.addEventListener('open', () => this.#onOpen(socket));
    socket.addEventListener('message', (event) => this.#onMessage(socket, event));
    socket.addEventListener('close', (event) => this.#onClose(socket, event.code));
  }

  #onOpen(socket) {
    if (socket !== this.#socket) return;
    this.#lastHeard = Date.now();
    this.#startHeartbeat();
    this.#setState('open');
    if (this.#identity) {
      const { name, token } = this.#identity;
      socket.send(JSON.stringify(token ? { type: 'login', name, token } : { type: 'login', name }));
    } else if (this.#requestedName !== null) {
      socket.send(JSON.stringify({ type: 'login', name: this.#requestedName }));
    } else {
      this.#attempt = 0;
    }
  }

  #onMessage(socket, event) {
    if (socket !== this.#socket) return;
    this.#lastHeard = Date.now();
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      console.warn('textchat: ignoring a signaling frame that is not JSON');
      return;
    }
    if (message === null || typeof message !== 'object' || typeof message.type !== 'string') {
      console.warn('textchat: ignoring a signaling frame without a type');
      return;
    }
    if (message.type === 'login') this.#rememberLogin(message);
    this.emit('message', message);
    this.emit(message.type, message);
  }

  #rememberLogin(reply) {
    const resumed = this.#identity !== null;
    reply.resumed = resumed;
    if (reply.success === true) {
      const name = typeof reply.name === 'string' ? reply.name : (this.#identity?.name ?? this.#requestedName);
      const token = typeof reply.token === 'string' ? reply.token : null;
      this.#identity = { name, token };
      this.#attempt = 0;
    } else {
      this.#identity = null;
    }
    this.#requestedName = null;
  }

  #onClose(socket, code) {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#stopHeartbeat();
    if (code === CLOSE_REPLACED) {
      // Another tab resumed this identity; fighting it back would loop forever.
      this.#identity = null;
      this.#setState('closed');
      this.emit('replaced', { code });
      return;
    }
    this.#scheduleReconnect(code);
  }

  #scheduleReconnect(code) {
    const exponential = this.#backoff.initialDelayMs * 2 ** Math.min(this.#attempt, 10);
    const delay = Math.round(Math.min(this.#backoff.maxDelayMs, exponential) * (0.8 + Math.random() * 0.4));
    this.#attempt += 1;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#open('reconnecting'), delay);
    this.#setState('reconnecting', { retryInMs: delay, code });
  }

  #reconnectNow() {
    clearTimeout(this.#retryTimer);
    this.#open('reconnecting');
  }

  #startHeartbeat() {
    this.#stopHeartbeat();
    this.#heartbeatTimer = setInterval(() => {
      const socket = this.#socket;
      if (!socket) return;
      if (Date.now() - this.#lastHeard > SILENCE_LIMIT_MS) {
        console.warn('textchat: signaling went silent; reconnecting');
        this.#socket = null;
        this.#stopHeartbeat();
        socket.close();
        this.#scheduleReconnect(1006);
        return;
      }
      this.#pingSeq += 1;
      this.send({ type: 'ping', id: `hb-${this.#pingSeq}` });
    }, HEARTBEAT_MS);
  }

  #stopHeartbeat() {
    clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
  }

  #setState(state, extra = {}) {
    this.#state = state;
    this.emit('state', { state, ...extra });
  }
}
