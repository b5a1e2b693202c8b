import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Identity, memoryStore } from '../../main/webapp/js/identity.js';
import { Verification } from '../../main/webapp/js/verification.js';
import { Emitter } from '../../main/webapp/js/emitter.js';

const DAY = 24 * 60 * 60 * 1000;

/** Stand-in certificates: each made one has its own fingerprint and the expiry asked for. */
function certificates(now) {
  const made = [];
  const generate = async (lifetimeMs) => {
    const n = made.length + 1;
    const certificate = {
      n,
      expires: now() + lifetimeMs,
      getFingerprints: () => [{ algorithm: 'sha-256', value: `ab:${String(n).padStart(2, '0')}` }],
    };
    made.push(certificate);
    return certificate;
  };
  return { made, generate };
}

function identity({ store = memoryStore(), clock = { now: 1_000_000 } } = {}) {
  const now = () => clock.now;
  const certs = certificates(now);
  return { identity: new Identity(store, { generate: certs.generate, now }), made: certs.made, store, clock };
}

test('a name gets one certificate, kept in the store and found again by a new page', async () => {
  const { identity: first, made, store, clock } = identity();
  const a = await first.certificateFor('Alice');
  const again = await first.certificateFor('alice');
  assert.equal(made.length, 1);
  assert.equal(again.certificate, a.certificate);
  assert.equal(a.fingerprint, 'sha-256 AB:01');
  const reloaded = new Identity(store, { generate: async () => assert.fail('must not make another'), now: () => clock.now });
  assert.equal((await reloaded.certificateFor('ALICE')).certificate, a.certificate);
});

test('each name has its own certificate', async () => {
  const { identity: id } = identity();
  const [a, b] = await Promise.all([id.certificateFor('alice'), id.certificateFor('bob')]);
  assert.notEqual(a.fingerprint, b.fingerprint);
});

test('calls asked for at once share one new certificate', async () => {
  const { identity: id, made } = identity();
  await Promise.all([id.certificateFor('alice'), id.certificateFor('alice'), id.certificateFor('alice')]);
  assert.equal(made.length, 1);
});

test('a certificate within a day of its expiry is replaced, and the new one kept', async () => {
  const { identity: id, made, store, clock } = identity();
  const old = await id.certificateFor('alice');
  clock.now = old.certificate.expires - DAY / 2;
  const renewed = await id.certificateFor('alice');
  assert.equal(made.length, 2);
  assert.notEqual(renewed.fingerprint, old.fingerprint);
  const later = new Identity(store, { generate: async () => assert.fail('must not make another'), now: () => clock.now });
  assert.equal((await later.certificateFor('alice')).certificate, renewed.certificate);
});

test('a store that fails still gives a certificate, and no pins', async () => {
  const broken = {
    get: async () => { throw new Error('quota'); },
    put: async () => { throw new Error('quota'); },
    delete: async () => { throw new Error('quota'); },
  };
  const { identity: id } = identity({ store: broken });
  assert.equal((await id.certificateFor('alice')).fingerprint, 'sha-256 AB:01');
  assert.equal(await id.pinFor('alice', 'bob'), null);
});

test('pins are per own name and peer name, in any spelling, and can be forgotten', async () => {
  const { identity: id } = identity();
  await id.pin('alice', 'Straße', 'sha-256 AB:99');
  assert.equal((await id.pinFor('ALICE', 'STRASSE')).fingerprint, 'sha-256 AB:99');
  assert.equal(await id.pinFor('carol', 'Straße'), null, 'another name on this browser remembers nothing');
  await id.unpin('alice', 'strasse');
  assert.equal(await id.pinFor('alice', 'Straße'), null);
});

// --- one call's verification ---------------------------------------------------------------

/** A chat channel as Verification uses one: sendVerify goes to `peer`'s receive. */
class LinkedChat extends Emitter {
  sent = [];
  peer = null;

  sendVerify(message) {
    this.sent.push(message);
    setImmediate(() => this.peer?.emit('verify', structuredClone(message)));
  }
}

