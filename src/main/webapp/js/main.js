// The page's entry point: the real browser pieces (socket, DOM, language), handed to the app.
import { createApp } from './app.js';
import { Identity, indexedDbStore, memoryStore } from './identity.js';
import { pickLanguage, translator, translatePage } from './i18n.js';
import { Session } from './session.js';
import { Signaling, signalingUrl } from './signaling.js';
import { UI } from './ui.js';

const language = pickLanguage();
const t = translator(language);
translatePage(document, t, language);

createApp({
  ui: new UI(document, t, language),
  signaling: new Signaling(signalingUrl()),
  t,
  session: new Session(),
  // Without IndexedDB (some private modes) the identity lasts as long as the page.
  identity: new Identity(globalThis.indexedDB ? indexedDbStore() : memoryStore()),
}).start();
