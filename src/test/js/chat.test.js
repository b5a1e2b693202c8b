import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ChatChannel, MAX_TEXT_LENGTH } from '../../main/webapp/js/chat.js';
import { FakeDataChannel } from './fakes.js';

/** A ChatChannel on a fake data channel; `heard` collects its message and ack events. */
function chat() {
  const channel = new FakeDataChannel();
  const wrapped = new ChatChannel(channel);
  const heard = [];
  wrapped.on('message', (message) => heard.push(['message', message]));
  wrapped.on('ack', (ack) => heard.push(['ack', ack]));
  return { channel, chat: wrapped, heard };
}

test('binary frames are asked for as ArrayBuffers', () => {
  assert.equal(chat().channel.binaryType, 'arraybuffer');
});

test('a text message is shown and acknowledged', () => {
  const { channel, heard } = chat();
  channel.receive(JSON.stringify({ type: 'text', id: 'm1', text: 'hello', ts: 1_700_000_000_000 }));
  assert.deepEqual(heard, [['message', { id: 'm1', text: 'hello', ts: 1_700_000_000_000 }]]);
  assert.deepEqual(channel.sent, ['{"type":"ack","id":"m1"}']);
});

test('a text message without an id is shown but cannot be acknowledged; a missing time is now', () => {
  const { channel, heard } = chat();
  const before = Date.now();
  channel.receive(JSON.stringify({ type: 'text', text: 'no id' }));
  const [[, message]] = heard;
  assert.equal(message.id, null);
  assert.equal(message.text, 'no id');
  assert.ok(message.ts >= before && message.ts <= Date.now());
  assert.deepEqual(channel.sent, []);
});

test('no ack goes out on a channel that is closing', () => {
  const { channel, heard } = chat();
  channel.readyState = 'closing';
  channel.receive(JSON.stringify({ type: 'text', id: 'm1', text: 'late', ts: 1 }));
  assert.equal(heard.length, 1);
  assert.deepEqual(channel.sent, []);
});

test('an ack marks our message delivered; one without an id is nothing', () => {
  const { channel, heard } = chat();
  channel.receive('{"type":"ack","id":"m7"}');
  channel.receive('{"type":"ack"}');
  assert.deepEqual(heard, [['ack', { id: 'm7' }]]);
  assert.deepEqual(channel.sent, []);
});

test('a typed message of a kind we do not know is not chat text', (t) => {
  const info = t.mock.method(console, 'info', () => {});
  const { channel, heard } = chat();
  channel.receive('{"type":"reaction","emoji":"👍"}');
  channel.receive('{"type":"text","text":42}');
  assert.deepEqual(heard, []);
  assert.equal(info.mock.callCount(), 2);
});

test('bare strings and JSON that is not an object are shown as they are', () => {
  const { channel, heard } = chat();
  for (const raw of ['hi from the tutorial', '42', '"quoted"', '[1,2]', 'null', '{"no":"type"}']) channel.receive(raw);
  assert.deepEqual(heard.map(([type, message]) => [type, message.id, message.text]), [
    ['message', null, 'hi from the tutorial'],
    ['message', null, '42'],
    ['message', null, '"quoted"'],
    ['message', null, '[1,2]'],
    ['message', null, 'null'],
    ['message', null, '{"no":"type"}'],
  ]);
  assert.deepEqual(channel.sent, []);
});

test('binary frames are read as UTF-8', () => {
  const { channel, heard } = chat();
  channel.receive(new TextEncoder().encode('{"type":"text","id":"b1","text":"你好 👋","ts":5}').buffer);
  assert.deepEqual(heard, [['message', { id: 'b1', text: '你好 👋', ts: 5 }]]);
});

test('sending puts a typed message with a fresh id on the channel and returns what was sent', () => {
  const { channel, chat: wrapped } = chat();
  const sent = wrapped.send('hello <b>bob</b>');
  const [frame] = channel.sent.map((text) => JSON.parse(text));
  assert.deepEqual(frame, { type: 'text', id: sent.id, text: 'hello <b>bob</b>', ts: sent.ts });
  assert.match(sent.id, /^[0-9a-f]{32}$/);
  assert.notEqual(wrapped.send('again').id, sent.id);
  assert.ok(MAX_TEXT_LENGTH >= 10_000);
});

