// The service worker: keeps the app shell so the page opens without a network (and says it has
// no connection), and brings the tab forward when a notification it showed is clicked. Every
// file is fetched from the network first, so a deployment's new version shows at once; the copy
// is used only when the server cannot be reached. The signaling socket, /health and /metrics
// never go near the cache.
const CACHE = 'textchat-shell-v1';
/** Relative to this script, which sits at the application's root. */
const SHELL = [
  './',
  'index.html',
  'manifest.json',
  'css/textchat.css',
  'img/icon.svg',
  'img/icon-unread.svg',
  'img/icon-192.png',
  'img/icon-512.png',
  'js/app.js',
  'js/call.js',
  'js/chat.js',
  'js/emitter.js',
  'js/files.js',
  'js/history.js',
  'js/i18n.js',
  'js/ice.js',
  'js/idb.js',
  'js/identity.js',
  'js/main.js',
  'js/names.js',
  'js/notify.js',
  'js/prefs.js',
  'js/ring.js',
  'js/safety.js',
  'js/session.js',
  'js/sha256.js',
  'js/signaling.js',
  'js/typing.js',
  'js/ui.js',
  'js/verification.js',
];
const SHELL_URLS = new Set(SHELL.map((path) => new URL(path, self.registration.scope).href));

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  // Only the shell; everything else (signal, health, metrics, another origin) is the network's.
  if (request.method !== 'GET' || !SHELL_URLS.has(url.href)) return;
  event.respondWith(fromNetworkElseCache(request, url.href));
});

async function fromNetworkElseCache(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw error;
  }
}

// A notification the page could only show through the worker (Chrome on Android): its click
// focuses the page (or opens it) and tells it whose call or message it was.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data ?? {};
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(async (windows) => {
    const page = windows[0] ?? await self.clients.openWindow(self.registration.scope);
    if (!page) return;
    if (page.focus) await page.focus().catch(() => {});
    page.postMessage({ type: 'notification-click', peer: data.peer, kind: data.kind });
  }));
});
