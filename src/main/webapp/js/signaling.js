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
// WebSocket.OPEN, spelled out: a stand-in socket class (tests) need not carry the constants.
const SOCKET_OPEN = 1;
const HEARTBEAT_MS = 20_000;
// The server pings idle sockets itself; this catches a connection that died silently
// (laptop lid, NAT timeout) long before the browser would notice on its own.
const SILENCE_LIMIT_MS = 50_000;

/**
 * Events: `state` ({state, retryInMs}), `replaced`, `message` (every object), and one event per
 * message `type` (`login`, `offer`, `answer`, `candidate`, `leave`, `decline`, `online`,
 * `offline`, `pong`, `error`), each with the object exactly as the server sent it. States:
 * `connecting`, `open`, `reconnecting`, `closed`.
 *
 * It keeps no identity of its own: every time a socket opens it sends the login that
 * `loginWith`'s function gives (the session's, which owns the name and the resume token).
 */
export class Signaling extends Emitter {
  #url;
  #backoff;
  #WebSocket;
  #socket = null;
  #state = 'idle';
  #attempt = 0;
  #retryTimer = null;
  #heartbeatTimer = null;
  #lastHeard = 0;
  #pingSeq = 0;
  #loginMessage = () => null;

  /**
   * `WebSocket` and `network` (what fires `online` when the network is back) are the browser's
   * unless given; tests give their own.
   */
  constructor(url, {
    initialDelayMs = 500,
    maxDelayMs = 15_000,
    WebSocket = globalThis.WebSocket,
    network = globalThis.window,
  } = {}) {
    super();
    this.#url = url;
    this.#backoff = { initialDelayMs, maxDelayMs };
    this.#WebSocket = WebSocket;
    network?.addEventListener('online', () => {
      if (this.#state === 'reconnecting') this.#reconnectNow();
    });
  }

  get state() {
    return this.#state;
  }

  get isOpen() {
    return this.#socket?.readyState === SOCKET_OPEN;
  }

  start() {
    if (this.#state === 'idle' || this.#state === 'closed') {
      this.#open('connecting');
    }
  }

  /**
   * The page goes away and cannot come back as this user: closes with 1000, so that the server
   * frees the name at once instead of holding it for a resume (a browser's own close is 1001).
   */
  closeForGood() {
    const socket = this.#socket;
    this.#socket = null;
    clearTimeout(this.#retryTimer);
    this.#stopHeartbeat();
    this.#setState('closed');
    socket?.close(1000, 'page closed');
  }

  /** Where every login comes from: a function giving the message to send, or null for none yet. */
  loginWith(loginMessage) {
    this.#loginMessage = loginMessage;
  }

  /** Sends the login now if the socket is open; otherwise it goes out as soon as it opens. */
  login() {
    const message = this.#loginMessage();
    if (message && this.isOpen) this.send(message);
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
      socket = new this.#WebSocket(this.#url);
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
    const login = this.#loginMessage();
    if (login) {
      socket.send(JSON.stringify(login));
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
    // Signed in: the connection works, so the next loss starts the backoff afresh.
    if (message.type === 'login' && message.success === true) this.#attempt = 0;
    this.emit('message', message);
    this.emit(message.type, message);
  }

  #onClose(socket, code) {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#stopHeartbeat();
    if (code === CLOSE_REPLACED) {
      // Another tab resumed this identity; fighting it back would loop forever.
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
