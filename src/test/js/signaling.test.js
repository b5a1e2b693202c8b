import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Session } from '../../main/webapp/js/session.js';
import { Signaling, signalingUrl } from '../../main/webapp/js/signaling.js';
import { FakeWebSocket } from './fakes.js';

const URL = 'ws://example.org/textchat/signal';

/**
 * A Signaling on fake sockets and fake time (Math.random pinned, so the backoff's jitter is 1),
 * logging in with a real Session as app.js wires it. `states` records every state event.
 */
function connection(t, { network } = {}) {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 0 });
  t.mock.method(Math, 'random', () => 0.5);
  FakeWebSocket.reset();
  const session = new Session();
  const signaling = new Signaling(URL, { WebSocket: FakeWebSocket, network });
  signaling.loginWith(() => session.loginMessage());
  const outcomes = [];
  signaling.on('login', (reply) => outcomes.push(session.applyLogin(reply)));
  const states = [];
  signaling.on('state', (state) => states.push(state));
  return { signaling, session, states, outcomes };
}

/** Signed in as alice with token tok-1 on the first socket. */
function signedIn(t, options) {
  const c = connection(t, options);
  c.session.requestSignIn('alice');
  c.signaling.start();
  FakeWebSocket.latest.open();
  FakeWebSocket.latest.receive({ type: 'login', success: true, name: 'alice', users: [], token: 'tok-1' });
  return c;
}

test('the signaling URL is the page\'s directory plus "signal", ws under http and wss under https', () => {
  assert.equal(signalingUrl({ protocol: 'http:', host: 'example.org:8080', pathname: '/textchat/' }),
    'ws://example.org:8080/textchat/signal');
  assert.equal(signalingUrl({ protocol: 'https:', host: 'example.org', pathname: '/textchat/index.html' }),
    'wss://example.org/textchat/signal');
  assert.equal(signalingUrl({ protocol: 'http:', host: 'localhost', pathname: '/' }), 'ws://localhost/signal');
});

test('a socket that opens with nobody signing in sends nothing', (t) => {
  const { signaling, states } = connection(t);
  signaling.start();
  assert.equal(FakeWebSocket.latest.url, URL);
  FakeWebSocket.latest.open();
  assert.deepEqual(states, [{ state: 'connecting' }, { state: 'open' }]);
  assert.deepEqual(FakeWebSocket.latest.sent, []);
  assert.equal(signaling.isOpen, true);
});

test('a name asked for before the socket opens is its first message', (t) => {
  const { signaling, session } = connection(t);
  signaling.start();
  session.requestSignIn('alice');
  signaling.login(); // not open yet: nothing to send it on
  assert.deepEqual(FakeWebSocket.latest.sent, []);
  FakeWebSocket.latest.open();
  assert.deepEqual(FakeWebSocket.latest.sent, ['{"type":"login","name":"alice"}']);
});

test('a name asked for on an open socket goes out at once', (t) => {
  const { signaling, session } = connection(t);
  signaling.start();
  FakeWebSocket.latest.open();
  session.requestSignIn('alice');
  signaling.login();
  assert.deepEqual(FakeWebSocket.latest.messages, [{ type: 'login', name: 'alice' }]);
});

test('server messages come out by type exactly as the server sent them', (t) => {
  const { signaling } = connection(t);
  const seen = [];
  for (const type of ['login', 'offer', 'message']) signaling.on(type, (message) => seen.push([type, message]));
  signaling.start();
  const socket = FakeWebSocket.latest;
  socket.open();
  const reply = { type: 'login', success: true, name: 'alice', users: ['bob'], token: 'tok-1' };
  socket.receive(reply);
  socket.receive({ type: 'offer', name: 'bob', offer: { type: 'offer', sdp: 'x' } });
  assert.deepEqual(seen, [
    ['message', reply], ['login', reply],
    ['message', { type: 'offer', name: 'bob', offer: { type: 'offer', sdp: 'x' } }],
    ['offer', { type: 'offer', name: 'bob', offer: { type: 'offer', sdp: 'x' } }],
  ]);
  assert.deepEqual(Object.keys(seen[1][1]), ['type', 'success', 'name', 'users', 'token'], 'nothing added to the reply');
});

test('frames that are not JSON objects with a type are dropped', (t) => {
  const { signaling } = connection(t);
  t.mock.method(console, 'warn', () => {});
  const seen = [];
  signaling.on('message', (message) => seen.push(message));
  signaling.start();
  FakeWebSocket.latest.open();
  FakeWebSocket.latest.receive('Hello world');
  FakeWebSocket.latest.receive('[1,2]');
  FakeWebSocket.latest.receive('{"name":"bob"}');
  FakeWebSocket.latest.receive('null');
  assert.deepEqual(seen, []);
  assert.equal(console.warn.mock.callCount(), 4);
});

test('after a drop it reconnects and resumes with the name and token of the last success', (t) => {
  const { signaling, states, outcomes } = signedIn(t);
  const first = FakeWebSocket.latest;
  assert.deepEqual(first.messages, [{ type: 'login', name: 'alice' }]);
  states.length = 0;

  first.drop(1006);
  assert.deepEqual(states, [{ state: 'reconnecting', retryInMs: 500, code: 1006 }]);
  t.mock.timers.tick(499);
  assert.equal(FakeWebSocket.made.length, 1, 'not before the backoff is over');
  t.mock.timers.tick(1);
  assert.equal(FakeWebSocket.made.length, 2);
  const second = FakeWebSocket.latest;
  second.open();
  assert.deepEqual(second.sent, ['{"type":"login","name":"alice","token":"tok-1"}']);

  second.receive({ type: 'login', success: true, name: 'alice', users: [], token: 'tok-2' });
  assert.deepEqual(outcomes.at(-1), { success: true, name: 'alice', resumed: true });
  assert.equal(signaling.state, 'open');
});

