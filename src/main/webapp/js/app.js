// Wires the modules together: signaling events drive calls, calls drive the UI, and UI events
// become signaling messages. The rules of the conversation (busy, glare, who is online) live here.
import { Signaling, signalingUrl } from './signaling.js';
import { Call, outranks, sameName } from './call.js';
import { UI } from './ui.js';
import { pickLanguage, translator, translatePage } from './i18n.js';

const language = pickLanguage();
const t = translator(language);
translatePage(document, t, language);

const ui = new UI(document, t, language);
const signaling = new Signaling(signalingUrl());

const session = {
  me: null,            // the name the server confirmed
  requestedName: '',   // what the sign-in form last asked for
  rtcConfig: { iceServers: [] },
  lost: false,         // the connection dropped after we were online
  signInAfterCall: null, // a refused resume, shown once the live call is over
};
const online = new Set();
// Calls that end for these reasons fail again the same way until the network or server changes.
const UNFIXABLE_BY_CALLING_AGAIN = new Set(['turn-refused', 'turn-unreachable', 'relay-failed', 'no-route']);
let call = null;       // the one call that is ringing, being placed, or live

const send = (message) => signaling.send(message);
const isBusy = () => call !== null && !call.isOver;
const isCurrentPeer = (name) => isBusy() && (name === undefined || sameName(name, call.peer));

// --- the signaling connection --------------------------------------------------------------

signaling.on('state', ({ state }) => {
  if (state === 'connecting') {
    ui.setConnection('connecting', t('conn.connecting'));
  } else if (state === 'open') {
    if (session.me) ui.setConnection('reconnecting', t('conn.reconnecting'));
    else ui.setConnection('open', t('conn.open'));
  } else if (state === 'reconnecting') {
    ui.setConnection('reconnecting', t('conn.reconnecting'));
    if (session.me && !session.lost) {
      session.lost = true;
      // The data channel is peer to peer: a live chat simply carries on meanwhile.
      ui.notice(t('conn.lost-notice'), 'warning');
    }
  }
});

signaling.on('replaced', () => {
  session.me = null;
  ui.setConnection('closed', t('conn.closed'));
  ui.notice(t('conn.replaced-notice'), 'warning');
});

signaling.on('login', (reply) => {
  if (reply.success === true) {
    session.signInAfterCall = null;
    session.me = typeof reply.name === 'string' ? reply.name : (session.me ?? session.requestedName);
    session.rtcConfig = rtcConfigFrom(reply);
    ui.setConnection('online', t('conn.online', { name: session.me }));
    online.clear();
    for (const name of Array.isArray(reply.users) ? reply.users : []) {
      if (typeof name === 'string' && !sameName(name, session.me)) online.add(name);
    }
    ui.setUsers([...online]);
    ui.showMain();
    if (session.lost) {
      session.lost = false;
      ui.notice(t('conn.back-notice'));
    }
    return;
  }
  const reason = typeof reply.reason === 'string' ? reply.reason : 'unknown';
  const known = ['taken', 'invalid-name', 'already-logged-in', 'unauthorized', 'server-full', 'unavailable'];
  let error = known.includes(reason) ? t(`signin.refused.${reason}`) : t('signin.refused.other', { reason });
  if (reply.resumed) error = `${t('signin.resume-failed')} ${error}`;
  const name = session.me ?? session.requestedName;
  session.me = null;
  session.lost = false;
  ui.setConnection('open', t('conn.open'));
  if (isBusy()) {
    // A live chat outlasts the lost sign-in; the form comes back when the call ends.
    session.signInAfterCall = { name, error };
    ui.notice(error, 'warning');
  } else {
    ui.showSignIn({ name, error });
  }
});

/** Exactly the ICE servers (and transport policy) the server handed out. */
function rtcConfigFrom(reply) {
  const config = { iceServers: Array.isArray(reply.iceServers) ? reply.iceServers : [] };
  if (reply.iceTransportPolicy === 'all' || reply.iceTransportPolicy === 'relay') {
    config.iceTransportPolicy = reply.iceTransportPolicy;
  }
  return config;
}

// --- presence ------------------------------------------------------------------------------

signaling.on('online', ({ name }) => {
  if (typeof name !== 'string' || sameName(name, session.me)) return;
  online.add(name);
  ui.addUser(name);
});

signaling.on('offline', ({ name }) => {
  if (typeof name !== 'string') return;
  online.delete(name);
  ui.removeUser(name);
});

// --- calls ---------------------------------------------------------------------------------

signaling.on('offer', ({ name: from, offer }) => {
  if (!session.me || typeof from !== 'string' || offer === null || typeof offer !== 'object') return;
  if (isCurrentPeer(from)) {
    if (call.state === 'calling') {
      resolveGlare(from, offer);
    } else {
      call.handleOffer(offer); // renegotiation by the peer we are talking to: no prompt
    }
    return;
  }
  if (isBusy()) {
    send({ type: 'decline', name: from, reason: 'busy' });
    ui.notice(t('end.busy-declined', { name: from }));
    return;
  }
  receiveCall(from, offer);
});

