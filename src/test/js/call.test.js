// The parts of Call that need no RTCPeerConnection: a call that rings, is refused or replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Call, selectedRoute } from '../../main/webapp/js/call.js';

const OFFER = { type: 'offer', sdp: 'v=0' };

function ringing(peer = 'Straße') {
  const sent = [];
  const call = Call.incoming({ self: 'alice', peer, rtcConfig: { iceServers: [] }, send: (m) => sent.push(m), offer: OFFER });
  const ended = [];
  call.on('ended', ({ reason }) => ended.push(reason));
  return { call, sent, ended };
}

test('the peer\'s name can be respelled by the server, but never changed to someone else', () => {
  const { call } = ringing('STRASSE');
  const spelled = [];
  call.on('peer', (name) => spelled.push(name));
  call.setPeerName('Straße');
  call.setPeerName('Straße'); // no news
  call.setPeerName('bob');
  call.setPeerName(undefined);
  assert.equal(call.peer, 'Straße');
  assert.deepEqual(spelled, ['Straße']);
});

test('declining a ringing call tells the caller and ends it as our doing', () => {
  const { call, sent, ended } = ringing('carol');
  call.decline('declined');
  assert.deepEqual(sent, [{ type: 'decline', name: 'carol', reason: 'declined' }]);
  assert.deepEqual(ended, ['declined-by-me']);
  assert.equal(call.isOver, true);
  call.decline('declined');
  assert.equal(sent.length, 1, 'only once');
});

test('a caller who gives up before we answer leaves a missed call', () => {
  const { call, sent, ended } = ringing('carol');
  call.handleRemoteEnd('missed');
  assert.deepEqual(ended, ['missed']);
  assert.deepEqual(sent, []);
});

test('candidates that come before the answer wait, and a replacing call can take them', () => {
  const { call } = ringing('bob');
  call.handleCandidate({ candidate: 'c1' });
  call.handleCandidate(null); // end of candidates: ignored
  call.handleCandidate({ candidate: 'c2' });
  assert.deepEqual(call.takePendingCandidates(), [{ candidate: 'c1' }, { candidate: 'c2' }]);
  assert.deepEqual(call.takePendingCandidates(), []);
});

test('a superseded call ends without a word to the server', () => {
  const { call, sent, ended } = ringing('bob');
  call.supersede();
  assert.deepEqual(ended, ['superseded']);
  assert.deepEqual(sent, []);
});

test('only a call being placed can be unreachable', () => {
  const outgoing = Call.outgoing({ self: 'alice', peer: 'nobody', rtcConfig: { iceServers: [] }, send: () => {} });
  const reasons = [];
  outgoing.on('ended', ({ reason }) => reasons.push(reason));
  assert.equal(outgoing.state, 'calling');
  outgoing.handleUnreachable();
  assert.deepEqual(reasons, ['unreachable']);

  const { call, ended } = ringing('bob');
  call.handleUnreachable();
  assert.deepEqual(ended, []);
  assert.equal(call.state, 'ringing');
});

test('the route is the selected pair of the transport, described by its two candidates', () => {
  const report = new Map([
    ['T1', { type: 'transport', selectedCandidatePairId: 'P1' }],
    ['P1', { type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1' }],
    ['L1', { type: 'local-candidate', address: '127.0.0.1', port: 5000, protocol: 'udp', candidateType: 'host' }],
    ['R1', { type: 'remote-candidate', ip: '10.0.0.2', port: 6000, protocol: 'udp', candidateType: 'relay' }],
  ]);
  assert.deepEqual(selectedRoute(report), {
    local: { address: '127.0.0.1', port: 5000, protocol: 'udp', type: 'host' },
    remote: { address: '10.0.0.2', port: 6000, protocol: 'udp', type: 'relay' },
  });
  assert.equal(selectedRoute(new Map()), null);
});

test('a connection is known by the session id of its descriptions, the same for all its offers', async () => {
  const { sessionIdOf } = await import('../../main/webapp/js/call.js');
  const sdp = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n';
  assert.equal(sessionIdOf(sdp), '4611731400430051336');
  assert.equal(sessionIdOf('v=0\r\no=mozilla...THIS_IS_SDPARTA-99.0 8112413372535958434 1 IN IP4 0.0.0.0\r\n'), '8112413372535958434');
  assert.equal(sessionIdOf('v=0\r\ns=-\r\n'), null);
  assert.equal(sessionIdOf(undefined), null);
});
