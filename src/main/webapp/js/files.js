// Files over the call (PROTOCOL.md, "Files"): offered on the chat channel, sent on a data channel
// of their own (`file:<id>`) so that chat never waits behind them, in chunks the connection takes,
// with at most 1 MiB unacknowledged in flight and 256 KiB waiting in the channel; progress is what the receiver acknowledged; SHA-256 checks
// the whole; a transfer cut by a new connection goes on from what had arrived. Nothing of a file
// reaches the signaling server.
import { Emitter } from './emitter.js';
import { newMessageId } from './chat.js';
import { Sha256 } from './sha256.js';

/** The largest file the page sends or takes (the page's own limit; see PROTOCOL.md). */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;
/** The largest chunk sent, whatever the connection would take. */
export const MAX_CHUNK_BYTES = 64 * 1024;
/**
 * Sending pauses while this much waits in the channel's buffer (and goes on once it drained to
 * LOW_WATER_BYTES). Chromium sends what waits in its streams' queues first come first served, so
 * a chat message queues behind whatever a file has buffered: with 1 MiB buffered, Chromium to
 * Chromium, a chat message sent mid-file took 2.5 s; with 256 KiB, 25–90 ms, and the file went as
 * fast (FilesBrowserIT, docs/files.md).
 */
export const HIGH_WATER_BYTES = 256 * 1024;
export const LOW_WATER_BYTES = 128 * 1024;
/**
 * Bytes sent but not acknowledged yet, at most (about 1 MiB in flight): the receiving page must
 * keep up too, or chunks pile up waiting for its JavaScript (and chat messages behind them).
 */
export const WINDOW_BYTES = 1024 * 1024;
/** How much of the file is read at a time (the sender never holds more of it). */
const READ_BYTES = 1024 * 1024;
/** The receiver acknowledges at least this often. */
const ACK_EVERY_BYTES = 256 * 1024;
/** The receiver folds what arrived into its Blob this often (its memory holds no more than that twice). */
const FOLD_BYTES = 4 * 1024 * 1024;
/** Speed is measured over this much of the recent past. */
const SPEED_WINDOW_MS = 3_000;
/** Shown inline: pictures a browser shows without running anything. */
const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);
/** Data channels of file transfers are labelled with this and the transfer's id. */
export const FILE_LABEL_PREFIX = 'file:';

/** SHA-256 of a Blob, read a slice at a time. */
export async function hashBlob(blob, sliceBytes = READ_BYTES) {
  const hash = new Sha256();
  for (let at = 0; at < blob.size; at += sliceBytes) hash.update(await blob.slice(at, at + sliceBytes).arrayBuffer());
  return hash.hex();
}

/** Whether a received file of type `mime` may be shown as a picture. */
export function previewable(mime) {
  return PREVIEWABLE.has(mime);
}

/**
 * The transfers of one call, both ways. Events: `update` (a transfer's view: {id, direction
 * ('out' | 'in'), name, size, mime, state, done (bytes the receiver has), speed (bytes/s or
 * null), secondsLeft, url (when received, or an image sent), reason}). States: hashing, offered
 * (waiting for the peer), asking (an offer waiting for our answer), sending, receiving, paused
 * (the connection is being replaced), done, declined, cancelled, failed (reason: too-big,
 * unreadable, corrupt, call-ended).
 *
 * `attach(link)` gives it the connection to use ({sendControl(message) → boolean,
 * openChannel(label) → RTCDataChannel, maxMessageSize(), key: what tells connections apart}),
 * again for each new connection; the
 * chat channel's `file-*` messages go to `handleControl`, the peer's `file:*` channels to
 * `handleChannel`.
 */
export class FileTransfers extends Emitter {
  #link = null;
  /** id → transfer (see #view for what is shown of it). */
  #transfers = new Map();
  #now;
  #hash;
  #urls;

  constructor({ now = () => performance.now(), hash = hashBlob, urls = globalThis.URL } = {}) {
    super();
    this.#now = now;
    this.#hash = hash;
    this.#urls = urls;
  }

  /** Whether `id` is one of these transfers. */
  has(id) {
    return this.#transfers.has(id);
  }

