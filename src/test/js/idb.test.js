// The in-memory store (idb.js), which the Node tests of history.js and identity.js run on: it
// must key, copy and select records as the IndexedDB store does in the browsers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryStore } from '../../main/webapp/js/idb.js';

const SCHEMA = { things: 'id', pairs: ['a', 'b', 'n'] };

test('a record is found by its key path, a field or a list of fields', async () => {
  const store = memoryStore(SCHEMA);
  await store.put('things', { id: 'x', v: 1 });
  await store.put('pairs', { a: 'p', b: 'q', n: 1, v: 2 });
  assert.deepEqual(await store.get('things', 'x'), { id: 'x', v: 1 });
  assert.deepEqual(await store.get('pairs', ['p', 'q', 1]), { a: 'p', b: 'q', n: 1, v: 2 });
  assert.equal(await store.get('pairs', ['p', 'q', 2]), undefined);
  await store.put('things', { id: 'x', v: 3 });
  assert.deepEqual(await store.get('things', 'x'), { id: 'x', v: 3 }, 'a put with the same key replaces');
  await store.delete('things', 'x');
  assert.equal(await store.get('things', 'x'), undefined);
});

test('records are copies, as IndexedDB keeps them', async () => {
  const store = memoryStore(SCHEMA);
  const record = { id: 'x', list: [1] };
  await store.put('things', record);
  record.list.push(2);
  const read = await store.get('things', 'x');
  assert.deepEqual(read.list, [1], 'changing what was put changes nothing stored');
  read.list.push(3);
  assert.deepEqual((await store.get('things', 'x')).list, [1], 'changing what was read changes nothing stored');
});

test('without copying, a record that cannot be cloned is kept as it is', async () => {
  const store = memoryStore(SCHEMA, { clone: (record) => record });
  const certificate = { id: 'me', sign: () => 'not cloneable' };
  await store.put('things', certificate);
  assert.equal(await store.get('things', 'me'), certificate);
  await assert.rejects(memoryStore(SCHEMA).put('things', certificate), 'the copying store refuses a function');
});

test('list and deleteAll take exactly the keys that start with the prefix', async () => {
  const store = memoryStore(SCHEMA);
  for (const [a, b, n] of [['p', 'q', 1], ['p', 'q', 2], ['p', 'r', 1], ['s', 'q', 1]]) {
    await store.put('pairs', { a, b, n });
  }
  assert.deepEqual((await store.list('pairs', ['p', 'q'])).map((r) => r.n).sort(), [1, 2]);
  assert.equal((await store.list('pairs', ['p'])).length, 3);
  await store.deleteAll('pairs', ['p', 'q']);
  assert.deepEqual((await store.list('pairs', ['p'])).map((r) => r.b), ['r']);
  assert.equal((await store.list('pairs', ['s'])).length, 1);
});
