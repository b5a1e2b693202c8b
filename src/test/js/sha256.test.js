import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';

import { Sha256 } from '../../main/webapp/js/sha256.js';

const reference = async (bytes) => Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');

test('the known answers (FIPS 180-4 examples)', () => {
  assert.equal(new Sha256().hex(), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(new Sha256().update(new TextEncoder().encode('abc')).hex(),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(new Sha256().update(new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).hex(),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
});

test('fed in pieces of any size, it agrees with Web Crypto on the whole', async () => {
  const bytes = new Uint8Array(1_000_003);
  webcrypto.getRandomValues(bytes.subarray(0, 65_536));
  for (let i = 65_536; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
  const expected = await reference(bytes);
  for (const piece of [1, 63, 64, 65, 4096, 65_536, 333_333]) {
    const hash = new Sha256();
    for (let at = 0; at < bytes.length; at += piece) hash.update(bytes.subarray(at, at + piece));
    assert.equal(hash.hex(), expected, `pieces of ${piece}`);
  }
  // ArrayBuffers, as the data channel gives them, and lengths around the padding's edge.
  for (const length of [55, 56, 57, 63, 64, 119, 120]) {
    const some = bytes.slice(0, length);
    assert.equal(new Sha256().update(some.buffer).hex(), await reference(some), `${length} bytes`);
  }
});
