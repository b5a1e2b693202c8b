import { test } from 'node:test';
import assert from 'node:assert/strict';

import { MAX_CALLS, createApp } from '../../main/webapp/js/app.js';
import { translator } from '../../main/webapp/js/i18n.js';
import { Emitter } from '../../main/webapp/js/emitter.js';
import { FakeCall, FakeChat, FakeSignaling, fakeCalls, fakeUI } from './fakes.js';
import { Session } from '../../main/webapp/js/session.js';

const OFFER = { type: 'offer', sdp: 'v=0 offer' };
const ANSWER = { type: 'answer', sdp: 'v=0 answer' };

/** One person's page: the app with a fake server connection, UI and calls. */
function page({ notifier = null, ringer = null } = {}) {
  const signaling = new FakeSignaling();
  const ui = fakeUI();
  const calls = fakeCalls();
  const app = createApp({ signaling, ui, t: translator('en'), calls, notifier, ringer });
  return { signaling, ui, calls, app, session: app.session };
}

/** A page signed in as `name`, its UI record cleared. */
function signedIn(name = 'alice', { users = [], token = 'tok-1', notifier, ringer, ...reply } = {}) {
  const p = page({ notifier, ringer });
  p.ui.emit('signin', name);
  p.signaling.server('login', { success: true, name, users, token, ...reply });
  p.ui.clear();
  return p;
}

/** A page in a call with `peer` that it placed; the call is connected unless told otherwise. */
function inCallWith(peer, { name = 'alice', state = 'connected' } = {}) {
  const p = signedIn(name, { users: [peer] });
  p.ui.emit('call', peer);
  const call = p.calls.made.at(-1);
  if (state !== 'calling') {
    p.signaling.server('answer', { name: peer, answer: ANSWER });
    call.moveTo(state);
  }
  p.ui.clear();
  p.signaling.sent.length = 0;
  return { ...p, call };
}

/** A page that `from` is calling; the prompt is up. */
function rungBy(from, { name = 'alice', notifier, ringer } = {}) {
  const p = signedIn(name, { users: [from], notifier, ringer });
  p.signaling.server('offer', { name: from, offer: OFFER });
  const call = p.calls.made.at(-1);
  p.ui.clear();
  return { ...p, call };
}

// --- starting and signing in -----------------------------------------------------------------

test('nothing happens until the app is started; then the form shows and signaling starts', () => {
  const { app, ui, signaling } = page();
  assert.deepEqual(ui.calls, []);
  assert.equal(signaling.started, false);
  app.start();
  assert.deepEqual(ui.calls, [
    ['setNotifications', { permission: 'unsupported', hidePreviews: false }], ['setReadReceipts', true],
    ['setRingMuted', false], ['showSignIn'],
  ]);
  assert.equal(signaling.started, true);
});

test('signing in sends the name asked for and shows that it is under way', () => {
  const { ui, signaling } = page();
  ui.emit('signin', 'alice');
  assert.deepEqual(signaling.logins, [{ type: 'login', name: 'alice' }]);
  assert.deepEqual(signaling.loginMessage, { type: 'login', name: 'alice' }, 'a socket opening later sends it too');
  assert.deepEqual(ui.calls, [['setSigningIn', true], ['setSignInError', '']]);
});

test('a successful login shows the workspace with who else is online', () => {
  const { ui, signaling, session } = page();
  ui.emit('signin', 'alice');
  ui.clear();
  signaling.server('login', { success: true, name: 'alice', users: ['zoe', 'Adam', 'ALICE'], token: 'tok-1' });
  assert.deepEqual(ui.last('setConnection'), ['online', 'Online as alice']);
  assert.deepEqual(ui.last('setUsers'), [['zoe', 'Adam']]);
  assert.equal(ui.called('showMain').length, 1);
  assert.equal(session.name, 'alice');
  assert.deepEqual(signaling.loginMessage, { type: 'login', name: 'alice', token: 'tok-1' });
});

test('a refused login shows the form again with the reason in words', () => {
  const { ui, signaling, session } = page();
  ui.emit('signin', 'Alice');
  signaling.server('login', { success: false, reason: 'taken' });
  assert.deepEqual(ui.last('showSignIn'), [{ name: 'Alice', error: 'That name is already taken. Please choose another one. (If it was yours in a tab you just closed, it is free again within a few seconds.)' }]);
  assert.deepEqual(ui.last('setConnection'), ['open', 'Connected']);
  assert.equal(session.signedIn, false);
  assert.equal(signaling.loginMessage, null);
});

test('a refusal the page has no words for names the server\'s reason', () => {
  const { ui, signaling } = page();
  ui.emit('signin', 'alice');
  signaling.server('login', { success: false, reason: 'solar-flare' });
  assert.deepEqual(ui.last('showSignIn'), [{ name: 'alice', error: 'The server refused the name (solar-flare).' }]);
});

test('a refused resume says we were signed out while the connection was down', () => {
  const { ui, signaling } = signedIn('alice');
  signaling.server('state', { state: 'reconnecting', retryInMs: 500 });
  signaling.server('state', { state: 'open' });
  signaling.server('login', { success: false, reason: 'taken' });
  assert.deepEqual(ui.last('showSignIn'), [{
    name: 'alice',
    error: 'You were signed out while the connection was down. That name is already taken. Please choose another one. (If it was yours in a tab you just closed, it is free again within a few seconds.)',
  }]);
});

