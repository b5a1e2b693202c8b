// The page's entry point: the real browser pieces (socket, DOM, language, notifications, sound),
// handed to the app; and the service worker that keeps the page usable offline.
import { createApp } from './app.js';
import { Identity, indexedDbStore, memoryStore } from './identity.js';
import { History, indexedDbStore as historyStore, memoryStore as historyInMemory } from './history.js';
import { pickLanguage, translator, translatePage } from './i18n.js';
import { Notifier } from './notify.js';
import { Preferences, browserStorage } from './prefs.js';
import { Ringer } from './ring.js';
import { Session } from './session.js';
import { Signaling, signalingUrl } from './signaling.js';
import { UI } from './ui.js';

const language = pickLanguage();
const t = translator(language);
translatePage(document, t, language);

// The tab keeps its sign-in across a reload (not across tabs: sessionStorage).
let tabStorage = null;
try {
  tabStorage = window.sessionStorage;
} catch {
  // storage refused (some privacy settings): a reload signs in afresh
}
const session = new Session({ storage: tabStorage });
const signaling = new Signaling(signalingUrl());
// Reloading, the page comes back as the same user (the server holds the name a few seconds);
// when it cannot (signed out, storage cleared) it lets the name go at once.
window.addEventListener('pagehide', () => {
  if (!session.markLeaving()) signaling.closeForGood();
});

createApp({
  ui: new UI(document, t, language),
  signaling,
  t,
  session,
  // Without IndexedDB (some private modes) the identity lasts as long as the page.
  identity: new Identity(globalThis.indexedDB ? indexedDbStore() : memoryStore()),
  notifier: new Notifier({ win: window, doc: document, t }),
  ringer: new Ringer(window),
  prefs: new Preferences(browserStorage()),
  history: new History(globalThis.indexedDB ? historyStore() : historyInMemory()),
}).start();

// Service workers need a secure page (https, or localhost); elsewhere the page works without one.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('sw.js').catch((error) => console.warn('textchat: no offline copy of the page', error));
}
