import { test } from 'node:test';
import assert from 'node:assert/strict';

import { History, memoryStore } from '../../main/webapp/js/history.js';

const message = (id, ts, own = true, state = own ? 'sent' : 'received') => ({ id, text: `text ${id}`, ts, own, state });

test('a conversation comes back oldest first, with each message\'s state', async () => {
  const history = new History(memoryStore());
  await history.record('alice', 'bob', message('m2', 20));
  await history.record('alice', 'bob', message('m1', 10, false));
  await history.record('alice', 'carol', message('c1', 15));
  assert.deepEqual(await history.messages('alice', 'bob'), [
    { id: 'm1', text: 'text m1', ts: 10, own: false, state: 'received' },
    { id: 'm2', text: 'text m2', ts: 20, own: true, state: 'sent' },
  ]);
  assert.deepEqual((await history.messages('ALICE', 'Bob')).map((m) => m.id), ['m1', 'm2'], 'names in any case');
  assert.deepEqual(await history.messages('bob', 'alice'), [], 'each signed-in name its own history');
});

test('marks only go forward: delivered, then read; never back to sent', async () => {
  const history = new History(memoryStore());
  await history.record('alice', 'bob', message('m1', 1, true, 'queued'));
  await history.mark('alice', 'bob', 'm1', 'sent');
  await history.mark('alice', 'bob', 'm1', 'read');
  await history.mark('alice', 'bob', 'm1', 'delivered');
  assert.equal((await history.messages('alice', 'bob'))[0].state, 'read');
  // The same message sent again on a new connection keeps what it had reached.
  await history.record('alice', 'bob', message('m1', 1, true, 'sent'));
  assert.equal((await history.messages('alice', 'bob'))[0].state, 'read');
  // A peer's message is never marked.
  await history.record('alice', 'bob', message('p1', 2, false));
  await history.mark('alice', 'bob', 'p1', 'read');
  assert.equal((await history.messages('alice', 'bob'))[1].state, 'received');
});

test('the conversations list the peers, latest first, in their own spelling', async () => {
  const history = new History(memoryStore());
  await history.record('alice', 'Bob', message('m1', 10));
  await history.record('alice', 'Carol', message('c1', 30));
  await history.record('alice', 'BOB', message('m2', 20, false));
  assert.deepEqual(await history.conversations('alice'), [{ peer: 'Carol', lastTs: 30 }, { peer: 'BOB', lastTs: 20 }]);
});

test('forgetting a conversation deletes its messages and its place in the list, nothing else', async () => {
  const history = new History(memoryStore());
  await history.record('alice', 'bob', message('m1', 10));
  await history.record('alice', 'bobby', message('b1', 11));
  await history.record('alice', 'carol', message('c1', 12));
  await history.forget('alice', 'bob');
  assert.deepEqual(await history.messages('alice', 'bob'), []);
  assert.deepEqual((await history.conversations('alice')).map((c) => c.peer), ['carol', 'bobby']);
  assert.equal((await history.messages('alice', 'bobby')).length, 1, 'a name that starts alike is another peer');
});

test('a store that fails costs the history, not the chat', async (t) => {
  const warn = t.mock.method(console, 'warn', () => {});
  const broken = { get: async () => { throw new Error('quota'); }, put: async () => { throw new Error('quota'); },
    list: async () => { throw new Error('gone'); }, delete: async () => {}, deleteAll: async () => {} };
  const history = new History(broken);
  await history.record('alice', 'bob', message('m1', 1));
  await history.mark('alice', 'bob', 'm1', 'read');
  assert.deepEqual(await history.messages('alice', 'bob'), []);
  assert.deepEqual(await history.conversations('alice'), []);
  assert.equal(warn.mock.callCount(), 4);
});

test('a mark asked for right after its message was kept finds it (the store is slow)', async () => {
  const slow = memoryStore();
  const later = (fn) => async (...args) => { await new Promise((resolve) => setTimeout(resolve, 5)); return fn(...args); };
  const store = { get: later(slow.get), put: later(slow.put), delete: slow.delete, list: slow.list, deleteAll: slow.deleteAll };
  const history = new History(store);
  // Not awaited in between: as the page does when an ack comes at once.
  history.record('alice', 'bob', message('m1', 1));
  history.mark('alice', 'bob', 'm1', 'delivered');
  await history.mark('alice', 'bob', 'm1', 'read');
  assert.equal((await history.messages('alice', 'bob'))[0].state, 'read');
});
