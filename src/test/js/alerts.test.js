// Notifications in the background (notify.js) and the ring (ring.js), on stand-ins for the
// browser's Notification, document, storage and AudioContext.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Emitter } from '../../main/webapp/js/emitter.js';
import { Notifier, preview, tagFor } from '../../main/webapp/js/notify.js';
import { Ringer } from '../../main/webapp/js/ring.js';
import { translator } from '../../main/webapp/js/i18n.js';

const t = translator('en');

class FakeStorage {
  #items = new Map();
  getItem(key) { return this.#items.has(key) ? this.#items.get(key) : null; }
  setItem(key, value) { this.#items.set(key, String(value)); }
}

/** A window whose Notification records what was shown; `permission` as the person chose. */
function fakeWindow({ permission = 'granted', refuseConstructor = false } = {}) {
  const shown = [];
  class FakeNotification extends EventTarget {
    static permission = permission;
    static async requestPermission() {
      FakeNotification.permission = 'granted';
      return 'granted';
    }
    constructor(title, options) {
      super();
      if (refuseConstructor) throw new TypeError('Illegal constructor. Use ServiceWorkerRegistration.showNotification() instead.');
      this.title = title;
      this.options = options;
      this.closed = false;
      shown.push(this);
    }
    close() {
      this.closed = true;
      this.dispatchEvent(new Event('close'));
    }
  }
  const win = { Notification: FakeNotification, localStorage: new FakeStorage(), focused: 0, navigator: {} };
  win.focus = () => { win.focused += 1; };
  return { win, shown };
}

function fakeDocument(hidden = true) {
  const doc = new EventTarget();
  doc.hidden = hidden;
  doc.documentElement = { lang: 'en' };
  doc.show = () => {
    doc.hidden = false;
    doc.dispatchEvent(new Event('visibilitychange'));
  };
  return doc;
}

test('an incoming call in a hidden tab raises one notification for that caller, none while visible', () => {
  const { win, shown } = fakeWindow();
  const doc = fakeDocument(false);
  const notifier = new Notifier({ win, doc, t });
  notifier.incomingCall('alice');
  assert.equal(shown.length, 0, 'visible: the page itself shows the call');
  doc.hidden = true;
  notifier.incomingCall('alice');
  assert.equal(shown.length, 1);
  assert.equal(shown[0].title, 'alice is calling');
  assert.equal(shown[0].options.tag, tagFor('alice'));
  assert.deepEqual(shown[0].options.data, { peer: 'alice', kind: 'call' });
});

test('a newer notification of the same peer replaces the older; other peers keep theirs', () => {
  const { win, shown } = fakeWindow();
  const notifier = new Notifier({ win, doc: fakeDocument(), t });
  notifier.message('Bob', 'one');
  notifier.message('BOB', 'two');
  notifier.message('carol', 'hi');
  assert.deepEqual(shown.map((n) => [n.options.tag, n.options.body, n.closed]),
    [[tagFor('bob'), 'one', true], [tagFor('bob'), 'two', false], [tagFor('carol'), 'hi', false]]);
  assert.equal(shown[1].options.renotify, true);
});

test('with previews hidden a message notification says only that there is one; the choice is remembered', () => {
  const { win, shown } = fakeWindow();
  const first = new Notifier({ win, doc: fakeDocument(), t });
  first.hidePreviews = true;
  const again = new Notifier({ win, doc: fakeDocument(), t });
  assert.equal(again.hidePreviews, true);
  again.message('bob', 'the secret plan');
  assert.equal(shown[0].options.body, 'New message');
  assert.ok(!JSON.stringify(shown[0].options).includes('secret'));
});

test('nothing is shown without permission; asking is what enable() does', async () => {
  const { win, shown } = fakeWindow({ permission: 'default' });
  const notifier = new Notifier({ win, doc: fakeDocument(), t });
  notifier.incomingCall('alice');
  assert.equal(shown.length, 0);
  assert.equal(notifier.permission, 'default');
  assert.equal(await notifier.enable(), 'granted');
  notifier.incomingCall('alice');
  assert.equal(shown.length, 1);
  assert.equal(new Notifier({ win: { navigator: {}, localStorage: new FakeStorage() }, doc: fakeDocument(), t }).permission,
    'unsupported');
});

test('clicking a notification focuses the tab, closes it and says whose it was', () => {
  const { win, shown } = fakeWindow();
  const notifier = new Notifier({ win, doc: fakeDocument(), t });
  const opened = [];
  notifier.on('open', (what) => opened.push(what));
  notifier.incomingCall('alice');
  shown[0].dispatchEvent(new Event('click'));
  assert.deepEqual(opened, [{ peer: 'alice', kind: 'call' }]);
  assert.equal(win.focused, 1);
  assert.equal(shown[0].closed, true);
});

test('back in front, every notification is taken back; clear() takes back one peer\'s', () => {
  const { win, shown } = fakeWindow();
  const doc = fakeDocument();
  const notifier = new Notifier({ win, doc, t });
  notifier.incomingCall('alice');
  notifier.message('bob', 'hi');
  notifier.clear('ALICE');
  assert.deepEqual(shown.map((n) => n.closed), [true, false]);
  doc.show();
  assert.deepEqual(shown.map((n) => n.closed), [true, true]);
});

test('where the page may not make notifications, the service worker shows them, and its click comes back', async () => {
  const { win } = fakeWindow({ refuseConstructor: true });
  const viaWorker = [];
  const worker = new Emitter();
  const registration = { showNotification: async (title, options) => viaWorker.push([title, options]), getNotifications: async () => [] };
  win.navigator = {
    serviceWorker: {
      controller: {},
      ready: Promise.resolve(registration),
      addEventListener: (type, handler) => worker.on(type, handler),
    },
  };
  const notifier = new Notifier({ win, doc: fakeDocument(), t });
  const opened = [];
  notifier.on('open', (what) => opened.push(what));
  notifier.message('bob', 'hello');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(viaWorker.map(([title, options]) => [title, options.body, options.tag]),
    [['Message from bob', 'hello', tagFor('bob')]]);
  worker.emit('message', { data: { type: 'notification-click', peer: 'bob', kind: 'message' } });
  assert.deepEqual(opened, [{ peer: 'bob', kind: 'message' }]);
});

test('a preview is one line of at most 140 characters', () => {
  assert.equal(preview('  two\n lines  '), 'two lines');
  const long = preview('中'.repeat(300));
  assert.equal([...long].length, 140);
  assert.ok(long.endsWith('…'));
});

// --- the ring ------------------------------------------------------------------------------

class FakeAudioContext {
  static made = [];
  state = 'suspended';
  currentTime = 0;
  destination = {};
  oscillators = [];
  constructor() {
    FakeAudioContext.made.push(this);
  }
  async resume() { this.state = 'running'; }
  async suspend() { this.state = 'suspended'; }
  createOscillator() {
    const oscillator = new EventTarget();
    Object.assign(oscillator, {
      frequency: {}, started: false, stopped: false,
      connect: (node) => node, start() { this.started = true; }, stop() { this.stopped = true; },
    });
    this.oscillators.push(oscillator);
    return oscillator;
  }
  createGain() {
    return { gain: { setValueAtTime() {}, linearRampToValueAtTime() {} }, connect: (node) => node, disconnect() {} };
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('the ring sounds only once a click unlocked the audio, and stops when told', async (t2) => {
  t2.mock.timers.enable({ apis: ['setInterval'] });
  FakeAudioContext.made = [];
  const ringer = new Ringer({ AudioContext: FakeAudioContext, localStorage: new FakeStorage() });
  ringer.start();
  assert.equal(FakeAudioContext.made.length, 0, 'no audio before the person clicked anything');
  ringer.stop();
  ringer.unlock();
  await settle();
  const [context] = FakeAudioContext.made;
  assert.equal(context.state, 'suspended', 'unlocked, then resting until a call rings');
  ringer.start();
  await settle();
  assert.equal(context.state, 'running');
  assert.equal(context.oscillators.length, 4, 'one phrase of four tones');
  t2.mock.timers.tick(2_500);
  assert.equal(context.oscillators.length, 8, 'and again');
  ringer.stop();
  await settle();
  assert.equal(context.state, 'suspended');
  assert.ok(context.oscillators.every((o) => o.stopped));
  t2.mock.timers.tick(10_000);
  assert.equal(context.oscillators.length, 8, 'nothing more after stop');
});

test('a muted ring stays silent, across reloads, and unmuting while it rings makes it sound', async () => {
  FakeAudioContext.made = [];
  const storage = new FakeStorage();
  const first = new Ringer({ AudioContext: FakeAudioContext, localStorage: storage });
  first.muted = true;
  const ringer = new Ringer({ AudioContext: FakeAudioContext, localStorage: storage });
  assert.equal(ringer.muted, true);
  ringer.unlock();
  await settle();
  const context = FakeAudioContext.made.at(-1);
  ringer.start();
  await settle();
  assert.equal(context.state, 'suspended');
  assert.equal(context.oscillators.length, 0);
  ringer.muted = false;
  await settle();
  assert.equal(context.state, 'running');
  ringer.stop();
});

test('every string the page shows exists in both languages', async () => {
  const { dictionaries } = await import('../../main/webapp/js/i18n.js');
  const english = Object.keys(dictionaries.en).sort();
  const chinese = Object.keys(dictionaries['zh-TW']).sort();
  assert.deepEqual(chinese.filter((key) => !english.includes(key)), [], 'only in zh-TW');
  assert.deepEqual(english.filter((key) => !chinese.includes(key)), [], 'missing in zh-TW');
});
