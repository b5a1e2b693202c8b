// Chat over the peer-to-peer data channel (PROTOCOL.md, "Data channel"): text messages with
// an id and a timestamp, acknowledged by the receiver. The signaling server never sees them.
import { Emitter } from './emitter.js';

export const CHANNEL_LABEL = 'chat';
export const MAX_TEXT_LENGTH = 10_000;

/** A message id: 32 hex digits, unique enough for one conversation. */
export function newMessageId() {
  // crypto.randomUUID() exists only in secure contexts; a plain-http deployment still works.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Wraps one RTCDataChannel. Events: `open`, `close`, `message` ({id, text, ts}),
 * `ack` ({id}), `typing` ({active}), `read` ({id}), `bye` (the peer hung up), `file` (a `file-*`
 * message about a file transfer, as parsed; files.js), `verify` (a `verify-*` message of the
 * safety-code exchange, as parsed; safety.js).
 * `seen` (optional) holds the ids of messages already received in this conversation, over
 * earlier channels too: one sent again is acknowledged again but not shown twice.
 */
export class ChatChannel extends Emitter {
  #channel;
  #decoder = new TextDecoder();
  #seen;
  /** id → message sent and not acknowledged yet. */
  #unacknowledged = new Map();

  constructor(channel, { seen = new Set() } = {}) {
    super();
    this.#channel = channel;
    this.#seen = seen;
    channel.binaryType = 'arraybuffer';
    channel.addEventListener('open', () => this.emit('open'));
    channel.addEventListener('close', () => this.emit('close'));
    channel.addEventListener('message', (event) => this.#receive(event.data));
  }

  get isOpen() {
    return this.#channel.readyState === 'open';
  }

  /** Sends a text message; returns what was sent, so the caller can show it. */
  send(text) {
    if (!this.isOpen) throw new Error('the chat channel is not open');
    const message = { type: 'text', id: newMessageId(), text, ts: Date.now() };
    this.#channel.send(JSON.stringify(message));
    this.#unacknowledged.set(message.id, message);
    return { id: message.id, text: message.text, ts: message.ts };
  }

  /** Messages sent on this channel that the peer has not acknowledged ({id, text, ts}), oldest first. */
  unacknowledged() {
    return [...this.#unacknowledged.values()].map(({ id, text, ts }) => ({ id, text, ts }));
  }

  /** Sends again, with their ids, messages that an earlier channel could not deliver. */
  resend(messages) {
    if (!this.isOpen) return;
    for (const { id, text, ts } of messages) {
      const message = { type: 'text', id, text, ts };
      this.#channel.send(JSON.stringify(message));
      this.#unacknowledged.set(id, message);
    }
  }

  /** Tells the peer we are typing (`active`), or stopped. */
  sendTyping(active) {
    if (this.isOpen) this.#channel.send(JSON.stringify(active ? { type: 'typing' } : { type: 'typing', active: false }));
  }

  /** Tells the peer its message `id` was on our screen. */
  sendRead(id) {
    if (this.isOpen) this.#channel.send(JSON.stringify({ type: 'read', id }));
  }

  /** Tells the peer we hang up (so that the channel's close that follows is not taken for a page going away). */
  sendBye() {
    if (this.isOpen) this.#channel.send(JSON.stringify({ type: 'bye' }));
  }

  /** Sends a message about a file transfer (an object whose type starts with `file-`); false if closed. */
  sendFile(message) {
    if (!this.isOpen) return false;
    this.#channel.send(JSON.stringify(message));
    return true;
  }

  /** Sends a message of the safety-code exchange (an object whose type starts with `verify-`). */
  sendVerify(message) {
    if (this.isOpen) this.#channel.send(JSON.stringify(message));
  }

  close() {
    this.#channel.close();
  }

  #receive(data) {
    const raw = typeof data === 'string' ? data : this.#decoder.decode(data);
    const message = parseJsonObject(raw);
    if (message?.type === 'text' && typeof message.text === 'string') {
      const id = typeof message.id === 'string' ? message.id : null;
      const ts = Number.isFinite(message.ts) ? message.ts : Date.now();
      if (id !== null && this.isOpen) this.#channel.send(JSON.stringify({ type: 'ack', id }));
      if (id !== null && this.#seen.has(id)) return; // sent again after a reconnection: shown already
      if (id !== null) this.#seen.add(id);
      this.emit('message', { id, text: message.text, ts });
    } else if (message?.type === 'ack') {
      if (typeof message.id === 'string') {
        this.#unacknowledged.delete(message.id);
        this.emit('ack', { id: message.id });
      }
    } else if (message?.type === 'typing') {
      this.emit('typing', { active: message.active !== false });
    } else if (message?.type === 'read') {
      if (typeof message.id === 'string') this.emit('read', { id: message.id });
    } else if (message?.type === 'bye') {
      this.emit('bye');
    } else if (typeof message?.type === 'string' && message.type.startsWith('file-')) {
      this.emit('file', message);
    } else if (typeof message?.type === 'string' && message.type.startsWith('verify-')) {
      this.emit('verify', message);
    } else if (message !== null && typeof message.type === 'string') {
      // A typed object we do not know yet (a newer peer's feature): not chat text.
      console.info(`textchat: ignoring data-channel message of type "${message.type}"`);
    } else {
      // Peers that send bare strings (the original tutorial's client) still get through.
      this.emit('message', { id: null, text: raw, ts: Date.now() });
    }
  }
}

function parseJsonObject(raw) {
  try {
    const value = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}