test('a refused resume during a live call waits for the call to end before showing the form', () => {
  const { ui, signaling, call } = inCallWith('bob');
  signaling.server('state', { state: 'reconnecting' });
  signaling.server('state', { state: 'open' });
  signaling.server('login', { success: false, reason: 'server-full' });
  const error = 'You were signed out while the connection was down. The server is full right now. Please try again later.';
  assert.deepEqual(ui.called('showSignIn'), []);
  assert.deepEqual(ui.last('notice'), [error, 'warning']);
  assert.equal(call.isOver, false, 'the chat goes on');

  ui.emit('hangup');
  assert.deepEqual(ui.called('showSignIn'), [[{ name: 'alice', error }]]);
});

test('a lost connection is noticed once, and its return too', () => {
  const { ui, signaling } = signedIn('alice');
  signaling.server('state', { state: 'reconnecting', retryInMs: 500 });
  signaling.server('state', { state: 'connecting' });
  signaling.server('state', { state: 'reconnecting', retryInMs: 1000 });
  signaling.server('state', { state: 'open' });
  assert.deepEqual(ui.called('notice'), [['Lost the connection to the server. Your chat stays open; reconnecting…', 'warning']]);
  assert.deepEqual(ui.last('setConnection'), ['reconnecting', 'Connection lost. Reconnecting…'],
    'open again, but not signed in again yet');
  assert.deepEqual(signaling.loginMessage, { type: 'login', name: 'alice', token: 'tok-1' });

  signaling.server('login', { success: true, name: 'alice', users: [], token: 'tok-2' });
  assert.deepEqual(ui.last('notice'), ['Connected to the server again.']);
  assert.deepEqual(ui.last('setConnection'), ['online', 'Online as alice']);
});

test('before signing in, a dropped connection is shown but not announced', () => {
  const { ui, signaling } = page();
  signaling.server('state', { state: 'open' });
  assert.deepEqual(ui.last('setConnection'), ['open', 'Connected']);
  signaling.server('state', { state: 'reconnecting' });
  assert.deepEqual(ui.called('notice'), []);
});

test('replaced by another tab: disconnected, told why, nothing left to resume', () => {
  const { ui, signaling, session } = signedIn('alice');
  signaling.server('replaced', { code: 4001 });
  assert.deepEqual(ui.last('setConnection'), ['closed', 'Disconnected']);
  assert.match(ui.last('notice')[0], /signed in from another tab/);
  assert.equal(session.signedIn, false);
  assert.equal(signaling.loginMessage, null);
});

// --- presence --------------------------------------------------------------------------------

test('people arriving and leaving reach the online list, in the server\'s spelling', () => {
  const { ui, signaling, session } = signedIn('alice');
  signaling.server('online', { name: 'Bob' });
  signaling.server('online', { name: 'ALICE' }); // self, on another node's say-so
  signaling.server('offline', { name: 'BOB' });
  assert.deepEqual(ui.calls, [['addUser', 'Bob'], ['removeUser', 'Bob']]);
  assert.deepEqual(session.users, []);
});

test('a new login reply replaces the list', () => {
  const { ui, signaling } = signedIn('alice', { users: ['bob'] });
  signaling.server('online', { name: 'carol' });
  signaling.server('login', { success: true, name: 'alice', users: ['dave'], token: 't2' });
  assert.deepEqual(ui.last('setUsers'), [['dave']]);
});

// --- placing and taking calls ----------------------------------------------------------------

test('calling someone online uses the server\'s spelling and the login\'s ICE servers', async () => {
  const iceServers = [{ urls: 'stun:stun.example.org' }];
  const { ui, calls, signaling } = signedIn('alice', { users: ['Straße'], iceServers });
  ui.emit('call', 'STRASSE');
  const [call] = calls.made;
  assert.equal(call.peer, 'Straße');
  assert.equal(call.self, 'alice');
  assert.deepEqual(await call.rtcConfig, { iceServers });
  assert.deepEqual(signaling.sentOfType('ice-servers'), [], 'servers handed out just now are not asked for again');
  assert.ok(call.did('start'));
  assert.deepEqual(ui.calls, [['openConversation', 'Straße'], ['setCall', 'calling', 'Straße'], ['clearCallName']]);
});

test('calling yourself, or anyone past the limit of calls, is refused with a word', () => {
  const { ui, calls } = signedIn('alice');
  ui.emit('call', 'ALICE');
  assert.deepEqual(ui.last('notice'), ['You cannot call yourself.']);
  assert.equal(calls.made.length, 0);

  const busy = inCallWith('bob');
  for (let i = 1; i < MAX_CALLS; i++) busy.ui.emit('call', `peer${i}`);
  assert.equal(busy.calls.made.length, MAX_CALLS, 'calls up to the limit go out');
  busy.ui.emit('call', 'carol');
  assert.deepEqual(busy.ui.last('notice'),
    [`You are in ${MAX_CALLS} calls, as many as you can be. Hang up one to call someone else.`]);
  assert.equal(busy.calls.made.length, MAX_CALLS);
});

test('a second call goes out beside the first; each has its conversation, the new one on screen', () => {
  const { ui, calls, call: bob, app } = inCallWith('bob');
  ui.emit('call', 'carol');
  assert.equal(calls.made.length, 2);
  const carol = calls.made[1];
  assert.equal(bob.isOver, false);
  assert.deepEqual(ui.called('openConversation'), [['carol']]);
  assert.equal(app.call(), carol);
  ui.emit('open', 'BOB');
  assert.deepEqual(ui.last('openConversation'), ['bob']);
  assert.equal(app.call(), bob, 'the conversation picked is the one written in');
  ui.emit('hangup');
  assert.ok(bob.did('hangUp'));
  assert.equal(carol.isOver, false, 'hanging up ends only the call on screen');
});

