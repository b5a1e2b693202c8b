import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';

import {
  FileTransfers, HIGH_WATER_BYTES, MAX_CHUNK_BYTES, MAX_FILE_BYTES, WINDOW_BYTES, hashBlob,
} from '../../main/webapp/js/files.js';

/**
 * One end of an in-memory data channel: what is sent arrives at the other end a moment later,
 * and until then counts in bufferedAmount, as in a browser.
 */
class FakeEnd {
  readyState = 'connecting';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType = 'blob';
  other = null;
  sent = [];
  #listeners = new Map();

  constructor(label) {
    this.label = label;
  }

  addEventListener(type, listener, options) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    const wrapped = options?.once ? (event) => { this.removeEventListener(type, wrapped); listener(event); } : listener;
    this.#listeners.get(type).add(wrapped);
  }

  removeEventListener(type, listener) {
    this.#listeners.get(type)?.delete(listener);
  }

  fire(type, event = {}) {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) listener(event);
  }

  send(data) {
    if (this.readyState !== 'open') throw new Error('not open');
    const copy = typeof data === 'string' ? data : new Uint8Array(data.buffer ?? data, data.byteOffset ?? 0, data.byteLength).slice().buffer;
    const size = typeof data === 'string' ? data.length : copy.byteLength;
    this.sent.push(size);
    this.bufferedAmount += size;
    this.maxBuffered = Math.max(this.maxBuffered ?? 0, this.bufferedAmount);
    setImmediate(() => {
      const before = this.bufferedAmount;
      this.bufferedAmount -= size;
      if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) {
        this.fire('bufferedamountlow');
      }
      if (this.other?.readyState === 'open') this.other.fire('message', { data: this.other.tamper?.(copy) ?? copy });
    });
  }

  close() {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.fire('close');
    if (this.other && this.other.readyState !== 'closed') setImmediate(() => this.other.close());
  }
}

/** Two pages' transfers joined by a chat channel (control) and data channels opened on demand. */
function joined() {
  const alice = new FileTransfers({ hash: hashBlob });
  const bob = new FileTransfers({ hash: hashBlob });
  const views = { alice: [], bob: [] };
  alice.on('update', (view) => views.alice.push(view));
  bob.on('update', (view) => views.bob.push(view));
  const opened = [];
  const connect = () => {
    let live = true;
    const link = (from, to) => ({
      sendControl: (message) => {
        if (!live) return false;
        const copy = JSON.parse(JSON.stringify(message));
        setImmediate(() => live && to.handleControl(copy));
        return true;
      },
      openChannel: (label) => {
        const mine = new FakeEnd(label);
        const theirs = new FakeEnd(label);
        mine.other = theirs;
        theirs.other = mine;
        opened.push(mine);
        setImmediate(() => {
          if (!live) return;
          theirs.readyState = 'open';
          to.handleChannel(theirs);
          mine.readyState = 'open';
          mine.fire('open');
        });
        return mine;
      },
      maxMessageSize: () => 256 * 1024,
    });
    alice.attach(link(alice, bob));
    bob.attach(link(bob, alice));
    return {
      cut() {
        live = false;
        for (const end of opened) end.close();
        alice.detach();
        bob.detach();
      },
    };
  };
  return { alice, bob, views, opened, connect };
}