function linkedChats() {
  const a = new LinkedChat();
  const b = new LinkedChat();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

const settled = (verification, done) => new Promise((resolve) => {
  const check = (state) => { if (done(state)) resolve(state); };
  verification.on('state', check);
  check(verification.state);
});

test('a first call: unverified, same code both ends; marking verified makes the next call verified', async () => {
  const { identity: aliceId } = identity();
  const { identity: bobId } = identity();
  const [toBob, toAlice] = linkedChats();
  const alice = new Verification({ identity: aliceId, self: 'alice', peer: 'bob', role: 'caller', chat: toBob });
  const bob = new Verification({ identity: bobId, self: 'bob', peer: 'alice', role: 'callee', chat: toAlice });
  assert.equal(alice.state.holdsSending, true, 'nothing is sent before the pin is read');
  alice.start({ local: 'sha-256 AA', remote: 'sha-256 BB' });
  bob.start({ local: 'sha-256 BB', remote: 'sha-256 AA' });
  const [a, b] = await Promise.all([settled(alice, (s) => s.code), settled(bob, (s) => s.code)]);
  assert.equal(a.code, b.code);
  assert.equal(a.trust, 'unverified');
  assert.equal(a.holdsSending, false);
  await alice.markVerified();
  assert.equal(alice.state.trust, 'verified');
  assert.equal((await aliceId.pinFor('alice', 'bob')).fingerprint, 'sha-256 BB');

  const [again] = linkedChats();
  const next = new Verification({ identity: aliceId, self: 'alice', peer: 'BOB', role: 'caller', chat: again });
  next.start({ local: 'sha-256 AA', remote: 'sha-256 BB' });
  assert.equal((await settled(next, (s) => s.trust !== 'checking')).trust, 'verified');
  next.stop();
});

test('another certificate for a verified peer is a change that holds sending until acknowledged', async () => {
  const { identity: id } = identity();
  await id.pin('alice', 'bob', 'sha-256 BB');
  const [chat] = linkedChats();
  const v = new Verification({ identity: id, self: 'alice', peer: 'bob', role: 'caller', chat, timeoutMs: 50 });
  v.start({ local: 'sha-256 AA', remote: 'sha-256 MM' });
  const changed = await settled(v, (s) => s.trust !== 'checking');
  assert.equal(changed.trust, 'changed');
  assert.equal(changed.holdsSending, true);
  v.acknowledgeChange();
  assert.equal(v.state.holdsSending, false);
  assert.equal(v.state.trust, 'changed', 'still shown as changed');
});

test('no code yet: marking verified does nothing; forgetting makes the peer unverified', async () => {
  const { identity: id } = identity();
  await id.pin('alice', 'bob', 'sha-256 BB');
  const [chat] = linkedChats();
  const v = new Verification({ identity: id, self: 'alice', peer: 'bob', role: 'caller', chat, timeoutMs: 50 });
  v.start({ local: 'sha-256 AA', remote: 'sha-256 BB' });
  assert.equal((await settled(v, (s) => s.exchange === 'failed')).reason, 'no-answer');
  assert.equal(v.state.trust, 'verified', 'a matching pin needs no code');
  await v.forget();
  assert.equal(v.state.trust, 'unverified');
  await v.markVerified();
  assert.equal(await id.pinFor('alice', 'bob'), null, 'nothing to mark without a code');
});

test('a page without Web Crypto (plain http) shows no code but still reads pins', async () => {
  const { identity: id } = identity();
  const [chat] = linkedChats();
  const v = new Verification({ identity: id, self: 'alice', peer: 'bob', role: 'caller', chat, crypto: {} });
  v.start({ local: 'sha-256 AA', remote: 'sha-256 BB' });
  const state = await settled(v, (s) => s.trust !== 'checking');
  assert.equal(state.exchange, 'unavailable');
  assert.equal(state.trust, 'unverified');
  assert.deepEqual(chat.sent, []);
});

test('a connection without a remote fingerprint gives no code and nothing to verify', async () => {
  const { identity: id } = identity();
  await id.pin('alice', 'bob', 'sha-256 BB');
  const [chat] = linkedChats();
  const v = new Verification({ identity: id, self: 'alice', peer: 'bob', role: 'caller', chat });
  await v.start({ local: 'sha-256 AA', remote: '' });
  assert.equal(v.state.exchange, 'failed');
  assert.equal(v.state.trust, 'unverified', 'an empty fingerprint never matches a pin');
  assert.equal(v.state.holdsSending, false);
  assert.deepEqual(chat.sent, [], 'no exchange is started');
  await v.markVerified();
  assert.equal((await id.pinFor('alice', 'bob')).fingerprint, 'sha-256 BB', 'the pin is kept');
});