test('calling someone we are already talking to brings that conversation forward', () => {
  const { ui, calls } = inCallWith('bob');
  ui.emit('call', 'carol');
  ui.emit('call', 'Bob');
  assert.equal(calls.made.length, 2, 'no second call with bob');
  assert.deepEqual(ui.last('openConversation'), ['bob']);
});

test('calling before signing in does nothing', () => {
  const { ui, calls } = page();
  ui.emit('call', 'bob');
  assert.equal(calls.made.length, 0);
  assert.deepEqual(ui.calls, []);
});

test('an offer rings, and accepting answers it', () => {
  const { ui, signaling, calls } = signedIn('alice');
  signaling.server('offer', { name: 'carol', offer: OFFER });
  const [call] = calls.made;
  assert.equal(call.peer, 'carol');
  assert.equal(call.offer, OFFER);
  assert.deepEqual(ui.calls, [
    ['openConversation', 'carol'], ['setCall', 'ringing', 'carol'], ['showIncoming', 'carol', { quiet: false }],
  ]);
  ui.clear();
  ui.emit('accept');
  assert.ok(call.did('accept'));
  assert.deepEqual(ui.calls, [['hideIncoming'], ['openConversation', 'carol'], ['setCall', 'connecting', 'carol']]);
});

test('declining the prompt declines the call', () => {
  const { ui, signaling, call } = rungBy('carol');
  ui.emit('decline');
  assert.deepEqual(call.argsOf('decline'), [['declined']]);
  assert.deepEqual(signaling.sentOfType('decline'), [{ type: 'decline', name: 'carol', reason: 'declined' }]);
  assert.deepEqual(ui.last('notice'), ['You declined the call from carol.']);
  assert.deepEqual(ui.last('setCall'), ['ended', 'carol']);
});

test('offers are ignored before signing in, and when they carry no offer', () => {
  const { signaling, calls } = page();
  signaling.server('offer', { name: 'carol', offer: OFFER });
  const later = signedIn('alice');
  later.signaling.server('offer', { name: 'carol', offer: null });
  later.signaling.server('offer', { name: 42, offer: OFFER });
  assert.equal(calls.made.length + later.calls.made.length, 0);
});

test('a second caller during a call rings quietly: the conversation on screen stays, accepting opens the new one', () => {
  const { ui, signaling, calls, call: bob, app } = inCallWith('bob');
  signaling.server('offer', { name: 'carol', offer: OFFER });
  assert.deepEqual(signaling.sent, []);
  assert.equal(calls.made.length, 2);
  const carol = calls.made[1];
  assert.deepEqual(ui.called('openConversation'), [], 'bob\'s conversation stays on screen');
  assert.deepEqual(ui.last('showIncoming'), ['carol', { quiet: true }]);
  assert.equal(app.call(), bob);
  ui.emit('accept');
  assert.ok(carol.did('accept'));
  assert.deepEqual(ui.last('openConversation'), ['carol']);
  assert.equal(bob.isOver, false);
});

test('busy: a caller while another call asks for an answer, or past the limit of calls', () => {
  const { ui, signaling, calls } = rungBy('bob');
  signaling.server('offer', { name: 'carol', offer: OFFER });
  assert.deepEqual(signaling.sent, [{ type: 'decline', name: 'carol', reason: 'busy' }]);
  assert.deepEqual(ui.called('notice'), [['carol called while you were in a call.']]);
  assert.equal(calls.made.length, 1, 'one prompt at a time');

  const full = inCallWith('peer0');
  for (let i = 1; i < MAX_CALLS; i++) full.ui.emit('call', `peer${i}`);
  full.signaling.sent.length = 0;
  full.signaling.server('offer', { name: 'carol', offer: OFFER });
  assert.deepEqual(full.signaling.sent, [{ type: 'decline', name: 'carol', reason: 'busy' }]);
  assert.equal(full.ui.called('showIncoming').length, 0);
});

test('an offer from the peer we are talking to is a renegotiation: applied, no prompt', () => {
  const { ui, signaling, calls, call } = inCallWith('bob');
  const restart = { type: 'offer', sdp: 'v=0 ice restart' };
  signaling.server('offer', { name: 'BOB', offer: restart });
  assert.deepEqual(call.argsOf('handleOffer'), [[restart]]);
  assert.equal(calls.made.length, 1);
  assert.deepEqual(ui.calls, []);
  assert.deepEqual(signaling.sent, []);
});

test('glare: both ends agree that the smaller name\'s call survives', () => {
  // alice < bob: alice's call survives on both sides.
  const alice = inCallWith('bob', { name: 'alice', state: 'calling' });
  const bob = inCallWith('alice', { name: 'bob', state: 'calling' });
  // bob's candidates for his offer reach alice; alice's for hers reach bob before her offer does.
  bob.signaling.server('candidate', { name: 'alice', candidate: { candidate: 'a1' } });
  bob.signaling.server('candidate', { name: 'alice', candidate: { candidate: 'a2' } });
  bob.call.pending = [...bob.call.candidates];

  alice.signaling.server('offer', { name: 'bob', offer: { type: 'offer', sdp: 'from bob' } });
  bob.signaling.server('offer', { name: 'alice', offer: { type: 'offer', sdp: 'from alice' } });

  // alice ignores bob's offer: he will answer hers.
  assert.equal(alice.calls.made.length, 1);
  assert.equal(alice.call.isOver, false);
  assert.equal(alice.call.state, 'calling');
  assert.equal(alice.ui.called('showIncoming').length, 0);
  assert.deepEqual(alice.signaling.sent, []);

  // bob drops his own call without telling the server and answers alice's, candidates and all.
  assert.ok(bob.call.did('supersede'));
  assert.equal(bob.calls.made.length, 2);
  const answering = bob.calls.made[1];
  assert.equal(answering.peer, 'alice');
  assert.deepEqual(answering.offer, { type: 'offer', sdp: 'from alice' });
  assert.deepEqual(answering.candidates, [{ candidate: 'a1' }, { candidate: 'a2' }]);
  assert.ok(answering.did('accept'));
  assert.equal(bob.session.callWith('alice'), answering);
  assert.equal(bob.app.call(), answering);
  assert.equal(bob.ui.called('showIncoming').length, 0, 'no prompt for the call he placed himself');
  assert.equal(bob.ui.called('addSystemMessage').length, 0, 'the superseded call ends silently');
  assert.deepEqual(bob.signaling.sent, []);
});

