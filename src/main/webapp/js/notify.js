// System notifications for a page in the background: an incoming call and a new message each
// raise one notification per peer (a newer one replaces the older), only while the tab is hidden
// and only once the person allowed it with a click. Clicking one brings the tab forward.
import { Emitter } from './emitter.js';
import { nameKey } from './names.js';
import { readPref, writePref } from './prefs.js';

const PREVIEWS_KEY = 'textchat.hidePreviews';
const PREVIEW_CHARS = 140;

/**
 * `win` is the window (Notification, navigator, localStorage, focus); `doc` the document. A page
 * notification (`new Notification`) where the browser makes them; where it refuses (Chrome on
 * Android), the service worker's (sw.js posts the click back). Events: `open` ({peer, kind}:
 * `call` or `message`), when the person clicked a notification.
 */
export class Notifier extends Emitter {
  #win;
  #doc;
  #t;
  /** tag → the page notification shown under it. */
  #shown = new Map();

  constructor({ win, doc, t }) {
    super();
    this.#win = win;
    this.#doc = doc;
    this.#t = t;
    win.navigator?.serviceWorker?.addEventListener?.('message', (event) => {
      const data = event.data;
      if (data?.type === 'notification-click' && typeof data.peer === 'string') this.#opened(data);
    });
    // Back in front: what the notifications said is on the screen now.
    doc.addEventListener('visibilitychange', () => {
      if (!doc.hidden) this.clearAll();
    });
  }

  /** `granted`, `denied`, `default` (not asked yet), or `unsupported`. */
  get permission() {
    return this.#win.Notification ? this.#win.Notification.permission : 'unsupported';
  }

  /** Asks for permission; call it only from the person's click. Resolves to the new permission. */
  async enable() {
    if (!this.#win.Notification) return 'unsupported';
    try {
      return await this.#win.Notification.requestPermission();
    } catch {
      return this.permission;
    }
  }

  /** Whether notifications leave the message text out (remembered in this browser). */
  get hidePreviews() {
    return readPref(this.#win.localStorage, PREVIEWS_KEY) === 'true';
  }

  set hidePreviews(hide) {
    writePref(this.#win.localStorage, PREVIEWS_KEY, String(Boolean(hide)));
  }

  /** `peer` is calling. */
  incomingCall(peer) {
    this.#show(peer, 'call', this.#t('notify.call-title', { name: peer }), this.#t('notify.call-body'));
  }

  /** `peer` wrote `text`. */
  message(peer, text) {
    const body = this.hidePreviews ? this.#t('notify.message-hidden') : preview(text);
    this.#show(peer, 'message', this.#t('notify.message-title', { name: peer }), body);
  }

  /** Takes back what is shown for `peer` (the call was answered elsewhere, or ended). */
  clear(peer) {
    const tag = tagFor(peer);
    this.#shown.get(tag)?.close();
    this.#shown.delete(tag);
    this.#registration()?.then((registration) => registration?.getNotifications({ tag }))
      .then((list) => list?.forEach((n) => n.close())).catch(() => {});
  }

  clearAll() {
    for (const notification of this.#shown.values()) notification.close();
    this.#shown.clear();
    this.#registration()?.then((registration) => registration?.getNotifications())
      .then((list) => list?.forEach((n) => n.close())).catch(() => {});
  }

  #show(peer, kind, title, body) {
    if (!this.#doc.hidden || this.permission !== 'granted') return;
    const tag = tagFor(peer);
    const options = { body, tag, renotify: true, icon: 'img/icon-192.png', data: { peer, kind }, lang: this.#doc.documentElement.lang };
    this.#shown.get(tag)?.close();
    let notification;
    try {
      notification = new this.#win.Notification(title, options);
    } catch (error) {
      // Chrome on Android makes notifications only through a service worker.
      this.#registration()?.then((registration) => registration?.showNotification(title, options))
        .catch((swError) => console.warn('textchat: could not show a notification', error, swError));
      return;
    }
    this.#shown.set(tag, notification);
    notification.addEventListener('click', () => {
      notification.close();
      this.#opened({ peer, kind });
    });
    notification.addEventListener('close', () => {
      if (this.#shown.get(tag) === notification) this.#shown.delete(tag);
    });
  }

  #opened({ peer, kind }) {
    try {
      this.#win.focus();
    } catch {
      // Some browsers only let the notification's own click focus the window.
    }
    this.emit('open', { peer, kind });
  }

  #registration() {
    const sw = this.#win.navigator?.serviceWorker;
    return sw && sw.controller ? sw.ready : null;
  }
}

/** One notification per peer: the same tag whatever the spelling of the name. */
export function tagFor(peer) {
  return `textchat:${nameKey(peer)}`;
}

/** The start of a message, on one line, short enough for a notification. */
export function preview(text) {
  const line = String(text).replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS - 1).join('')}…` : line;
}
