import { test } from 'node:test';
import assert from 'node:assert/strict';

import { HIDE_AFTER_MS, SEND_EVERY_MS, STOP_AFTER_MS, TypingIndicator, TypingSignal } from '../../main/webapp/js/typing.js';

test('the writer says "typing" at once, then at most every 2 s, and "stopped" 5 s after the last key', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const sent = [];
  const signal = new TypingSignal((active) => sent.push(active));
  signal.keystroke(0);
  signal.keystroke(500);
  signal.keystroke(1_999);
  assert.deepEqual(sent, [true]);
  signal.keystroke(SEND_EVERY_MS + 10);
  assert.deepEqual(sent, [true, true]);
  t.mock.timers.tick(STOP_AFTER_MS - 1);
  assert.deepEqual(sent, [true, true]);
  t.mock.timers.tick(1);
  assert.deepEqual(sent, [true, true, false]);
});

test('sending the message says "stopped" at once, and only once', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const sent = [];
  const signal = new TypingSignal((active) => sent.push(active));
  signal.keystroke(0);
  signal.stop();
  signal.stop();
  t.mock.timers.tick(STOP_AFTER_MS * 2);
  assert.deepEqual(sent, [true, false]);
  signal.keystroke(100);
  assert.deepEqual(sent, [true, false, true], 'typing again is news at once');
});

test('the reader shows it until told it stopped, a message came, or nothing was heard for 6 s', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const shown = [];
  const indicator = new TypingIndicator((visible) => shown.push(visible));
  indicator.heard(true);
  indicator.heard(true);
  assert.deepEqual(shown, [true]);
  indicator.heard(false);
  assert.deepEqual(shown, [true, false]);
  indicator.heard(true);
  t.mock.timers.tick(HIDE_AFTER_MS);
  assert.deepEqual(shown, [true, false, true, false], 'a peer that vanished mid-word');
  indicator.heard(true);
  indicator.clear();
  assert.deepEqual(shown, [true, false, true, false, true, false]);
});
