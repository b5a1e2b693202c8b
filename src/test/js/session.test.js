import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Session, rtcConfigFrom } from '../../main/webapp/js/session.js';

/** Every event the session emits, as [type, detail]. */
function recorded(session) {
  const events = [];
  for (const type of ['identity', 'users', 'user-online', 'user-offline', 'call-added', 'call-removed']) {
    session.on(type, (detail) => events.push([type, detail]));
  }
  return events;
}

function signedIn(name = 'alice', { users = [], token = 'tok-1' } = {}) {
  const session = new Session();
  session.requestSignIn(name);
  session.applyLogin({ type: 'login', success: true, name, users, token });
  return session;
}

const fakeCall = (peer) => ({ peer, isOver: false });

// --- identity --------------------------------------------------------------------------------

test('a new session is signed out and has nothing to log in with', () => {
  const session = new Session();
  assert.equal(session.name, null);
  assert.equal(session.signedIn, false);
  assert.equal(session.loginMessage(), null);
  assert.deepEqual(session.users, []);
  assert.deepEqual(session.rtcConfig, { iceServers: [] });
});

test('asking for a name makes it the next login, until the server answers', () => {
  const session = new Session();
  const events = recorded(session);
  session.requestSignIn('alice');
  assert.deepEqual(session.loginMessage(), { type: 'login', name: 'alice' });
  assert.equal(session.requestedName, 'alice');
  assert.equal(session.signedIn, false);
  assert.deepEqual(events, [['identity', { name: null, requestedName: 'alice' }]]);
});

test('a successful login confirms the server\'s name and keeps the token for the resume', () => {
  const session = new Session();
  session.requestSignIn('Zoe\u0308');
  const events = recorded(session);
  const reply = { type: 'login', success: true, name: 'Zo\u00eb', users: [], token: 'tok-1' };
  const outcome = session.applyLogin(reply);
  assert.deepEqual(outcome, { success: true, name: 'Zo\u00eb', resumed: false });
  assert.equal(session.name, 'Zo\u00eb');
  assert.equal(session.signedIn, true);
  assert.deepEqual(session.loginMessage(), { type: 'login', name: 'Zo\u00eb', token: 'tok-1' });
  assert.deepEqual(events[0], ['identity', { name: 'Zo\u00eb', requestedName: 'Zoe\u0308' }]);
  assert.deepEqual(reply, { type: 'login', success: true, name: 'Zo\u00eb', users: [], token: 'tok-1' },
    'the server\'s reply is left as it came');
});

test('a tutorial server\'s bare success keeps the requested name and logs in again without a token', () => {
  const session = new Session();
  session.requestSignIn('alice');
  assert.deepEqual(session.applyLogin({ type: 'login', success: true }), { success: true, name: 'alice', resumed: false });
  assert.deepEqual(session.loginMessage(), { type: 'login', name: 'alice' });
  assert.deepEqual(session.users, []);
});

test('the login after a reconnect is a resume, and its reply says so', () => {
  const session = signedIn('alice', { token: 'tok-1' });
  const outcome = session.applyLogin({ type: 'login', success: true, name: 'alice', users: ['bob'], token: 'tok-2' });
  assert.deepEqual(outcome, { success: true, name: 'alice', resumed: true });
  assert.deepEqual(session.loginMessage(), { type: 'login', name: 'alice', token: 'tok-2' });
});

test('a refused login leaves us signed out with the name to offer again and nothing to resend', () => {
  const session = new Session();
  session.requestSignIn('Alice');
  const events = recorded(session);
  const outcome = session.applyLogin({ type: 'login', success: false, reason: 'taken' });
  assert.deepEqual(outcome, { success: false, name: 'Alice', resumed: false, reason: 'taken' });
  assert.equal(session.signedIn, false);
  assert.equal(session.loginMessage(), null, 'a reopened socket does not try the refused name again');
  assert.deepEqual(events, [['identity', { name: null, requestedName: 'Alice' }]]);
});

test('a refused resume offers the confirmed name and gives up the token', () => {
  const session = new Session();
  session.requestSignIn('ALICE');
  session.applyLogin({ type: 'login', success: true, name: 'Alice', token: 'tok-1' });
  const outcome = session.applyLogin({ type: 'login', success: false, reason: 'taken' });
  assert.deepEqual(outcome, { success: false, name: 'Alice', resumed: true, reason: 'taken' });
  assert.equal(session.loginMessage(), null);
});

test('a refusal without a reason is reported as "unknown"', () => {
  const session = new Session();
  session.requestSignIn('alice');
  assert.equal(session.applyLogin({ type: 'login', success: false }).reason, 'unknown');
});