test('a refused resume is reported as one, and leaves nothing to log in with', (t) => {
  const { outcomes, session } = signedIn(t);
  FakeWebSocket.latest.drop(1006);
  t.mock.timers.tick(500);
  FakeWebSocket.latest.open();
  FakeWebSocket.latest.receive({ type: 'login', success: false, reason: 'taken' });
  assert.deepEqual(outcomes.at(-1), { success: false, name: 'alice', resumed: true, reason: 'taken' });
  FakeWebSocket.latest.drop(1006);
  t.mock.timers.tick(1000);
  FakeWebSocket.latest.open();
  assert.deepEqual(FakeWebSocket.latest.sent, [], 'a refused name is not sent again by itself');
  assert.equal(session.signedIn, false);
});

test('the backoff doubles up to its limit while nothing works, and starts afresh after a login', (t) => {
  const { states } = signedIn(t);
  const delays = [];
  for (let i = 0; i < 7; i++) {
    FakeWebSocket.latest.drop(1006);
    delays.push(states.at(-1).retryInMs);
    t.mock.timers.tick(states.at(-1).retryInMs);
  }
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 15_000, 15_000]);
  FakeWebSocket.latest.open();
  FakeWebSocket.latest.receive({ type: 'login', success: true, name: 'alice', token: 'tok-2' });
  FakeWebSocket.latest.drop(1006);
  assert.equal(states.at(-1).retryInMs, 500);
});

test('the backoff jitters by up to a fifth either way', (t) => {
  const { states } = signedIn(t);
  Math.random.mock.mockImplementation(() => 0);
  FakeWebSocket.latest.drop(1006);
  assert.equal(states.at(-1).retryInMs, 400);
  t.mock.timers.tick(400);
  Math.random.mock.mockImplementation(() => 0.999999);
  FakeWebSocket.latest.drop(1006);
  assert.equal(states.at(-1).retryInMs, 1200);
});

test('replaced by another tab (4001): closed for good, and said so', (t) => {
  const { signaling, states } = signedIn(t);
  const replaced = [];
  signaling.on('replaced', (detail) => replaced.push(detail));
  FakeWebSocket.latest.drop(4001);
  assert.deepEqual(replaced, [{ code: 4001 }]);
  assert.deepEqual(states.at(-1), { state: 'closed' });
  t.mock.timers.tick(60_000);
  assert.equal(FakeWebSocket.made.length, 1, 'no reconnect');
});

test('the network coming back cuts the wait short', (t) => {
  const network = new EventTarget();
  signedIn(t, { network });
  FakeWebSocket.latest.drop(1006);
  assert.equal(FakeWebSocket.made.length, 1);
  network.dispatchEvent(new Event('online'));
  assert.equal(FakeWebSocket.made.length, 2);
  FakeWebSocket.latest.open();
  network.dispatchEvent(new Event('online')); // open: nothing to do
  assert.equal(FakeWebSocket.made.length, 2);
});

test('an idle connection is pinged, and a silent one is given up and reopened', (t) => {
  const { states } = signedIn(t);
  const socket = FakeWebSocket.latest;
  t.mock.timers.tick(20_000);
  assert.deepEqual(socket.messages.at(-1), { type: 'ping', id: 'hb-1' });
  t.mock.timers.tick(20_000);
  assert.deepEqual(socket.messages.at(-1), { type: 'ping', id: 'hb-2' });
  socket.receive({ type: 'pong', id: 'hb-2' }); // heard at 40 s
  t.mock.timers.tick(20_000);
  assert.deepEqual(socket.messages.at(-1), { type: 'ping', id: 'hb-3' });
  assert.equal(socket.closed, false);

  t.mock.method(console, 'warn', () => {});
  t.mock.timers.tick(40_000); // nothing heard since 40 s, now 100 s
  assert.equal(socket.closed, true);
  assert.equal(states.at(-1).state, 'reconnecting');
  assert.equal(states.at(-1).code, 1006);
});

test('events of a socket that was replaced by a newer one are ignored', (t) => {
  const { signaling } = signedIn(t);
  const old = FakeWebSocket.latest;
  const seen = [];
  signaling.on('message', (message) => seen.push(message));
  old.drop(1006);
  t.mock.timers.tick(500);
  old.receive({ type: 'online', name: 'ghost' });
  assert.deepEqual(seen, []);
});

test('a socket that cannot even be made is retried', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 0 });
  t.mock.method(Math, 'random', () => 0.5);
  t.mock.method(console, 'error', () => {});
  let tries = 0;
  class Refusing {
    constructor() {
      tries += 1;
      throw new SyntaxError('bad URL');
    }
  }
  const signaling = new Signaling(URL, { WebSocket: Refusing });
  signaling.start();
  assert.equal(signaling.state, 'reconnecting');
  t.mock.timers.tick(500);
  assert.equal(tries, 2);
});

test('a page that cannot come back closes with 1000 and does not reconnect', (t) => {
  const { signaling, states } = signedIn(t);
  const socket = FakeWebSocket.latest;
  signaling.closeForGood();
  assert.equal(socket.closeCode, 1000);
  assert.equal(states.at(-1).state, 'closed');
  t.mock.timers.tick(60_000);
  assert.equal(FakeWebSocket.latest, socket, 'no new socket');
});