  /** A connection whose chat channel may send: offers and resumes waiting for one go out on it. */
  attach(link) {
    if (link.key !== undefined && this.#link?.key === link.key) return; // the same connection again
    this.#link = link;
    for (const t of this.#transfers.values()) {
      if (t.direction === 'in' && (t.state === 'receiving' || t.state === 'paused')) this.#askToResume(t);
      if (t.direction === 'out' && t.state === 'offered' && !t.offerSent) this.#sendOffer(t);
    }
  }

  /** The connection is gone: transfers wait for the next one. */
  detach() {
    this.#link = null;
    for (const t of this.#transfers.values()) {
      if (t.state === 'sending' || t.state === 'receiving') {
        this.#dropChannel(t);
        this.#set(t, 'paused');
      }
    }
  }

  /** The call is over: what was under way failed. */
  stop() {
    this.#link = null;
    for (const t of this.#transfers.values()) {
      if (!FINAL.has(t.state)) {
        this.#dropChannel(t);
        this.#set(t, 'failed', 'call-ended');
      }
    }
  }

  /** Offers `file` (a File or Blob with a name) to the peer; refused at once past MAX_FILE_BYTES. */
  async offer(file) {
    const t = {
      id: newMessageId(), direction: 'out', file, name: String(file.name ?? 'file'), size: file.size,
      mime: typeof file.type === 'string' ? file.type : '', state: 'hashing', done: 0, samples: [],
      channel: null, sha256: null, offerSent: false, reason: null, url: null,
    };
    this.#transfers.set(t.id, t);
    if (t.size > MAX_FILE_BYTES) {
      this.#set(t, 'failed', 'too-big');
      return t.id;
    }
    // The sender sees its own picture at once; nothing else of the file is kept.
    if (previewable(t.mime)) t.url = this.#urls?.createObjectURL?.(file) ?? null;
    this.#emit(t);
    try {
      t.sha256 = await this.#hash(file);
    } catch (error) {
      console.warn('textchat: could not read the file', error);
      this.#set(t, 'failed', 'unreadable');
      return t.id;
    }
    if (t.state !== 'hashing') return t.id; // cancelled meanwhile
    this.#set(t, 'offered');
    this.#sendOffer(t);
    return t.id;
  }

  accept(id) {
    const t = this.#transfers.get(id);
    if (t?.direction !== 'in' || t.state !== 'asking') return;
    this.#set(t, 'receiving');
    this.#control({ type: 'file-accept', id, offset: 0 });
    if (t.size === 0) this.#finishReceiving(t);
  }

  decline(id) {
    const t = this.#transfers.get(id);
    if (t?.direction !== 'in' || t.state !== 'asking') return;
    this.#set(t, 'declined');
    this.#control({ type: 'file-decline', id });
  }

  cancel(id) {
    const t = this.#transfers.get(id);
    if (!t || FINAL.has(t.state)) return;
    const told = t.state !== 'hashing';
    this.#dropChannel(t);
    this.#set(t, 'cancelled', 'by-me');
    if (told) this.#control({ type: 'file-cancel', id });
  }

  /** A `file-*` message of the chat channel. */
  handleControl(message) {
    const t = typeof message?.id === 'string' ? this.#transfers.get(message.id) : undefined;
    switch (message?.type) {
      case 'file-offer': this.#offered(message); break;
      case 'file-accept':
      case 'file-resume':
        if (t?.direction === 'out' && (t.state === 'offered' || t.state === 'sending' || t.state === 'paused')) {
          this.#startSending(t, message.offset);
        }
        break;
      case 'file-decline':
        if (t?.direction === 'out' && t.state === 'offered') this.#set(t, 'declined');
        break;
      case 'file-cancel':
        if (t && !FINAL.has(t.state)) {
          this.#dropChannel(t);
          this.#set(t, 'cancelled', 'by-peer');
        }
        break;
      case 'file-done':
        if (t?.direction === 'out' && !FINAL.has(t.state)) {
          this.#dropChannel(t);
          if (message.ok === true) {
            t.done = t.size;
            this.#set(t, 'done');
          } else {
            this.#set(t, 'failed', 'corrupt');
          }
        }
        break;
      default:
    }
  }

  /** A data channel the peer opened; ours if its label names a transfer we receive. */
  handleChannel(channel) {
    const id = channel.label.startsWith(FILE_LABEL_PREFIX) ? channel.label.slice(FILE_LABEL_PREFIX.length) : null;
    const t = id === null ? undefined : this.#transfers.get(id);
    if (t?.direction !== 'in' || (t.state !== 'receiving' && t.state !== 'paused')) {
      channel.close();
      return;
    }
    // Only the newest channel of a transfer counts: bytes of an older one are not appended.
    this.#dropChannel(t);
    t.channel = channel;
    channel.binaryType = 'arraybuffer';
    channel.addEventListener('message', ({ data }) => {
      if (t.channel === channel && typeof data !== 'string') this.#received(t, data);
    });
    channel.addEventListener('close', () => {
      if (t.channel !== channel || t.state !== 'receiving') return;
      t.channel = null;
      this.#set(t, 'paused');
      this.#askToResume(t); // a channel lost on a live connection: ask again on this one
    });
    if (t.state === 'paused') this.#set(t, 'receiving');
  }

  // --- sending -------------------------------------------------------------------------------

  #sendOffer(t) {
    t.offerSent = this.#control({ type: 'file-offer', id: t.id, name: t.name, size: t.size, mime: t.mime, sha256: t.sha256 });
  }