test('glare is decided by the server\'s key: alice beats Bob although "B" sorts before "a"', () => {
  const bob = inCallWith('alice', { name: 'Bob', state: 'calling' });
  bob.signaling.server('offer', { name: 'alice', offer: OFFER });
  assert.ok(bob.call.did('supersede'));
  const alice = inCallWith('Bob', { name: 'alice', state: 'calling' });
  alice.signaling.server('offer', { name: 'Bob', offer: OFFER });
  assert.equal(alice.call.did('supersede'), false);
});

test('an answer from the peer is applied and spells the peer\'s name as the server does', () => {
  const { ui, signaling, calls } = signedIn('alice');
  ui.emit('call', 'STRASSE'); // not in the list: typed as it is
  const [call] = calls.made;
  assert.equal(call.peer, 'STRASSE');
  ui.clear();
  signaling.server('answer', { name: 'Straße', answer: ANSWER });
  assert.equal(call.peer, 'Straße');
  assert.deepEqual(call.argsOf('handleAnswer'), [[ANSWER]]);
  assert.deepEqual(ui.last('setCall'), ['connecting', 'Straße']);
});

test('an answer from anyone else, or without an answer, is ignored', () => {
  const { signaling, call } = inCallWith('bob', { state: 'calling' });
  signaling.server('answer', { name: 'carol', answer: ANSWER });
  signaling.server('answer', { name: 'bob', answer: null });
  assert.equal(call.did('handleAnswer'), false);
});

test('a server that names no sender (the tutorial\'s) still reaches the one call', () => {
  const { signaling, call } = inCallWith('bob', { state: 'calling' });
  signaling.server('answer', { answer: ANSWER });
  signaling.server('candidate', { candidate: { candidate: 'c1' } });
  assert.deepEqual(call.argsOf('handleAnswer'), [[ANSWER]]);
  assert.deepEqual(call.candidates, [{ candidate: 'c1' }]);
  assert.equal(call.peer, 'bob');
});

test('candidates go to the call with their sender only', () => {
  const { signaling, call } = inCallWith('bob');
  signaling.server('candidate', { name: 'Bob', candidate: { candidate: 'b1' } });
  signaling.server('candidate', { name: 'carol', candidate: { candidate: 'c1' } });
  assert.deepEqual(call.candidates, [{ candidate: 'b1' }]);
});

// --- how calls end ---------------------------------------------------------------------------

test('leave while the prompt is up is a missed call', () => {
  const { ui, signaling, call } = rungBy('carol');
  signaling.server('leave', { name: 'carol' });
  assert.deepEqual(call.argsOf('handleRemoteEnd'), [['missed']]);
  assert.deepEqual(ui.calls, [
    ['hideIncoming'], ['setTyping', null, 'carol'], ['setSafety', null, 'carol'], ['setComposerEnabled', false, 'carol'],
    ['setCall', 'ended', 'carol'], ['notice', 'Missed call from carol.'],
  ]);
});

test('leave during a call: the peer left', () => {
  const { ui, signaling, call, app } = inCallWith('bob');
  signaling.server('leave', { name: 'bob' });
  assert.deepEqual(call.argsOf('handleRemoteEnd'), [['peer-left']]);
  assert.deepEqual(ui.last('addSystemMessage'), ['bob left the call. You can call again at any time.', 'warning', 'bob']);
  assert.deepEqual(ui.last('setCall'), ['ended', 'bob']);
  assert.equal(app.call(), null);
});

test('leave from someone we are not in a call with changes nothing', () => {
  const { ui, signaling, call } = inCallWith('bob');
  signaling.server('leave', { name: 'carol' });
  assert.equal(call.isOver, false);
  assert.deepEqual(ui.calls, []);
});

test('decline while calling: busy, or declined', () => {
  const busy = inCallWith('bob', { state: 'calling' });
  busy.signaling.server('decline', { name: 'bob', reason: 'busy' });
  assert.deepEqual(busy.call.argsOf('handleRemoteEnd'), [['busy']]);
  assert.deepEqual(busy.ui.last('addSystemMessage'), ['bob is busy in another call. You can call again at any time.', 'warning', 'bob']);

  const declined = inCallWith('bob', { state: 'calling' });
  declined.signaling.server('decline', { name: 'bob', reason: 'declined' });
  assert.deepEqual(declined.call.argsOf('handleRemoteEnd'), [['declined']]);
  assert.deepEqual(declined.ui.last('addSystemMessage'), ['bob declined the call. You can call again at any time.', 'warning', 'bob']);

  const unexplained = inCallWith('bob', { state: 'calling' });
  unexplained.signaling.server('decline', { name: 'bob' });
  assert.deepEqual(unexplained.call.argsOf('handleRemoteEnd'), [['declined']]);
});

