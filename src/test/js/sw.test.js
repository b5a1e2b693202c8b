// The service worker (sw.js), run in a bare context with stand-ins for its global scope: which
// requests it answers, and what a notification's click does. Its caching is tested in real
// browsers (InstallableBrowserIT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import vm from 'node:vm';

const WEBAPP = fileURLToPath(new URL('../../main/webapp/', import.meta.url));
const SCOPE = 'https://chat.example.org/textchat/';

async function worker({ windows = [] } = {}) {
  const handlers = new Map();
  const posted = [];
  const self = {
    registration: { scope: SCOPE },
    addEventListener: (type, handler) => handlers.set(type, handler),
    clients: {
      matchAll: async () => windows,
      openWindow: async (url) => {
        const opened = { url, focus: async () => {}, postMessage: (m) => posted.push(m) };
        windows.push(opened);
        return opened;
      },
      claim: async () => {},
    },
    skipWaiting: async () => {},
  };
  const cache = { put: async () => {}, match: async () => undefined, addAll: async () => {} };
  const context = vm.createContext({
    self, URL, Set, Promise, console,
    caches: { open: async () => cache, keys: async () => [], delete: async () => true },
    fetch: async () => ({ ok: true, clone() { return this; } }),
  });
  vm.runInContext(await readFile(path.join(WEBAPP, 'sw.js'), 'utf8'), context);
  return { handlers, posted, context };
}

/** Every file of the page, relative to the webapp's root, but the worker itself and WEB-INF. */
async function pageFiles(dir = WEBAPP, prefix = '') {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== 'WEB-INF' && entry.name !== 'META-INF') files.push(...await pageFiles(path.join(dir, entry.name), `${relative}/`));
    } else if (relative !== 'sw.js') {
      files.push(relative);
    }
  }
  return files;
}

test('the shell it keeps is exactly the page\'s files, so that the page opens offline whole', async () => {
  const { context } = await worker();
  const shell = JSON.parse(JSON.stringify(vm.runInContext('SHELL', context)));
  assert.deepEqual(shell.filter((p) => p !== './').sort(), (await pageFiles()).sort());
  assert.ok(shell.includes('./'), 'the page as navigated to');
});

test('it answers only for the shell: never the signaling socket, /health, /metrics, or other sites', async () => {
  const { handlers } = await worker();
  const fetchHandler = handlers.get('fetch');
  const answered = (url, method = 'GET') => {
    let responded = false;
    fetchHandler({ request: { url, method }, respondWith: () => { responded = true; } });
    return responded;
  };
  assert.equal(answered(`${SCOPE}js/app.js`), true);
  assert.equal(answered(`${SCOPE}js/app.js?v=2`), true);
  assert.equal(answered(SCOPE), true);
  assert.equal(answered(`${SCOPE}signal`), false);
  assert.equal(answered(`${SCOPE}health`), false);
  assert.equal(answered(`${SCOPE}metrics`), false);
  assert.equal(answered(`${SCOPE}js/app.js`, 'POST'), false);
  assert.equal(answered('https://elsewhere.example/js/app.js'), false);
  assert.equal(answered(`${SCOPE}../other/index.html`), false);
});

test('a notification\'s click focuses the open page and tells it whose it was', async () => {
  const focused = [];
  const posted = [];
  const page = { focus: async () => focused.push(true), postMessage: (m) => posted.push(m) };
  const { handlers } = await worker({ windows: [page] });
  let closed = false;
  let waited;
  handlers.get('notificationclick')({
    notification: { data: { peer: 'alice', kind: 'call' }, close: () => { closed = true; } },
    waitUntil: (promise) => { waited = promise; },
  });
  await waited;
  assert.equal(closed, true);
  assert.deepEqual(focused, [true]);
  assert.deepEqual(JSON.parse(JSON.stringify(posted)), [{ type: 'notification-click', peer: 'alice', kind: 'call' }]);
});

test('with no page open, the click opens one', async () => {
  const { handlers, posted } = await worker({ windows: [] });
  let waited;
  handlers.get('notificationclick')({
    notification: { data: { peer: 'bob', kind: 'message' }, close: () => {} },
    waitUntil: (promise) => { waited = promise; },
  });
  await waited;
  assert.deepEqual(JSON.parse(JSON.stringify(posted)), [{ type: 'notification-click', peer: 'bob', kind: 'message' }]);
});