  #startSending(t, offset) {
    const from = Number.isSafeInteger(offset) && offset >= 0 && offset <= t.size ? offset : 0;
    this.#dropChannel(t);
    t.done = from;
    if (!this.#link) {
      this.#set(t, 'paused');
      return;
    }
    this.#set(t, 'sending');
    if (t.size === 0) return; // a zero-byte file is done when the peer says so
    let channel;
    try {
      channel = this.#link.openChannel(FILE_LABEL_PREFIX + t.id);
    } catch (error) {
      console.warn('textchat: could not open a channel for the file', error);
      this.#set(t, 'paused');
      return;
    }
    t.channel = channel;
    t.sent = from;
    t.queued = from;
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
    channel.addEventListener('message', ({ data }) => {
      if (t.channel !== channel || typeof data !== 'string') return;
      const message = parse(data);
      if (message?.type === 'file-ack' && Number.isSafeInteger(message.received) && message.received > t.done
        && message.received <= t.size) {
        t.done = message.received;
        t.acked?.();
        this.#sample(t);
        this.#emit(t);
      }
    });
    channel.addEventListener('close', () => {
      if (t.channel === channel && t.state === 'sending') {
        t.channel = null;
        this.#set(t, 'paused'); // the receiver asks to resume from what it has
      }
    });
    const chunk = Math.max(1024, Math.min(MAX_CHUNK_BYTES, this.#link.maxMessageSize?.() || MAX_CHUNK_BYTES));
    const pump = () => this.#pump(t, channel, chunk).catch((error) => {
      if (t.channel !== channel) return;
      console.warn('textchat: sending the file stopped', error);
      t.channel = null;
      this.#set(t, 'paused');
    });
    if (channel.readyState === 'open') pump();
    else channel.addEventListener('open', pump, { once: true });
  }

  // Reads a slice, sends it in chunks, and waits whenever about HIGH_WATER_BYTES wait in the
  // channel's buffer or WINDOW_BYTES are not acknowledged yet.
  async #pump(t, channel, chunkBytes) {
    while (t.channel === channel && t.sent < t.size) {
      const buffer = await t.file.slice(t.sent, Math.min(t.size, t.sent + READ_BYTES)).arrayBuffer();
      for (let at = 0; at < buffer.byteLength; at += chunkBytes) {
        if (t.channel !== channel) return;
        if (channel.bufferedAmount >= HIGH_WATER_BYTES) await drained(channel);
        while (t.channel === channel && t.queued - t.done >= WINDOW_BYTES) await acknowledged(t, channel);
        if (t.channel !== channel || channel.readyState !== 'open') return;
        const length = Math.min(chunkBytes, buffer.byteLength - at);
        channel.send(new Uint8Array(buffer, at, length));
        t.queued += length;
      }
      t.sent += buffer.byteLength;
    }
  }

  // --- receiving -----------------------------------------------------------------------------

  #offered(message) {
    const { id, name, size, mime, sha256 } = message;
    if (typeof id !== 'string' || this.#transfers.has(id) || typeof name !== 'string' || !Number.isSafeInteger(size)
      || size < 0 || typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return;
    const t = {
      id, direction: 'in', name: name.slice(0, 255), size, mime: typeof mime === 'string' ? mime : '', sha256,
      state: 'asking', done: 0, samples: [], channel: null, hash: new Sha256(), blob: new Blob([]), pending: [],
      pendingBytes: 0, lastAck: 0, reason: null, url: null,
    };
    this.#transfers.set(id, t);
    if (size > MAX_FILE_BYTES) {
      // Refused without asking: the person could not take it anyway.
      this.#set(t, 'failed', 'too-big');
      this.#control({ type: 'file-decline', id });
      return;
    }
    this.#emit(t);
  }

  #received(t, data) {
    const bytes = new Uint8Array(data);
    if (t.state !== 'receiving' || t.done + bytes.length > t.size) return;
    t.hash.update(bytes);
    t.pending.push(bytes);
    t.pendingBytes += bytes.length;
    t.done += bytes.length;
    if (t.pendingBytes >= FOLD_BYTES) this.#fold(t);
    if (t.done - t.lastAck >= ACK_EVERY_BYTES || t.done === t.size) {
      t.lastAck = t.done;
      if (t.channel?.readyState === 'open') t.channel.send(JSON.stringify({ type: 'file-ack', received: t.done }));
      this.#sample(t);
      this.#emit(t);
    }
    if (t.done === t.size) this.#finishReceiving(t);
  }

  // What arrived goes into the Blob (which the browser may keep on disk), and out of our hands.
  #fold(t) {
    t.blob = new Blob([t.blob, ...t.pending]);
    t.pending = [];
    t.pendingBytes = 0;
  }

  #finishReceiving(t) {
    this.#fold(t);
    const ok = t.hash.hex() === t.sha256;
    this.#control({ type: 'file-done', id: t.id, ok });
    // The sender closes the channel once told; nothing more is read from it here.
    t.channel = null;
    if (!ok) {
      t.blob = null;
      this.#set(t, 'failed', 'corrupt');
      return;
    }
    // Pictures are shown; anything else only ever downloads (never opened as a page).
    const type = previewable(t.mime) ? t.mime : 'application/octet-stream';
    const file = new Blob([t.blob], { type });
    t.blob = null;
    t.url = this.#urls?.createObjectURL?.(file) ?? null;
    t.computed = t.sha256;
    this.#set(t, 'done');
  }

  #askToResume(t) {
    this.#control({ type: 'file-resume', id: t.id, offset: t.done });
  }

  // --- common --------------------------------------------------------------------------------

  #control(message) {
    return this.#link?.sendControl(message) === true;
  }

  #dropChannel(t) {
    const channel = t.channel;
    t.channel = null;
    try {
      channel?.close();
    } catch {
      // closing already
    }
  }

  #sample(t) {
    const now = this.#now();
    t.samples.push([now, t.done]);
    while (t.samples.length > 2 && now - t.samples[0][0] > SPEED_WINDOW_MS) t.samples.shift();
  }

  #set(t, state, reason = null) {
    t.state = state;
    if (reason !== null) t.reason = reason;
    if (FINAL.has(state)) t.samples = [];
    this.#emit(t);
  }

  #emit(t) {
    this.emit('update', this.#view(t));
  }

  #view(t) {
    let speed = null;
    if (t.samples.length >= 2) {
      const [t0, b0] = t.samples[0];
      const [t1, b1] = t.samples.at(-1);
      if (t1 > t0) speed = ((b1 - b0) * 1000) / (t1 - t0);
    }
    return {
      id: t.id, direction: t.direction, name: t.name, size: t.size, mime: t.mime, state: t.state, done: t.done,
      speed, secondsLeft: speed ? Math.ceil((t.size - t.done) / speed) : null, url: t.url, reason: t.reason,
      sha256: t.direction === 'in' ? (t.computed ?? null) : t.sha256,
    };
  }
}

const FINAL = new Set(['done', 'declined', 'cancelled', 'failed']);

function drained(channel) {
  return new Promise((resolve) => {
    const done = () => {
      channel.removeEventListener('bufferedamountlow', done);
      channel.removeEventListener('close', done);
      resolve();
    };
    channel.addEventListener('bufferedamountlow', done);
    channel.addEventListener('close', done);
  });
}

/** Until the receiver acknowledges more of `t`, or its channel closes. */
function acknowledged(t, channel) {
  return new Promise((resolve) => {
    const done = () => {
      t.acked = null;
      channel.removeEventListener('close', done);
      resolve();
    };
    t.acked = done;
    channel.addEventListener('close', done);
  });
}

function parse(text) {
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}