test('a decline once the call is up is ignored', () => {
  const { signaling, call } = inCallWith('bob');
  signaling.server('decline', { name: 'bob', reason: 'busy' });
  assert.equal(call.isOver, false);
});

test('no-such-user ends the call being placed as unreachable', () => {
  const { ui, signaling, call } = inCallWith('nobody', { state: 'calling' });
  signaling.server('error', { code: 'no-such-user', message: 'nobody is not online' });
  assert.ok(call.did('handleUnreachable'));
  assert.equal(call.isOver, true);
  assert.deepEqual(ui.last('addSystemMessage'), ['nobody is not online. You can call again at any time.', 'warning', 'nobody']);
});

test('no-such-user during a live call leaves it alone; rate-limited is a notice', (t) => {
  const warn = t.mock.method(console, 'warn', () => {});
  const { ui, signaling, call } = inCallWith('bob');
  signaling.server('error', { code: 'no-such-user' });
  assert.equal(call.isOver, false);
  assert.equal(warn.mock.callCount(), 1, 'only logged');
  signaling.server('error', { code: 'rate-limited', message: 'slow down' });
  assert.deepEqual(ui.calls, [['notice', 'Slow down: the server is dropping messages.', 'warning']]);
});

test('ending reasons that calling again cannot fix say so without "call again"', () => {
  const { ui, call } = inCallWith('bob', { state: 'connecting' });
  call.end('no-route');
  assert.match(ui.last('addSystemMessage')[0], /^Could not connect to bob: your networks cannot reach each other/);
  assert.doesNotMatch(ui.last('addSystemMessage')[0], /call again/);
  assert.equal(ui.last('addSystemMessage')[1], 'warning');
});

test('hanging up ends the call as our own doing', () => {
  const { ui, call, app, session } = inCallWith('bob');
  ui.emit('hangup');
  assert.ok(call.did('hangUp'));
  assert.deepEqual(ui.last('addSystemMessage'), ['You hung up. You can call again at any time.', 'info', 'bob']);
  assert.equal(app.call(), null);
  assert.deepEqual(session.calls, []);
});

test('after a call ends, the next one can be placed and rung', () => {
  const { ui, signaling, calls } = inCallWith('bob');
  signaling.server('leave', { name: 'bob' });
  signaling.server('offer', { name: 'carol', offer: OFFER });
  assert.equal(calls.made.length, 2);
  assert.deepEqual(ui.last('showIncoming'), ['carol', { quiet: false }]);
});

// --- chatting --------------------------------------------------------------------------------

test('the chat channel drives the composer; messages come in with the peer as author', () => {
  const { ui, call } = inCallWith('bob', { state: 'connecting' });
  const chat = new FakeChat();
  call.chat = chat;
  call.emit('chat', chat);
  chat.open();
  assert.deepEqual(ui.last('setComposerEnabled'), [true, 'bob']);
  chat.emit('message', { id: 'x1', text: 'hi alice', ts: 5 });
  assert.deepEqual(ui.last('addMessage'), [{ id: 'x1', text: 'hi alice', ts: 5, own: false, author: 'bob', peer: 'bob' }]);
  chat.emit('ack', { id: 'm1' });
  assert.deepEqual(ui.last('markDelivered'), ['m1']);

  ui.clear();
  ui.emit('send', 'hello bob');
  assert.deepEqual(chat.sent.map((m) => m.text), ['hello bob']);
  assert.deepEqual(ui.calls, [
    ['addMessage', { id: 'm1', text: 'hello bob', ts: 1_700_000_000_000, own: true, peer: 'bob' }], ['clearComposer'],
  ]);
});

test('nothing is sent while the chat is not open', () => {
  const { ui, call } = inCallWith('bob', { state: 'connecting' });
  const chat = new FakeChat();
  call.chat = chat;
  ui.emit('send', 'too early');
  assert.deepEqual(chat.sent, []);
  assert.deepEqual(ui.calls, []);
});

test('a FakeCall behaves as app.js expects of a Call', () => {
  // Guards the fakes themselves: a call that ends leaves the session.
  const { session, call } = inCallWith('bob');
  assert.ok(call instanceof FakeCall);
  assert.equal(session.callWith('bob'), call);
  call.end('failed');
  assert.equal(session.callWith('bob'), undefined);
});

// --- the directory of a large deployment (PROTOCOL.md, "Presence and the directory") ------------

test('a login that lists everyone shows no search: the directory view is everyone', () => {
  const p = page();
  p.ui.emit('signin', 'alice');
  p.signaling.server('login', { success: true, name: 'alice', users: ['bob', 'carol'], usersTotal: 2, token: 't' });
  assert.deepEqual(p.ui.last('setDirectory'), [{ shown: 2, total: null, prefix: '' }]);
  assert.equal(p.session.isDirectory, false);
  p.ui.emit('search', 'b');
  assert.deepEqual(p.signaling.sentOfType('who'), [], 'nothing to search: the list is whole');
});