// Both called each other at once. Both ends decide alike: the smaller name's call survives.
function resolveGlare(from, offer) {
  if (outranks(session.me, from)) return; // ours wins; they answer our offer
  const candidates = call.takePendingCandidates(); // they belong to the surviving call
  call.supersede();
  receiveCall(from, offer, { candidates, accept: true });
}

function receiveCall(from, offer, { candidates = [], accept = false } = {}) {
  const incoming = Call.incoming({ self: session.me, peer: from, rtcConfig: session.rtcConfig, send, offer });
  adopt(incoming);
  for (const candidate of candidates) incoming.handleCandidate(candidate);
  if (accept) {
    ui.startConversation();
    incoming.accept();
  } else {
    ui.showIncoming(from);
  }
}

function placeCall(name) {
  if (!session.me) return;
  if (sameName(name, session.me)) {
    ui.notice(t('callform.self'));
    return;
  }
  if (isBusy()) {
    ui.notice(t('callform.busy'));
    return;
  }
  const peer = [...online].find((other) => sameName(other, name)) ?? name;
  const outgoing = Call.outgoing({ self: session.me, peer, rtcConfig: session.rtcConfig, send });
  ui.startConversation();
  adopt(outgoing);
  outgoing.start();
  ui.clearCallName();
}

function adopt(newCall) {
  call = newCall;
  ui.setCall(newCall.state, newCall.peer);
  newCall.on('state', (state) => {
    if (state !== 'ended') ui.setCall(state, newCall.peer);
  });
  newCall.on('route', (route) => ui.setRoute(route));
  newCall.on('restored', () => ui.notice(t('call.restored', { name: newCall.peer })));
  newCall.on('chat', (chat) => {
    chat.on('open', () => ui.setComposerEnabled(true));
    chat.on('close', () => ui.setComposerEnabled(false));
    chat.on('message', (message) => ui.addMessage({ ...message, own: false, author: newCall.peer }));
    chat.on('ack', ({ id }) => ui.markDelivered(id));
  });
  newCall.on('ended', ({ reason }) => callEnded(newCall, reason));
}

function callEnded(ended, reason) {
  ui.setComposerEnabled(false);
  if (call === ended) call = null;
  if (reason === 'superseded') return; // a crossing call took its place
  if (session.signInAfterCall && !isBusy()) {
    ui.showSignIn(session.signInAfterCall);
    session.signInAfterCall = null;
  }
  if (!isBusy()) {
    ui.hideIncoming();
    ui.setCall('ended', ended.peer);
  }
  const text = t(`end.${reason}`, { name: ended.peer });
  if (reason === 'declined-by-me' || reason === 'missed') {
    ui.notice(text);
  } else if (UNFIXABLE_BY_CALLING_AGAIN.has(reason)) {
    ui.addSystemMessage(text, 'warning');
  } else {
    ui.addSystemMessage(`${text} ${t('end.call-again')}`, reason === 'hung-up' ? 'info' : 'warning');
  }
}

signaling.on('answer', ({ name, answer }) => {
  if (!isCurrentPeer(name) || answer === null || typeof answer !== 'object') return;
  if (typeof name === 'string') call.peer = name; // the server's spelling of the name
  call.handleAnswer(answer);
});

signaling.on('candidate', ({ name, candidate }) => {
  if (isCurrentPeer(name)) call.handleCandidate(candidate);
});

signaling.on('leave', ({ name }) => {
  if (!isCurrentPeer(name)) return;
  call.handleRemoteEnd(call.state === 'ringing' ? 'missed' : 'peer-left');
});

signaling.on('decline', ({ name, reason }) => {
  if (isCurrentPeer(name) && call.state === 'calling') call.handleRemoteEnd(reason === 'busy' ? 'busy' : 'declined');
});

signaling.on('error', ({ code, message }) => {
  if (code === 'no-such-user' && call?.state === 'calling') {
    call.handleUnreachable();
  } else if (code === 'rate-limited') {
    ui.notice(t('error.rate-limited'), 'warning');
  } else {
    console.warn(`textchat: the server refused a message: ${code ?? ''} ${message ?? ''}`);
  }
});

// --- what the person does ------------------------------------------------------------------

ui.on('signin', (name) => {
  session.requestedName = name;
  ui.setSigningIn(true);
  ui.setSignInError('');
  signaling.login(name);
});

ui.on('call', placeCall);

ui.on('accept', () => {
  if (call?.state !== 'ringing') return;
  ui.hideIncoming();
  ui.startConversation();
  call.accept();
});

ui.on('decline', () => {
  ui.hideIncoming();
  if (call?.state === 'ringing') call.decline('declined');
});

ui.on('hangup', () => call?.hangUp());

ui.on('send', (text) => {
  const chat = call?.chat;
  if (!chat?.isOpen) return;
  const sent = chat.send(text);
  ui.addMessage({ ...sent, own: true });
  ui.clearComposer();
});

ui.showSignIn();
signaling.start();