function bytesOf(size, seed = 1) {
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

const until = async (what, condition, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`waited for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
};

const last = (views, id) => views.filter((v) => v.id === id).at(-1);
const sha256 = async (bytes) => Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');

test('a file is offered, accepted, sent in chunks with backpressure, checked, and shown as done on both sides', async () => {
  const { alice, bob, views, opened, connect } = joined();
  connect();
  const content = bytesOf(3 * 1024 * 1024 + 17);
  const id = await alice.offer(new File([content], 'report <b>.pdf', { type: 'application/pdf' }));
  await until('bob is asked', () => last(views.bob, id)?.state === 'asking');
  const asked = last(views.bob, id);
  assert.deepEqual([asked.name, asked.size, asked.mime], ['report <b>.pdf', content.length, 'application/pdf']);
  assert.equal(opened.length, 0, 'nothing flows before accept');

  bob.accept(id);
  await until('done on both sides', () => last(views.alice, id)?.state === 'done' && last(views.bob, id)?.state === 'done');
  assert.equal(last(views.bob, id).sha256, await sha256(content));
  const received = new Uint8Array(await (await fetch(last(views.bob, id).url)).arrayBuffer());
  assert.deepEqual(received, content);

  const [channel] = opened;
  assert.equal(channel.label, `file:${id}`);
  assert.ok(Math.max(...channel.sent) <= MAX_CHUNK_BYTES, 'no chunk over 64 KiB');
  assert.ok(channel.maxBuffered <= HIGH_WATER_BYTES + MAX_CHUNK_BYTES, `buffered at most ~1 MiB: ${channel.maxBuffered}`);
  // Progress on the sender is what the receiver acknowledged, and only ever goes up.
  const progress = views.alice.filter((v) => v.id === id).map((v) => v.done);
  assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
  assert.ok(progress.filter((done) => done > 0 && done < content.length).length >= 5, 'several steps of progress');
});

test('declined: nothing flows; cancelled by either side: both show it', async () => {
  const { alice, bob, views, opened, connect } = joined();
  connect();
  const declined = await alice.offer(new File([bytesOf(1000)], 'a.bin'));
  await until('asked', () => last(views.bob, declined)?.state === 'asking');
  bob.decline(declined);
  await until('declined', () => last(views.alice, declined)?.state === 'declined');
  assert.equal(opened.length, 0);

  const byReceiver = await alice.offer(new File([bytesOf(8 * 1024 * 1024)], 'b.bin'));
  await until('asked', () => last(views.bob, byReceiver)?.state === 'asking');
  bob.accept(byReceiver);
  await until('some arrived', () => last(views.bob, byReceiver)?.done > 0);
  bob.cancel(byReceiver);
  await until('sender told', () => last(views.alice, byReceiver)?.state === 'cancelled');
  assert.equal(last(views.alice, byReceiver).reason, 'by-peer');
  assert.equal(last(views.bob, byReceiver).reason, 'by-me');

  const bySender = await alice.offer(new File([bytesOf(8 * 1024 * 1024)], 'c.bin'));
  await until('asked', () => last(views.bob, bySender)?.state === 'asking');
  alice.cancel(bySender);
  await until('receiver told', () => last(views.bob, bySender)?.state === 'cancelled');
});

test('too big is refused before anything is read or sent; a zero-byte file completes', async () => {
  const { alice, bob, views, connect } = joined();
  connect();
  const huge = { name: 'huge.iso', size: MAX_FILE_BYTES + 1, type: '', slice() { throw new Error('read'); } };
  const refused = await alice.offer(huge);
  assert.deepEqual([last(views.alice, refused).state, last(views.alice, refused).reason], ['failed', 'too-big']);
  assert.equal(views.bob.length, 0, 'the peer never heard of it');

  const empty = await alice.offer(new File([], 'empty.txt', { type: 'text/plain' }));
  await until('asked', () => last(views.bob, empty)?.state === 'asking');
  bob.accept(empty);
  await until('done', () => last(views.alice, empty)?.state === 'done' && last(views.bob, empty)?.state === 'done');
});

test('bytes changed on the way: the receiver keeps nothing and both say the file is corrupt', async () => {
  const { alice, bob, views, connect } = joined();
  connect();
  const id = await alice.offer(new File([bytesOf(200_000)], 'x.bin'));
  await until('asked', () => last(views.bob, id)?.state === 'asking');
  let tampered = false;
  const realHandle = bob.handleChannel.bind(bob);
  bob.handleChannel = (channel) => {
    channel.tamper = (buffer) => {
      if (tampered) return buffer;
      tampered = true;
      const bytes = new Uint8Array(buffer);
      bytes[10] ^= 1;
      return buffer;
    };
    realHandle(channel);
  };
  bob.accept(id);
  await until('failed', () => last(views.alice, id)?.state === 'failed' && last(views.bob, id)?.state === 'failed');
  assert.equal(last(views.bob, id).reason, 'corrupt');
  assert.equal(last(views.bob, id).url, null);
});

test('a transfer cut by a new connection goes on from what had arrived, not from the start', async () => {
  const { alice, bob, views, opened, connect } = joined();
  const first = connect();
  const content = bytesOf(10 * 1024 * 1024, 7);
  const id = await alice.offer(new File([content], 'big.bin'));
  await until('asked', () => last(views.bob, id)?.state === 'asking');
  bob.accept(id);
  await until('40 % arrived', () => last(views.bob, id)?.done >= 0.4 * content.length);
  first.cut();
  const atCut = last(views.bob, id).done;
  assert.equal(last(views.alice, id).state, 'paused');
  const sentBefore = opened.reduce((sum, end) => sum + end.sent.filter((n) => n > 100).reduce((a, b) => a + b, 0), 0);

  connect();
  await until('done', () => last(views.alice, id)?.state === 'done' && last(views.bob, id)?.state === 'done');
  const sentAfter = opened.reduce((sum, end) => sum + end.sent.filter((n) => n > 100).reduce((a, b) => a + b, 0), 0) - sentBefore;
  assert.equal(sentAfter, content.length - atCut, 'exactly what was missing was sent again');
  const received = new Uint8Array(await (await fetch(last(views.bob, id).url)).arrayBuffer());
  assert.deepEqual(received, content);
});

test('offers that are not well formed are ignored', () => {
  const { bob, views } = joined();
  for (const offer of [
    { type: 'file-offer' },
    { type: 'file-offer', id: 'x', name: 'a', size: -1, sha256: 'a'.repeat(64) },
    { type: 'file-offer', id: 'x', name: 'a', size: 1.5, sha256: 'a'.repeat(64) },
    { type: 'file-offer', id: 'x', name: 'a', size: 1, sha256: 'not hex' },
    { type: 'file-offer', id: 'x', name: 42, size: 1, sha256: 'a'.repeat(64) },
  ]) bob.handleControl(offer);
  assert.deepEqual(views.bob, []);
});

test('the sender waits for the receiver: never more than the window unacknowledged', async () => {
  const { alice, bob, views, connect } = joined();
  connect();
  const id = await alice.offer(new File([bytesOf(6 * 1024 * 1024)], 'w.bin'));
  await until('asked', () => last(views.bob, id)?.state === 'asking');
  // A slow receiving page: chunks leave the connection's buffer at once but wait their turn for
  // its JavaScript, as in a browser whose page is busy, so acknowledgements lag.
  let worst = 0;
  const realHandle = bob.handleChannel.bind(bob);
  bob.handleChannel = (channel) => {
    const fire = channel.fire.bind(channel);
    let turn = Promise.resolve();
    channel.fire = (type, event) => {
      if (type !== 'message') return fire(type, event);
      turn = turn.then(() => new Promise((resolve) => setTimeout(() => { fire(type, event); resolve(); }, 1)));
      return undefined;
    };
    realHandle(channel);
    const sender = channel.other;
    const send = sender.send.bind(sender);
    sender.send = (data) => {
      send(data);
      worst = Math.max(worst, sender.sent.reduce((a, b) => a + b, 0) - (last(views.alice, id)?.done ?? 0));
    };
  };
  bob.accept(id);
  await until('done', () => last(views.bob, id)?.state === 'done', 20_000);
  assert.ok(worst <= WINDOW_BYTES + MAX_CHUNK_BYTES, `at most the window unacknowledged: ${worst}`);
});