test('a first page of a larger total shows the search, and a search asks the server and replaces the list', () => {
  const p = page();
  p.ui.emit('signin', 'alice');
  p.signaling.server('login', { success: true, name: 'alice', users: ['ann', 'bob'], usersTotal: 20000, token: 't' });
  assert.deepEqual(p.ui.last('setDirectory'), [{ shown: 2, total: 20000, prefix: '' }]);
  assert.equal(p.session.isDirectory, true);

  p.ui.emit('search', 'Car');
  assert.deepEqual(p.signaling.sentOfType('who'), [{ type: 'who', prefix: 'Car', limit: 20 }]);
  p.signaling.server('who', { prefix: 'Car', users: ['carol', 'Carl'], total: 7 });
  assert.deepEqual(p.ui.last('setUsers'), [['carol', 'Carl']]);
  assert.deepEqual(p.session.users, ['carol', 'Carl']);
  assert.deepEqual(p.ui.last('setDirectory'), [{ shown: 2, total: 7, prefix: 'Car' }]);

  // The server tells this page only of those on its list now.
  p.signaling.server('offline', { name: 'carol' });
  assert.deepEqual(p.session.users, ['Carl']);
});

// --- fresh ICE servers: TURN credentials expire ----------------------------------------------

test('a call placed long after the login asks for fresh ICE servers and uses them', async (t) => {
  t.mock.timers.enable({ apis: ['Date', 'setTimeout'], now: 1_000_000 });
  const old = [{ urls: 'turn:127.0.0.1:3478', username: '1000060:alice', credential: 'old' }];
  const { ui, calls, signaling } = signedIn('alice', { users: ['bob'], iceServers: old });
  t.mock.timers.tick(60_000);
  ui.emit('call', 'bob');
  const [call] = calls.made;
  assert.deepEqual(signaling.sentOfType('ice-servers'), [{ type: 'ice-servers' }]);
  const fresh = [{ urls: 'turn:127.0.0.1:3478', username: '1000120:alice', credential: 'new' }];
  signaling.server('ice-servers', { iceServers: fresh, iceTransportPolicy: 'relay' });
  assert.deepEqual(await call.rtcConfig, { iceServers: fresh, iceTransportPolicy: 'relay' });
  // A restart right after uses them as they are: no second request.
  assert.deepEqual(await call.iceServers(), { iceServers: fresh, iceTransportPolicy: 'relay' });
  assert.equal(signaling.sentOfType('ice-servers').length, 1);
});

test('restarts at the same time share one request; without a reply they keep the servers they have', async (t) => {
  t.mock.timers.enable({ apis: ['Date', 'setTimeout'], now: 1_000_000 });
  const iceServers = [{ urls: 'stun:127.0.0.1:3478' }];
  const { ui, calls, signaling } = signedIn('alice', { users: ['bob'], iceServers });
  ui.emit('call', 'bob');
  const [call] = calls.made;
  assert.deepEqual(await call.rtcConfig, { iceServers });
  t.mock.timers.tick(30_000);
  const first = call.iceServers();
  const second = call.iceServers();
  assert.equal(signaling.sentOfType('ice-servers').length, 1);
  t.mock.timers.tick(2_000);
  assert.deepEqual(await first, { iceServers });
  assert.deepEqual(await second, { iceServers });
  // The next one asks again.
  call.iceServers();
  assert.equal(signaling.sentOfType('ice-servers').length, 2);
});

// --- alerts: the ring, and notifications while in the background ------------------------------

/** A notifier and a ringer that record what they were told (notify.js and ring.js themselves: alerts.test.js). */
function alerts() {
  const told = [];
  const notifier = new Emitter();
  Object.assign(notifier, {
    permission: 'default',
    hidePreviews: false,
    incomingCall: (peer) => told.push(['incomingCall', peer]),
    message: (peer, text) => told.push(['message', peer, text]),
    clear: (peer) => told.push(['clear', peer]),
    enable: async () => {
      told.push(['enable']);
      notifier.permission = 'granted';
      return 'granted';
    },
  });
  const ringer = {
    muted: false,
    unlock: () => told.push(['unlock']),
    start: () => told.push(['ring']),
    stop: () => told.push(['stop ring']),
  };
  return { told, notifier, ringer };
}

test('an incoming call rings and is told of; answering it stops both', () => {
  const { told, notifier, ringer } = alerts();
  const { ui } = rungBy('bob', { notifier, ringer });
  assert.deepEqual(told.filter(([what]) => what !== 'unlock'), [['ring'], ['incomingCall', 'bob']]);
  told.length = 0;
  ui.emit('accept');
  assert.deepEqual(told, [['stop ring'], ['clear', 'bob']]);
});

test('a declined call, or one the caller gave up, stops ringing too; a crossing call never rang', () => {
  for (const end of ['decline', 'leave']) {
    const { told, notifier, ringer } = alerts();
    const { ui, signaling } = rungBy('bob', { notifier, ringer });
    told.length = 0;
    if (end === 'decline') ui.emit('decline');
    else signaling.server('leave', { name: 'bob' });
    assert.deepEqual(told, [['stop ring'], ['clear', 'bob']], end);
  }
  const { told, notifier, ringer } = alerts();
  const { ui, signaling } = signedIn('alice', { users: ['bob'], notifier, ringer });
  ui.emit('call', 'bob');
  signaling.server('offer', { name: 'bob', offer: OFFER }); // glare: alice wins, bob answers hers
  assert.deepEqual(told.filter(([what]) => what === 'ring' || what === 'incomingCall'), []);
});

test('a message from the peer is told of (the notifier decides whether the tab is hidden)', () => {
  const { told, notifier, ringer } = alerts();
  const p = signedIn('alice', { users: ['bob'], notifier, ringer });
  p.ui.emit('call', 'bob');
  const call = p.calls.made.at(-1);
  const chat = new FakeChat();
  call.emit('chat', chat);
  chat.emit('message', { id: 'm1', text: 'hi alice', ts: 1 });
  assert.deepEqual(told.at(-1), ['message', 'bob', 'hi alice']);
});