test('asking for a new name drops the old identity and its token', () => {
  const session = signedIn('alice');
  session.requestSignIn('carol');
  assert.equal(session.name, null);
  assert.deepEqual(session.loginMessage(), { type: 'login', name: 'carol' });
});

test('signing out (replaced elsewhere) leaves nothing to resume', () => {
  const session = signedIn('alice');
  session.signOut();
  assert.equal(session.signedIn, false);
  assert.equal(session.loginMessage(), null);
});

test('the ICE configuration is exactly what the login reply handed out', () => {
  const iceServers = [{ urls: 'turn:turn.example.org', username: 'u', credential: 'c' }];
  const session = new Session();
  session.requestSignIn('alice');
  session.applyLogin({ type: 'login', success: true, name: 'alice', iceServers, iceTransportPolicy: 'relay' });
  assert.deepEqual(session.rtcConfig, { iceServers, iceTransportPolicy: 'relay' });
  assert.deepEqual(rtcConfigFrom({ iceServers: 'nonsense', iceTransportPolicy: 'sometimes' }), { iceServers: [] });
  assert.deepEqual(rtcConfigFrom({ iceTransportPolicy: 'all' }), { iceServers: [], iceTransportPolicy: 'all' });
});

// --- who is online ---------------------------------------------------------------------------

test('the login reply\'s list becomes the online list, without self in any spelling', () => {
  const session = new Session();
  session.requestSignIn('alice');
  const events = recorded(session);
  session.applyLogin({ type: 'login', success: true, name: 'alice', users: ['Bob', 'ALICE', 'Straße', 7, null, 'BOB'] });
  assert.deepEqual(session.users, ['Bob', 'Straße']);
  assert.deepEqual(events.filter(([type]) => type === 'users'), [['users', ['Bob', 'Straße']]]);
});

test('people come and go by presence events; keys ignore case, the server\'s spelling is kept', () => {
  const session = signedIn('alice');
  const events = recorded(session);
  session.userOnline('Straße');
  session.userOnline('Bob');
  session.userOnline('Bob'); // heard twice: still one person
  assert.deepEqual(session.users, ['Straße', 'Bob']);
  assert.equal(session.userNamed('STRASSE'), 'Straße');
  assert.equal(session.userNamed('bob'), 'Bob');
  assert.equal(session.userNamed('carol'), undefined);
  session.userOffline('BOB');
  assert.deepEqual(session.users, ['Straße']);
  session.userOffline('carol'); // never here: nothing to tell
  assert.deepEqual(events, [['user-online', 'Straße'], ['user-online', 'Bob'], ['user-offline', 'Bob']]);
});

test('self is never online in the list, nor are names that are not strings', () => {
  const session = signedIn('Alice');
  const events = recorded(session);
  session.userOnline('alice');
  session.userOnline('ALICE');
  session.userOnline(undefined);
  session.userOffline(null);
  assert.deepEqual(session.users, []);
  assert.deepEqual(events, []);
});

test('the same person in a new spelling replaces the old one', () => {
  const session = signedIn('alice');
  session.userOnline('bob');
  const events = recorded(session);
  session.userOnline('Bob');
  assert.deepEqual(session.users, ['Bob']);
  assert.deepEqual(events, [['user-offline', 'bob'], ['user-online', 'Bob']]);
});

test('a new login reply resets the online list', () => {
  const session = signedIn('alice', { users: ['bob', 'carol'] });
  session.userOnline('dave');
  session.applyLogin({ type: 'login', success: true, name: 'alice', users: ['erin'], token: 't' });
  assert.deepEqual(session.users, ['erin']);
  assert.equal(session.userNamed('dave'), undefined);
});

// --- calls -----------------------------------------------------------------------------------

test('calls are held by the peer\'s name in any spelling', () => {
  const session = signedIn('alice');
  const events = recorded(session);
  const call = fakeCall('Straße');
  session.addCall(call);
  assert.equal(session.callWith('STRASSE'), call);
  assert.equal(session.callWith('strasse'), call);
  assert.equal(session.callWith('bob'), undefined);
  assert.equal(session.callWith(undefined), undefined);
  assert.deepEqual(session.calls, [call]);
  session.removeCall(call);
  assert.equal(session.callWith('Straße'), undefined);
  assert.deepEqual(events, [['call-added', call], ['call-removed', call]]);
});

test('several calls can be held at once', () => {
  const session = signedIn('alice');
  const bob = fakeCall('bob');
  const carol = fakeCall('carol');
  session.addCall(bob);
  session.addCall(carol);
  assert.deepEqual(session.calls, [bob, carol]);
  assert.equal(session.callWith('CAROL'), carol);
});

test('removing a replaced call leaves its successor with the same peer', () => {
  const session = signedIn('alice');
  const old = fakeCall('bob');
  const successor = fakeCall('Bob');
  session.addCall(old);
  session.removeCall(old);
  session.addCall(successor);
  const events = recorded(session);
  session.removeCall(old);
  assert.equal(session.callWith('bob'), successor);
  assert.deepEqual(events, []);
});

