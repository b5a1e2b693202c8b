import { test } from 'node:test';
import assert from 'node:assert/strict';

import { nameKey, outranks, sameName } from '../../main/webapp/js/names.js';

test('the key folds case the way the server does: ß, SS and ss are one name', () => {
  assert.equal(nameKey('Straße'), 'strasse');
  assert.equal(nameKey('STRASSE'), 'strasse');
  assert.equal(nameKey('ALICE'), 'alice');
  assert.ok(sameName('Straße', 'STRASSE'));
  assert.ok(sameName('strasse', 'STRASSE'));
  assert.ok(sameName('Alice', 'aLiCe'));
  assert.ok(!sameName('alice', 'alicia'));
});

test('composed and decomposed spellings (NFC and NFD) are one name', () => {
  const composed = 'Zo\u00eb';     // ë as one code point
  const decomposed = 'Zoe\u0308';  // e + combining diaeresis
  assert.notEqual(composed, decomposed);
  assert.equal(nameKey(composed), nameKey(decomposed));
  assert.equal(nameKey(decomposed), 'zo\u00eb', 'the key itself is NFC');
  assert.ok(sameName(composed, decomposed));
  assert.ok(sameName('\u00c5ngstr\u00f6m', 'A\u030angstro\u0308m'.toUpperCase()));
});

test('scripts without case compare as they are', () => {
  assert.equal(nameKey('小明'), '小明');
  assert.ok(sameName('小明', '小明'));
  assert.ok(!sameName('小明', '小華'));
});

test('only two strings can be the same name', () => {
  assert.equal(sameName('alice', null), false);
  assert.equal(sameName(undefined, 'alice'), false);
  assert.equal(sameName(undefined, undefined), false);
  assert.equal(sameName(42, 42), false);
});

test('outranks is a strict order both ends compute alike', () => {
  const names = ['alice', 'Bob', 'bob', 'carol', 'Straße', 'STRASSE', 'zoë', 'Zoe\u0308', '小明', 'Ärger'];
  for (const a of names) {
    for (const b of names) {
      if (a === b) {
        assert.equal(outranks(a, b), false, `${a} does not outrank itself`);
      } else {
        assert.notEqual(outranks(a, b), outranks(b, a), `exactly one of ${a} and ${b} wins`);
      }
    }
  }
});

test('outranks compares by key, not by spelling: alice beats Bob although "B" < "a"', () => {
  assert.ok('Bob' < 'alice');
  assert.equal(outranks('alice', 'Bob'), true);
  assert.equal(outranks('Bob', 'alice'), false);
  assert.equal(outranks('ALICE', 'bob'), true);
});

test('two spellings of one key are still ordered, by their code units', () => {
  assert.equal(outranks('STRASSE', 'Straße'), true);
  assert.equal(outranks('Straße', 'STRASSE'), false);
});