test('a clicked call notification brings the prompt back; a message one, the conversation', () => {
  const { notifier, ringer } = alerts();
  const { ui } = rungBy('bob', { notifier, ringer });
  notifier.emit('open', { peer: 'bob', kind: 'call' });
  assert.deepEqual(ui.last('showIncoming'), ['bob']);
  notifier.emit('open', { peer: 'carol', kind: 'message' });
  assert.deepEqual(ui.last('focusConversation'), []);
});

test('notifications are asked for only from the person\'s click; the ring is unlocked by a click', async () => {
  const { told, notifier, ringer } = alerts();
  const { app, ui } = page({ notifier, ringer });
  app.start();
  assert.deepEqual(ui.last('setNotifications'), [{ permission: 'default', hidePreviews: false }]);
  assert.deepEqual(told, [], 'nothing asked at load');
  ui.emit('signin', 'alice');
  assert.deepEqual(told, [['unlock']]);
  ui.emit('notify-enable');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(told.at(-1), ['enable']);
  assert.deepEqual(ui.last('setNotifications'), [{ permission: 'granted', hidePreviews: false }]);
  ui.emit('notify-previews', true);
  assert.equal(notifier.hidePreviews, true);
  ui.emit('ring-mute', true);
  assert.equal(ringer.muted, true);
  assert.deepEqual(ui.last('setRingMuted'), [true]);
});

test('a page that never reached the server says it has no connection', () => {
  const { ui, signaling } = page();
  signaling.server('state', { state: 'connecting' });
  signaling.server('state', { state: 'reconnecting', retryInMs: 1000 });
  assert.deepEqual(ui.last('setConnection'), ['offline', 'No connection to the server. Trying again…']);
  signaling.server('state', { state: 'open' });
  signaling.server('state', { state: 'reconnecting', retryInMs: 1000 });
  assert.deepEqual(ui.last('setConnection'), ['reconnecting', 'Connection lost. Reconnecting…']);
});

// --- typing and read marks -----------------------------------------------------------------------

function chatting(options = {}) {
  const p = inCallWith('bob', options);
  const chat = new FakeChat();
  p.call.chat = chat;
  p.call.emit('chat', chat);
  chat.open();
  p.ui.clear();
  return { ...p, chat };
}

test('typing is told to the peer, and the peer\'s typing is shown until its message comes', () => {
  const { ui, chat } = chatting();
  ui.emit('typing');
  ui.emit('typing');
  assert.deepEqual(chat.typingSent, [true], 'at most every 2 s');
  ui.emit('send', 'hi');
  assert.deepEqual(chat.typingSent, [true, false], 'sending ends it');
  chat.emit('typing', { active: true });
  assert.deepEqual(ui.last('setTyping'), ['bob', 'bob']);
  chat.emit('message', { id: 'm1', text: 'hello', ts: 1 });
  assert.deepEqual(ui.last('setTyping'), [null, 'bob']);
});

test('a message on screen is reported read, unless read receipts are off: then none are sent or shown', () => {
  const { ui, chat } = chatting();
  ui.emit('seen', 'm1');
  assert.deepEqual(chat.readSent, ['m1']);
  chat.emit('read', { id: 'own-1' });
  assert.deepEqual(ui.last('markRead'), ['own-1']);

  ui.emit('read-receipts', false);
  assert.deepEqual(ui.last('setReadReceipts'), [false]);
  ui.emit('seen', 'm2');
  assert.deepEqual(chat.readSent, ['m1'], 'none sent');
  chat.emit('read', { id: 'own-2' });
  assert.equal(ui.called('markRead').length, 1, 'and none shown');
});

test('written while the path is down: shown as queued, and marked sent when the call is back', () => {
  const { ui, call } = chatting();
  call.moveTo('interrupted');
  assert.deepEqual(ui.last('setComposerEnabled'), [true, 'bob'], 'the composer stays usable');
  ui.emit('send', 'one');
  ui.emit('send', 'two');
  assert.deepEqual(ui.called('addMessage').map(([m]) => [m.text, m.queued]), [['one', true], ['two', true]]);
  assert.deepEqual(call.queued.map((m) => m.text), ['one', 'two']);
  call.moveTo('connected');
  call.emit('restored');
  assert.deepEqual(ui.called('markSent'), [['q1'], ['q2']], 'in order');
  call.emit('restored');
  assert.equal(ui.called('markSent').length, 2, 'once');
});

// --- history and reloads ---------------------------------------------------------------------

/** A history as app.js uses one, in memory, that records what it was told. */
function fakeHistory(kept = {}) {
  const log = [];
  return {
    log,
    record: async (self, peer, message) => { log.push(['record', self, peer, message]); },
    mark: async (self, peer, id, state) => { log.push(['mark', self, peer, id, state]); },
    messages: async (self, peer) => kept[peer] ?? [],
    conversations: async () => Object.keys(kept).map((peer) => ({ peer, lastTs: 1 })),
    forget: async (self, peer) => { log.push(['forget', self, peer]); },
  };
}