test('sending on a channel that is not open throws', () => {
  const { channel, chat: wrapped } = chat();
  channel.readyState = 'connecting';
  assert.equal(wrapped.isOpen, false);
  assert.throws(() => wrapped.send('too early'), /not open/);
});

test('open and close are passed on', () => {
  const { channel, chat: wrapped } = chat();
  const events = [];
  wrapped.on('open', () => events.push('open'));
  wrapped.on('close', () => events.push('close'));
  channel.fire('open', {});
  wrapped.close();
  assert.deepEqual(events, ['open', 'close']);
});

test('what the peer did not acknowledge is sent again on the next channel, with the same id', () => {
  const sender = chat();
  const one = sender.chat.send('one');
  const two = sender.chat.send('two');
  sender.chat.send('three');
  sender.channel.receive(JSON.stringify({ type: 'ack', id: one.id }));
  assert.deepEqual(sender.chat.unacknowledged().map((m) => m.text), ['two', 'three']);

  const next = new FakeDataChannel();
  const again = new ChatChannel(next);
  again.resend(sender.chat.unacknowledged());
  const resent = next.sent.map((frame) => JSON.parse(frame));
  assert.deepEqual(resent.map((m) => [m.type, m.text]), [['text', 'two'], ['text', 'three']]);
  assert.equal(resent[0].id, two.id, 'the same id, so that the receiver can tell');
  assert.equal(resent[0].ts, two.ts);
  assert.equal(again.unacknowledged().length, 2, 'still owed an acknowledgement');
});

test('a message received again over a new channel is acknowledged again but shown once', () => {
  const seen = new Set();
  const heard = [];
  const before = new FakeDataChannel();
  new ChatChannel(before, { seen }).on('message', (m) => heard.push(m.text));
  before.receive(JSON.stringify({ type: 'text', id: 'm1', text: 'hello', ts: 1 }));
  const after = new FakeDataChannel();
  new ChatChannel(after, { seen }).on('message', (m) => heard.push(m.text));
  after.receive(JSON.stringify({ type: 'text', id: 'm1', text: 'hello', ts: 1 }));
  after.receive(JSON.stringify({ type: 'text', id: 'm2', text: 'again?', ts: 2 }));
  assert.deepEqual(heard, ['hello', 'again?']);
  assert.deepEqual(after.sent, ['{"type":"ack","id":"m1"}', '{"type":"ack","id":"m2"}']);
});

test('typing and read marks travel as their own small messages, never as text', () => {
  const { channel, chat: wrapped } = chat();
  const heard = [];
  wrapped.on('typing', (e) => heard.push(['typing', e.active]));
  wrapped.on('read', (e) => heard.push(['read', e.id]));
  wrapped.on('message', (m) => heard.push(['message', m.text]));
  channel.receive('{"type":"typing"}');
  channel.receive('{"type":"typing","active":false}');
  channel.receive('{"type":"read","id":"m1"}');
  channel.receive('{"type":"read","id":7}');
  assert.deepEqual(heard, [['typing', true], ['typing', false], ['read', 'm1']]);
  wrapped.sendTyping(true);
  wrapped.sendTyping(false);
  wrapped.sendRead('m9');
  assert.deepEqual(channel.sent, ['{"type":"typing"}', '{"type":"typing","active":false}', '{"type":"read","id":"m9"}']);
});

test('a hang-up says bye first, and the peer hears it as such', () => {
  const { channel, chat: wrapped } = chat();
  let byes = 0;
  wrapped.on('bye', () => { byes += 1; });
  wrapped.sendBye();
  assert.deepEqual(channel.sent, ['{"type":"bye"}']);
  channel.receive('{"type":"bye"}');
  assert.equal(byes, 1);
});
