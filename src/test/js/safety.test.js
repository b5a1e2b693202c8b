import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  SafetyExchange, commitmentTo, fingerprintsOf, fromBase64Url, safetyCode, toBase64Url, trustOf,
} from '../../main/webapp/js/safety.js';

const FP_A = 'sha-256 AA:11';
const FP_B = 'sha-256 BB:22';

/** Two ends wired to each other, each message passed on after a turn of the event loop; `wire` logs them. */
function pair({ tamper = (message) => message, timeoutMs = 2_000 } = {}) {
  const wire = [];
  const ends = {};
  const deliver = (to) => (message) => {
    wire.push(message);
    const changed = tamper(structuredClone(message));
    if (changed !== null) setImmediate(() => ends[to].receive(changed));
  };
  ends.caller = new SafetyExchange({ role: 'caller', send: deliver('callee'), timeoutMs });
  ends.callee = new SafetyExchange({ role: 'callee', send: deliver('caller'), timeoutMs });
  const outcome = (end) => new Promise((resolve) => {
    end.on('code', (e) => resolve({ code: e.code }));
    end.on('failed', (e) => resolve({ failed: e.reason }));
  });
  const outcomes = Promise.all([outcome(ends.caller), outcome(ends.callee)]);
  return { ...ends, wire, outcomes };
}

test('fingerprints are read from every a=fingerprint line, normalised, without repeats, sorted', () => {
  const sdp = [
    'v=0', 'a=fingerprint:SHA-256 ab:cd:EF', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'a=fingerprint:sha-256 AB:CD:ef', 'a=fingerprint:sha-1 01:02', '',
  ].join('\r\n');
  assert.equal(fingerprintsOf(sdp), 'sha-1 01:02, sha-256 AB:CD:EF');
  assert.equal(fingerprintsOf('v=0\r\n'), '');
  assert.equal(fingerprintsOf(undefined), '');
});

test('a pin is verified for the same fingerprint, changed for another, unverified when absent', () => {
  assert.equal(trustOf({ fingerprint: FP_A }, FP_A), 'verified');
  assert.equal(trustOf({ fingerprint: FP_A }, FP_B), 'changed');
  assert.equal(trustOf(null, FP_A), 'unverified');
});

test('the code is 12 digits in three groups, the same whichever end computes it', async () => {
  const callerNonce = new Uint8Array(32).fill(1);
  const calleeNonce = new Uint8Array(32).fill(2);
  const one = await safetyCode({ local: FP_A, remote: FP_B, callerNonce, calleeNonce });
  const other = await safetyCode({ local: FP_B, remote: FP_A, callerNonce, calleeNonce });
  assert.match(one, /^\d{4} \d{4} \d{4}$/);
  assert.equal(one, other);
});

test('the code changes with either fingerprint and either nonce', async () => {
  const n1 = new Uint8Array(32).fill(1);
  const n2 = new Uint8Array(32).fill(2);
  const base = await safetyCode({ local: FP_A, remote: FP_B, callerNonce: n1, calleeNonce: n2 });
  const variants = await Promise.all([
    safetyCode({ local: 'sha-256 AA:12', remote: FP_B, callerNonce: n1, calleeNonce: n2 }),
    safetyCode({ local: FP_A, remote: 'sha-256 BB:23', callerNonce: n1, calleeNonce: n2 }),
    safetyCode({ local: FP_A, remote: FP_B, callerNonce: n2, calleeNonce: n2 }),
    safetyCode({ local: FP_A, remote: FP_B, callerNonce: n2, calleeNonce: n1 }),
  ]);
  for (const variant of variants) assert.notEqual(variant, base);
});

test('the code is derived as docs/verification.md says: SHA-256 of tag, sorted fingerprints, nonces', async () => {
  const callerNonce = new Uint8Array(32).fill(7);
  const calleeNonce = new Uint8Array(32).fill(9);
  const input = Buffer.concat([
    Buffer.from(`textchat safety code v1\0${FP_A}\0${FP_B}\0`), callerNonce, calleeNonce,
  ]);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', input));
  const first8 = digest.subarray(0, 8).reduce((n, b) => (n << 8n) | BigInt(b), 0n);
  const digits = (first8 % 10n ** 12n).toString().padStart(12, '0');
  const expected = `${digits.slice(0, 4)} ${digits.slice(4, 8)} ${digits.slice(8)}`;
  assert.equal(await safetyCode({ local: FP_B, remote: FP_A, callerNonce, calleeNonce }), expected);
});

test('base64url round-trips and refuses the wrong length or alphabet', () => {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const text = toBase64Url(bytes);
  assert.equal(text.length, 43);
  assert.deepEqual(fromBase64Url(text, 32), bytes);
  assert.equal(fromBase64Url(text.slice(1), 32), null);
  assert.equal(fromBase64Url(`${text.slice(0, 42)}+`, 32), null);
  assert.equal(fromBase64Url(42, 32), null);
});