function pageWithHistory(history, session) {
  const signaling = new FakeSignaling();
  const ui = fakeUI();
  const calls = fakeCalls();
  const app = createApp({ signaling, ui, t: translator('en'), calls, history, ...(session ? { session } : {}) });
  return { signaling, ui, calls, app, session: app.session };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('what is said is kept per peer with its marks, and shown again when the conversation opens', async () => {
  const kept = { bob: [{ id: 'old1', text: 'earlier', ts: 1, own: true, state: 'read' }] };
  const history = fakeHistory(kept);
  const { ui, signaling, calls } = pageWithHistory(history);
  ui.emit('signin', 'alice');
  signaling.server('login', { success: true, name: 'alice', users: ['bob'], token: 't' });
  await tick();
  assert.deepEqual(ui.called('listConversation'), [['bob']], 'a conversation of before is listed');

  ui.emit('call', 'bob');
  await tick();
  assert.deepEqual(ui.last('addHistory'), ['bob', kept.bob]);
  const call = calls.made[0];
  signaling.server('answer', { name: 'bob', answer: ANSWER });
  const chat = new FakeChat();
  call.chat = chat;
  call.emit('chat', chat);
  chat.open();
  ui.emit('send', 'hello');
  chat.emit('ack', { id: 'm1' });
  chat.emit('read', { id: 'm1' });
  chat.emit('message', { id: 'p1', text: 'hi', ts: 7 });
  assert.deepEqual(history.log, [
    ['record', 'alice', 'bob', { id: 'm1', text: 'hello', ts: 1_700_000_000_000, own: true, state: 'sent' }],
    ['mark', 'alice', 'bob', 'm1', 'delivered'],
    ['mark', 'alice', 'bob', 'm1', 'read'],
    ['record', 'alice', 'bob', { id: 'p1', text: 'hi', ts: 7, own: false, state: 'received' }],
  ]);
  ui.emit('open', 'bob');
  await tick();
  assert.equal(ui.called('addHistory').length, 1, 'shown once per page');
});

test('deleting the history forgets it and empties the conversation on the page', async () => {
  const history = fakeHistory();
  const { ui, signaling } = pageWithHistory(history);
  ui.emit('signin', 'alice');
  signaling.server('login', { success: true, name: 'alice', users: ['bob'], token: 't' });
  ui.emit('call', 'bob');
  ui.emit('delete-history');
  await tick();
  assert.deepEqual(history.log, [['forget', 'alice', 'bob']]);
  assert.deepEqual(ui.last('clearConversation'), ['bob']);
});

test('a reloaded page signs in by itself and makes its calls again, keeping who placed them', () => {
  const storage = new Map();
  const tabStorage = { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => storage.set(k, v), removeItem: (k) => storage.delete(k) };
  storage.set('textchat.session', JSON.stringify({
    name: 'alice', token: 'tok-1', savedAt: Date.now(), calls: [{ peer: 'bob', caller: false }, { peer: 'carol', caller: true }],
  }));
  const { ui, signaling, calls, app } = pageWithHistory(null, new Session({ storage: tabStorage }));
  app.start();
  assert.deepEqual(ui.last('showSignIn'), [{ name: 'alice' }]);
  assert.deepEqual(ui.last('setSigningIn'), [true]);
  assert.deepEqual(signaling.loginMessage, { type: 'login', name: 'alice', token: 'tok-1' });

  signaling.server('login', { success: true, name: 'alice', users: ['bob', 'carol'], token: 'tok-2' });
  assert.deepEqual(calls.made.map((call) => [call.peer, call.isCaller, call.did('resume')]),
    [['bob', false, true], ['carol', true, true]]);
  // The peer's offer for the new connection is the resumed call's, not a new call that rings.
  signaling.server('offer', { name: 'bob', offer: OFFER });
  assert.equal(calls.made.length, 2);
  assert.deepEqual(calls.made[0].argsOf('handleOffer'), [[OFFER]]);
  assert.equal(ui.called('showIncoming').length, 0);
  // Once connected they are kept for the next reload.
  calls.made[0].moveTo('connected');
  assert.deepEqual(JSON.parse(storage.get('textchat.session')).calls, [{ peer: 'bob', caller: false }, { peer: 'carol', caller: true }]);
  calls.made[1].end('hung-up');
  assert.deepEqual(JSON.parse(storage.get('textchat.session')).calls, [{ peer: 'bob', caller: false }]);
});

// --- files -----------------------------------------------------------------------------------

test('a file attached goes to the conversation on screen as an offer; one offered to us asks, and our answer goes back', async () => {
  const { ui, chat, call } = chatting();
  call.openChannel = () => { throw new Error('not before the peer accepts'); };
  call.maxMessageSize = () => 65_536;
  ui.emit('attach', [new File(['hello'], 'note.txt', { type: 'text/plain' })]);
  await until(() => chat.fileSent.length === 1);
  const [offer] = chat.fileSent;
  assert.deepEqual({ ...offer, id: typeof offer.id }, {
    type: 'file-offer', id: 'string', name: 'note.txt', size: 5, mime: 'text/plain',
    sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
  });
  assert.equal(ui.last('showTransfer')[0], 'bob');
  assert.equal(ui.last('showTransfer')[1].state, 'offered');

  chat.emit('file', { type: 'file-offer', id: 'f1', name: 'photo.png', size: 10, mime: 'image/png', sha256: 'a'.repeat(64) });
  assert.deepEqual(ui.last('showTransfer')[1].state, 'asking');
  ui.emit('file-decline', 'f1');
  assert.deepEqual(chat.fileSent.at(-1), { type: 'file-decline', id: 'f1' });
});

test('no file goes out before the chat may send', () => {
  const { ui, call } = inCallWith('bob', { state: 'connecting' });
  call.chat = new FakeChat();
  ui.emit('attach', [new File(['x'], 'x.txt')]);
  assert.deepEqual(ui.last('notice'), ['Files can be sent once the call is connected.', 'warning']);
});

async function until(condition) {
  const deadline = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('waited too long');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