test('an ice-servers reply replaces the servers and makes them young again; signed out it is ignored', () => {
  const session = signedIn('alice');
  const at = Date.now();
  assert.ok(session.rtcConfigAge(at + 5_000) >= 5_000 - 50);
  session.applyIceServers({ type: 'ice-servers', iceServers: [{ urls: 'stun:s' }], iceTransportPolicy: 'relay' }, at + 5_000);
  assert.deepEqual(session.rtcConfig, { iceServers: [{ urls: 'stun:s' }], iceTransportPolicy: 'relay' });
  assert.equal(session.rtcConfigAge(at + 6_000), 1_000);
  session.applyIceServers({ type: 'ice-servers' });
  assert.deepEqual(session.rtcConfig.iceServers, [{ urls: 'stun:s' }], 'a reply without a list changes nothing');
  session.signOut();
  session.applyIceServers({ type: 'ice-servers', iceServers: [] });
  assert.deepEqual(session.rtcConfig.iceServers, [{ urls: 'stun:s' }]);
});

// --- kept for a reload (sessionStorage) -------------------------------------------------------

function tabStorage() {
  const items = new Map();
  return {
    items,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => { items.set(key, String(value)); },
    removeItem: (key) => { items.delete(key); },
  };
}

test('a reloaded tab logs in again by itself as the same user, with its token', () => {
  const storage = tabStorage();
  let now = 1_000;
  const before = new Session({ storage, now: () => now });
  before.requestSignIn('alice');
  before.applyLogin({ success: true, name: 'Alice', users: [], token: 'tok-1' });
  before.setResumableCalls([{ peer: 'bob', caller: true }, { peer: 'bad' }]);
  now += 3_000;
  before.markLeaving();

  now += 2_000;
  const after = new Session({ storage, now: () => now });
  assert.equal(after.restored, true);
  assert.equal(after.signedIn, true);
  assert.equal(after.name, 'Alice');
  assert.deepEqual(after.loginMessage(), { type: 'login', name: 'Alice', token: 'tok-1' });
  assert.deepEqual(after.takeRestoredCalls(), [{ peer: 'bob', caller: true }]);
  assert.deepEqual(after.takeRestoredCalls(), [], 'once');
  // The resumed login's new token is what the next reload uses.
  after.applyLogin({ success: true, name: 'Alice', users: [], token: 'tok-2' });
  assert.equal(JSON.parse(storage.getItem('textchat.session')).token, 'tok-2');
});

test('calls are made again only within the grace period; a refused login or another tab\'s takeover forgets it all', () => {
  const storage = tabStorage();
  let now = 0;
  const first = new Session({ storage, now: () => now });
  first.requestSignIn('alice');
  first.applyLogin({ success: true, name: 'alice', users: [], token: 'tok-1' });
  first.setResumableCalls([{ peer: 'bob', caller: false }]);
  now += 60_000;
  const late = new Session({ storage, now: () => now });
  assert.equal(late.restored, true, 'the name may still be free: it is tried');
  assert.deepEqual(late.takeRestoredCalls(), [], 'the peers were told we left long ago');

  late.applyLogin({ success: false, reason: 'taken' });
  assert.equal(storage.getItem('textchat.session'), null);
  assert.equal(new Session({ storage }).restored, false);

  const again = new Session({ storage });
  again.requestSignIn('carol');
  again.applyLogin({ success: true, name: 'carol', users: [], token: 'tok-9' });
  again.signOut();
  assert.equal(storage.getItem('textchat.session'), null);
});

test('a tab whose storage was cleared does not write it back when it goes away, and says it cannot come back', () => {
  const storage = tabStorage();
  const session = new Session({ storage });
  assert.equal(session.markLeaving(), false, 'never signed in');
  session.requestSignIn('alice');
  session.applyLogin({ success: true, name: 'alice', users: [], token: 'tok-1' });
  assert.equal(session.markLeaving(), true);
  storage.items.clear();
  assert.equal(session.markLeaving(), false);
  assert.equal(storage.getItem('textchat.session'), null);
});

test('a fresh tab, or storage that throws, starts signed out', (t) => {
  t.mock.method(console, 'warn', () => {});
  assert.equal(new Session({ storage: tabStorage() }).restored, false);
  const throwing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); }, removeItem() {} };
  const session = new Session({ storage: throwing });
  assert.equal(session.signedIn, false);
  session.requestSignIn('alice');
  session.applyLogin({ success: true, name: 'alice', users: [], token: 'tok-1' });
  assert.equal(session.signedIn, true, 'signing in works without it');
});