test('an honest exchange: commit, nonce, reveal, and both ends show the same code', async () => {
  const { caller, callee, wire, outcomes } = pair();
  caller.start({ local: FP_A, remote: FP_B });
  callee.start({ local: FP_B, remote: FP_A });
  const [a, b] = await outcomes;
  assert.match(a.code, /^\d{4} \d{4} \d{4}$/);
  assert.equal(a.code, b.code);
  assert.deepEqual(wire.map((m) => m.type), ['verify-commit', 'verify-nonce', 'verify-reveal']);
  assert.ok(wire.every((m) => m.v === 1));
  // The commitment is to the nonce revealed last.
  assert.equal(await commitmentTo(fromBase64Url(wire[2].nonce, 32)), wire[0].commit);
});

test('the callee may receive the commitment before its own start', async () => {
  const { caller, callee, outcomes } = pair();
  caller.start({ local: FP_A, remote: FP_B });
  await new Promise((resolve) => setTimeout(resolve, 20)); // the commit has arrived meanwhile
  callee.start({ local: FP_B, remote: FP_A });
  const [a, b] = await outcomes;
  assert.equal(a.code, b.code);
});

test('two exchanges over different certificates (a relay in the middle) give different codes', async () => {
  // The relay passes the messages on unchanged; each end sees the relay's certificate.
  const { caller, callee, outcomes } = pair();
  caller.start({ local: FP_A, remote: 'sha-256 MM:01' });
  callee.start({ local: FP_B, remote: 'sha-256 MM:02' });
  const [a, b] = await outcomes;
  assert.ok(a.code && b.code);
  assert.notEqual(a.code, b.code);
});

test('a reveal that does not match its commitment is a mismatch at the callee', async () => {
  const other = toBase64Url(new Uint8Array(32).fill(3));
  const { caller, callee, outcomes } = pair({
    tamper: (m) => (m.type === 'verify-reveal' ? { ...m, nonce: other } : m),
  });
  caller.start({ local: FP_A, remote: FP_B });
  callee.start({ local: FP_B, remote: FP_A });
  const [a, b] = await outcomes;
  assert.ok(a.code, 'the caller cannot tell; its peer will');
  assert.deepEqual(b, { failed: 'mismatch' });
});

test('a missing reveal is no answer, in time', async () => {
  const { caller, callee, outcomes } = pair({ tamper: (m) => (m.type === 'verify-reveal' ? null : m), timeoutMs: 100 });
  caller.start({ local: FP_A, remote: FP_B });
  callee.start({ local: FP_B, remote: FP_A });
  const [, b] = await outcomes;
  assert.deepEqual(b, { failed: 'no-answer' });
});

test('a peer that never answers (an older client) leaves the caller with no answer', async () => {
  const caller = new SafetyExchange({ role: 'caller', send: () => {}, timeoutMs: 50 });
  const failed = new Promise((resolve) => caller.on('failed', resolve));
  caller.start({ local: FP_A, remote: FP_B });
  assert.deepEqual(await failed, { reason: 'no-answer' });
});

for (const [what, message] of [
  ['a message out of turn', { type: 'verify-reveal', v: 1, nonce: toBase64Url(new Uint8Array(32)) }],
  ['another version', { type: 'verify-commit', v: 2, commit: toBase64Url(new Uint8Array(32)) }],
  ['a commitment that is not 32 bytes', { type: 'verify-commit', v: 1, commit: 'abc' }],
  ['a commitment that is not a string', { type: 'verify-commit', v: 1, commit: 12 }],
]) {
  test(`the callee calls ${what} garbled`, async () => {
    const callee = new SafetyExchange({ role: 'callee', send: () => {}, timeoutMs: 1_000 });
    const failed = new Promise((resolve) => callee.on('failed', resolve));
    callee.start({ local: FP_B, remote: FP_A });
    await callee.receive(message);
    assert.deepEqual(await failed, { reason: 'garbled' });
  });
}

test('the caller calls a nonce that is not 32 bytes garbled, and reveals nothing then', async () => {
  const sent = [];
  const caller = new SafetyExchange({ role: 'caller', send: (m) => sent.push(m), timeoutMs: 1_000 });
  const failed = new Promise((resolve) => caller.on('failed', resolve));
  await caller.start({ local: FP_A, remote: FP_B });
  await caller.receive({ type: 'verify-nonce', v: 1, nonce: 'AAAA' });
  assert.deepEqual(await failed, { reason: 'garbled' });
  assert.deepEqual(sent.map((m) => m.type), ['verify-commit']);
});

test('after the code, further messages change nothing; stop silences the timer', async () => {
  const { caller, callee, outcomes } = pair();
  caller.start({ local: FP_A, remote: FP_B });
  callee.start({ local: FP_B, remote: FP_A });
  await outcomes;
  let more = 0;
  callee.on('failed', () => { more += 1; });
  await callee.receive({ type: 'verify-commit', v: 1, commit: 'x' });
  const idle = new SafetyExchange({ role: 'caller', send: () => {}, timeoutMs: 20 });
  idle.on('failed', () => { more += 1; });
  idle.start({ local: FP_A, remote: FP_B });
  idle.stop();
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(more, 0);
});
