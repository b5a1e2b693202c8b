// What was said, kept in this browser: every message sent and received, per signed-in name and
// peer, with its state (queued, sent, delivered, read; received for the peer's), so that a
// conversation shows it again after a reload or in the next call. Nothing of it goes to the server.
// A store that fails costs the history, never the chat.
import * as idb from './idb.js';
import { nameKey } from './names.js';

export const DATABASE = 'textchat-history';
const MESSAGES = 'messages';
const CONVERSATIONS = 'conversations';
/** An own message's states, in the order they come; a mark never goes back. */
const PROGRESS = ['queued', 'sent', 'delivered', 'read'];

/**
 * `store` keeps records (indexedDbStore or memoryStore): `messages` keyed [self, peer, id],
 * `conversations` keyed [self, peer] (the peer's spelling and when it last said something).
 */
export class History {
  #store;
  /** Every change waits for the one before: a mark must find the message its record wrote. */
  #last = Promise.resolve();

  constructor(store) {
    this.#store = store;
  }

  /** `self` sent (own) or got `message` ({id, text, ts, own, state}) in the conversation with `peer`. */
  async record(self, peer, { id, text, ts, own, state }) {
    if (typeof id !== 'string' || typeof text !== 'string') return;
    const key = [nameKey(self), nameKey(peer)];
    await this.#inTurn('keep a message', async () => {
      // A message sent again on a new connection keeps the state it had reached.
      const known = await this.#store.get(MESSAGES, [...key, id]);
      const kept = known && later(known.state, state) ? known.state : state;
      await this.#store.put(MESSAGES, { self: key[0], peer: key[1], id, text, ts, own, state: kept });
      await this.#store.put(CONVERSATIONS, { self: key[0], peer: key[1], peerName: peer, lastTs: ts });
    });
  }

  /** Our message `id` to `peer` reached `state` (sent, delivered, read); an earlier state is ignored. */
  async mark(self, peer, id, state) {
    const key = [nameKey(self), nameKey(peer), id];
    await this.#inTurn('mark a message', async () => {
      const known = await this.#store.get(MESSAGES, key);
      if (!known || !known.own || !later(state, known.state)) return;
      await this.#store.put(MESSAGES, { ...known, state });
    });
  }

  /** The conversation of `self` with `peer`, oldest first: [{id, text, ts, own, state}]. */
  async messages(self, peer) {
    const records = await this.#inTurn('read the history', () => this.#store.list(MESSAGES, [nameKey(self), nameKey(peer)]));
    return (records ?? [])
      .map(({ id, text, ts, own, state }) => ({ id, text, ts, own, state }))
      .sort((a, b) => a.ts - b.ts);
  }

  /** The peers `self` has a history with, the latest first: [{peer, lastTs}]. */
  async conversations(self) {
    const records = await this.#inTurn('read the conversations', () => this.#store.list(CONVERSATIONS, [nameKey(self)]));
    return (records ?? []).map(({ peerName, lastTs }) => ({ peer: peerName, lastTs })).sort((a, b) => b.lastTs - a.lastTs);
  }

  /** Deletes everything `self` kept of the conversation with `peer`. */
  async forget(self, peer) {
    const key = [nameKey(self), nameKey(peer)];
    const deleting = this.#last.then(async () => {
      await this.#store.deleteAll(MESSAGES, key);
      await this.#store.delete(CONVERSATIONS, key);
    });
    this.#last = deleting.catch(() => {});
    await deleting; // a failure is the caller's to tell the person
  }

  /** Runs `action` after everything asked before it; a failure is logged, never thrown. */
  #inTurn(what, action) {
    const run = this.#last.then(action).catch((error) => {
      console.warn(`textchat: could not ${what} in this browser's history`, error);
      return undefined;
    });
    this.#last = run;
    return run;
  }
}

function later(state, than) {
  return PROGRESS.indexOf(state) > PROGRESS.indexOf(than);
}

/** The records' object stores and key paths (database `textchat-history`, version 1). */
const SCHEMA = { [MESSAGES]: ['self', 'peer', 'id'], [CONVERSATIONS]: ['self', 'peer'] };

/** Records in IndexedDB: database `textchat-history`, stores `messages` [self, peer, id] and `conversations` [self, peer]. */
export function indexedDbStore(factory = globalThis.indexedDB) {
  return idb.indexedDbStore(DATABASE, SCHEMA, factory);
}

/** Records in memory, keyed as indexedDbStore keys them (for tests, and where IndexedDB is missing). */
export function memoryStore() {
  return idb.memoryStore(SCHEMA);
}
