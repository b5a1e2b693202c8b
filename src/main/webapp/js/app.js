// The rules of the conversation: signaling events drive calls, calls drive the UI, and UI events
// become signaling messages. Busy, glare, presence and sign-in are decided here and nowhere else;
// who we are, who is online and which calls we hold is the session's (session.js). Nothing runs
// on import: main.js wires the real page, tests wire fakes.
import { Call } from './call.js';
import { FileTransfers } from './files.js';
import { nameKey, sameName, outranks } from './names.js';
import { Preferences } from './prefs.js';
import { Session } from './session.js';
import { TypingIndicator, TypingSignal } from './typing.js';
import { Verification } from './verification.js';

// Calls that end for these reasons fail again the same way until the network or server changes.
const UNFIXABLE_BY_CALLING_AGAIN = new Set(['turn-refused', 'turn-unreachable', 'relay-failed', 'no-route']);
/** How many names a directory search asks for. */
const SEARCH_LIMIT = 20;
/** ICE servers (TURN credentials) this young are used as they are; older ones are asked for again. */
const ICE_SERVERS_FRESH_MS = 10_000;
/** How long a call or an ICE restart waits for fresh ICE servers before it uses the ones it has. */
const ICE_SERVERS_WAIT_MS = 2_000;
const LOGIN_REFUSALS = ['taken', 'invalid-name', 'already-logged-in', 'unauthorized', 'server-full', 'unavailable'];
/** Calls held at once, as the server's default `textchat.maxCallsPerUser`; past it, busy. */
export const MAX_CALLS = 8;

const realCalls = {
  outgoing: (options) => Call.outgoing(options),
  incoming: (options) => Call.incoming(options),
  resumed: (options) => Call.resumed(options),
};
/** Calls in these states are up: a reload makes them again. */
const RESUMABLE = new Set(['connected', 'interrupted']);

/**
 * Wires `signaling` (Signaling's events and send/login), `ui` (UI's events and methods) and `t`
 * (a translator) together. `calls` makes the calls ({outgoing, incoming}, as Call's); the
 * session is a fresh one unless given. `identity` (identity.js) gives calls our certificate and
 * remembers verified peers; without one (null) calls use a throwaway certificate and show no
 * safety code. `history` (history.js), when given, keeps what is said in this browser and shows it
 * again in the conversation with the same peer. `notifier` (notify.js) and `ringer` (ring.js), when given, tell of a call or a
 * message while the page is in the background, and ring for incoming calls. Returns {session,
 * call(), start()}: `call()` is the call of the conversation on screen (null if none is live),
 * `start()` shows the sign-in form and opens the connection.
 *
 * Several calls may go on at once (up to MAX_CALLS), one conversation per peer; the person
 * writes in the one on screen (`openPeer`), picked in the conversation list. One incoming call
 * at a time asks; another caller meanwhile hears busy.
 */
export function createApp({
  signaling, ui, t, session = new Session(), calls = realCalls, identity = null, notifier = null, ringer = null,
  prefs = new Preferences(), history = null,
}) {
  let reached = false;         // the server was reached since the page loaded
  let ringing = null;          // the incoming call the ring and its notification are for
  let lost = false;            // the connection dropped after we were online
  let signInAfterCall = null;  // a refused resume, shown once the live call is over
  let prompt = null;           // the incoming call the prompt asks about
  let openPeer = null;         // whose conversation is on screen
  /** Call → its Verification (made when its chat channel is). */
  const verifications = new WeakMap();
  /** Call → {signal, indicator}: "typing…" both ways, for its current chat channel. */
  const typing = new WeakMap();
  /** Call → its FileTransfers (files both ways, over its connections). */
  const transfers = new WeakMap();

  const send = (message) => signaling.send(message);
  const live = () => session.calls.filter((call) => !call.isOver);
  // The first live call: all a server that names no sender (the tutorial's) lets us tell apart.
  const current = () => live()[0] ?? null;
  const isBusy = () => current() !== null;
  // The live call of the conversation on screen: what the composer, hang-up and safety code act on.
  const selected = () => (openPeer === null ? null : callFor(openPeer));
  function open(peer) {
    openPeer = peer;
    ui.openConversation(peer);
    showHistory(peer);
  }

  // --- what was said, kept in this browser (history.js) -----------------------------------

  /** nameKeys of the conversations whose history is on the page already. */
  const historyShown = new Set();

  function showHistory(peer) {
    if (!history || !session.signedIn || historyShown.has(nameKey(peer))) return;
    historyShown.add(nameKey(peer));
    history.messages(session.name, peer).then((messages) => {
      if (messages.length > 0) ui.addHistory(peer, messages);
    });
  }

  const remember = (peer, message) => history?.record(session.name, peer, message);
  const markKept = (peer, id, state) => history?.mark(session.name, peer, id, state);

  // The calls that are up, kept with the sign-in: a reload makes them again.
  function keepResumable() {
    session.setResumableCalls(live().filter((call) => RESUMABLE.has(call.state))
      .map((call) => ({ peer: call.peer, caller: call.isCaller })));
  }
  // The live call a server message is about: the one with its sender or, from a server that
  // names no sender (the tutorial's, on answers, candidates and leaves), the one call there is.
  const callFor = (name) => {
    if (name === undefined) return current();
    const call = session.callWith(name);
    return call && !call.isOver ? call : null;
  };

  signaling.loginWith(() => session.loginMessage());

  // --- the signaling connection ------------------------------------------------------------

  signaling.on('state', ({ state }) => {
    if (state === 'connecting') {
      ui.setConnection('connecting', t('conn.connecting'));
    } else if (state === 'open') {
      reached = true;
      if (session.signedIn) ui.setConnection('reconnecting', t('conn.reconnecting'));
      else ui.setConnection('open', t('conn.open'));
    } else if (state === 'reconnecting' && !reached) {
      // Never reached (offline, or the server is down): the page itself may come from the cache.
      ui.setConnection('offline', t('conn.offline'));
    } else if (state === 'reconnecting') {
      ui.setConnection('reconnecting', t('conn.reconnecting'));
      if (session.signedIn && !lost) {
        lost = true;
        // The data channel is peer to peer: a live chat simply carries on meanwhile.
        ui.notice(t('conn.lost-notice'), 'warning');
      }
    }
  });

  signaling.on('replaced', () => {
    session.signOut();
    ui.setConnection('closed', t('conn.closed'));
    ui.notice(t('conn.replaced-notice'), 'warning');
  });

  signaling.on('login', (reply) => {
    const outcome = session.applyLogin(reply);
    reached = true;
    if (outcome.success) {
      signInAfterCall = null;
      // Read (or make) our certificate now, so that the first call need not wait for it.
      identity?.certificateFor(outcome.name).catch(() => {});
      ui.setConnection('online', t('conn.online', { name: outcome.name }));
      ui.showMain();
      // The page was reloaded: its calls are made again, before any offer of theirs is read.
      for (const { peer, caller } of session.takeRestoredCalls()) resumeCall(peer, caller);
      history?.conversations(outcome.name).then((known) => {
        for (const { peer } of known) ui.listConversation(peer);
      });
      if (lost) {
        lost = false;
        ui.notice(t('conn.back-notice'));
      }
      return;
    }
    const { reason } = outcome;
    let error = LOGIN_REFUSALS.includes(reason) ? t(`signin.refused.${reason}`) : t('signin.refused.other', { reason });
    if (outcome.resumed) error = `${t('signin.resume-failed')} ${error}`;
    lost = false;
    ui.setConnection('open', t('conn.open'));
    if (isBusy()) {
      // A live chat outlasts the lost sign-in; the form comes back when the call ends.
      signInAfterCall = { name: outcome.name, error };
      ui.notice(error, 'warning');
    } else {
      ui.showSignIn({ name: outcome.name, error });
    }
  });

  // --- presence: the session keeps the list, the page shows it ----------------------------

  session.on('users', (names) => ui.setUsers(names));
  session.on('user-online', (name) => ui.addUser(name));
  session.on('user-offline', (name) => ui.removeUser(name));
  signaling.on('online', ({ name }) => session.userOnline(name));
  signaling.on('offline', ({ name }) => session.userOffline(name));
  // A large deployment lists a first page; the rest is found by searching the server's directory.
  session.on('directory', (view) => ui.setDirectory(view));
  signaling.on('who', (reply) => session.applyWho(reply));
  ui.on('search', (prefix) => {
    if (session.isDirectory) send({ type: 'who', prefix, limit: SEARCH_LIMIT });
  });

  // --- calls -------------------------------------------------------------------------------

  signaling.on('offer', ({ name: from, offer }) => {
    if (!session.signedIn || typeof from !== 'string' || offer === null || typeof offer !== 'object') return;
    const ongoing = callFor(from);
    if (ongoing) {
      if (ongoing.state === 'calling') {
        resolveGlare(ongoing, from, offer);
      } else {
        ongoing.handleOffer(offer); // renegotiation by the peer we are talking to: no prompt
      }
      return;
    }
    if (prompt !== null || live().length >= MAX_CALLS) {
      send({ type: 'decline', name: from, reason: 'busy' });
      ui.notice(t('end.busy-declined', { name: from }));
      return;
    }
    receiveCall(from, offer);
  });

  // Both called each other at once. Both ends decide alike: the smaller name's call survives.
  function resolveGlare(ours, from, offer) {
    if (outranks(session.name, from)) return; // ours wins; they answer our offer
    const candidates = ours.takePendingCandidates(); // they belong to the surviving call
    ours.supersede();
    receiveCall(from, offer, { candidates, accept: true });
  }

  // TURN credentials expire (PROTOCOL.md, "Fresh ICE servers"): a new call and every ICE restart
  // ask the server for the servers again, unless the ones we have were handed out just now. One
  // request at a time; without a reply in time, the servers we have.
  let iceServersRequest = null;
  signaling.on('ice-servers', (reply) => session.applyIceServers(reply));

  function freshIceServers() {
    if (session.rtcConfigAge() < ICE_SERVERS_FRESH_MS || !session.signedIn) return Promise.resolve(session.rtcConfig);
    if (iceServersRequest === null) {
      iceServersRequest = new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          stopListening();
          iceServersRequest = null;
          resolve(session.rtcConfig);
        };
        const timer = setTimeout(done, ICE_SERVERS_WAIT_MS);
        const stopListening = signaling.on('ice-servers', done);
        if (!send({ type: 'ice-servers' })) done();
      });
    }
    return iceServersRequest;
  }

  // Fresh ICE servers, and our own certificate, so that the peer sees the same one every call.
  function rtcConfig() {
    const certificate = identity
      ? identity.certificateFor(session.name).then(({ certificate: c }) => c, (error) => {
        console.warn('textchat: no identity certificate; this call uses a throwaway one', error);
        return null;
      })
      : null;
    return Promise.all([freshIceServers(), certificate])
      .then(([config, c]) => (c ? { ...config, certificates: [c] } : config));
  }

  function receiveCall(from, offer, { candidates = [], accept = false } = {}) {
    // Asked when accepted, not now: the call may ring for a minute, TURN credentials age.
    const incoming = calls.incoming({
      self: session.name, peer: from, rtcConfig, send, offer, iceServers: freshIceServers,
    });
    adopt(incoming);
    for (const candidate of candidates) incoming.handleCandidate(candidate);
    if (accept) {
      open(incoming.peer);
      incoming.accept();
    } else {
      // While another call goes on, the prompt does not take the keyboard from it.
      ui.showIncoming(from, { quiet: live().length > 1 });
      prompt = incoming;
      ringing = incoming;
      ringer?.start();
      notifier?.incomingCall(from);
    }
  }

  function resumeCall(peer, caller) {
    if (callFor(peer) || sameName(peer, session.name)) return;
    const resumed = calls.resumed({
      self: session.name, peer, rtcConfig: rtcConfig(), send, iceServers: freshIceServers, caller,
    });
    adopt(resumed);
    resumed.resume();
  }

  function placeCall(name) {
    if (!session.signedIn) return;
    if (sameName(name, session.name)) {
      ui.notice(t('callform.self'));
      return;
    }
    const ongoing = callFor(name);
    if (ongoing) {
      open(ongoing.peer); // already talking: the conversation comes forward
      ui.clearCallName();
      return;
    }
    if (live().length >= MAX_CALLS) {
      ui.notice(t('callform.busy', { max: MAX_CALLS }));
      return;
    }
    const peer = session.userNamed(name) ?? name;
    const outgoing = calls.outgoing({
      self: session.name, peer, rtcConfig: rtcConfig(), send, iceServers: freshIceServers,
    });
    open(peer);
    adopt(outgoing);
    outgoing.start();
    ui.clearCallName();
  }

  function adopt(call) {
    session.addCall(call);
    if (openPeer === null) open(call.peer);
    else showHistory(call.peer);
    ui.setCall(call.state, call.peer);
    call.on('state', (state) => {
      keepResumable();
      // While the path is down the composer stays usable: what is written waits, shown as queued.
      if (state === 'interrupted') ui.setComposerEnabled(true, call.peer);
      if (call === ringing && state !== 'ringing') {
        // The ring and the call's notification last as long as it rings, however that ends.
        ringing = null;
        ringer?.stop();
        notifier?.clear(call.peer);
      }
      if (state !== 'ended') ui.setCall(state, call.peer);
    });
    call.on('peer', () => {
      if (!call.isOver) ui.setCall(call.state, call.peer);
    });
    call.on('route', (route) => ui.setRoute(route, call.peer));
    const files = new FileTransfers();
    transfers.set(call, files);
    files.on('update', (view) => ui.showTransfer(call.peer, view));
    call.on('file-channel', (channel) => files.handleChannel(channel));
    call.on('restored', () => {
      ui.notice(t('call.restored', { name: call.peer }));
      sendUndelivered(call);
    });
    call.on('chat', (chat) => {
      // A call that recovered over a new connection verifies that one afresh.
      verifications.get(call)?.stop();
      const verification = identity ? verify(call, chat) : null;
      typing.get(call)?.signal.stop();
      const indicator = new TypingIndicator((shown) => {
        if (!call.isOver) ui.setTyping(shown ? call.peer : null, call.peer);
      });
      typing.set(call, { signal: new TypingSignal((active) => chat.sendTyping(active)), indicator });
      chat.on('typing', ({ active }) => indicator.heard(active));
      chat.on('file', (message) => files.handleControl(message));
      chat.on('read', ({ id }) => {
        if (!prefs.readReceipts) return; // receipts off: neither sent nor shown
        ui.markRead(id);
        markKept(call.peer, id, 'read');
      });
      chat.on('open', () => {
        if (verification) {
          call.fingerprints().then((fingerprints) => verification.start(fingerprints));
        } else {
          ui.setComposerEnabled(true, call.peer);
          sendUndelivered(call);
        }
      });
      chat.on('close', () => {
        ui.setComposerEnabled(call.state === 'interrupted', call.peer);
        files.detach();
      });
      chat.on('message', (message) => {
        indicator.clear();
        ui.addMessage({ ...message, own: false, author: call.peer, peer: call.peer });
        remember(call.peer, { ...message, own: false, state: 'received' });
        notifier?.message(call.peer, message.text);
      });
      chat.on('ack', ({ id }) => {
        ui.markDelivered(id);
        markKept(call.peer, id, 'delivered');
      });
    });
    call.on('ended', ({ reason }) => callEnded(call, reason));
  }

  // The safety code and the pin decide when the composer opens: not before the pin is read, and,
  // if the peer's code changed, not before the person chose what to do.
  function verify(call, chat) {
    const verification = new Verification({
      identity, self: session.name, peer: call.peer, role: call.isCaller ? 'caller' : 'callee', chat,
    });
    verifications.set(call, verification);
    verification.on('state', (state) => {
      if (call.isOver || verifications.get(call) !== verification) return;
      ui.setSafety({ ...state, name: call.peer });
      const canSend = chat.isOpen && !state.holdsSending;
      ui.setComposerEnabled(canSend, call.peer);
      // What an earlier connection could not deliver goes out once this one may be trusted as much.
      if (canSend) sendUndelivered(call);
    });
    return verification;
  }

  function callEnded(ended, reason) {
    const { peer } = ended;
    typing.get(ended)?.signal.stop();
    typing.get(ended)?.indicator.clear();
    transfers.get(ended)?.stop();
    session.removeCall(ended);
    keepResumable();
    if (prompt === ended) {
      prompt = null;
      ui.hideIncoming();
    }
    verifications.get(ended)?.stop();
    if (reason === 'superseded') return; // a crossing call took its place
    if (!callFor(peer)) {
      // The conversation stays, with what was said; its call is over.
      ui.setTyping(null, peer);
      ui.setSafety(null, peer);
      ui.setComposerEnabled(false, peer);
      ui.setCall('ended', peer);
    }
    if (signInAfterCall && !isBusy()) {
      ui.showSignIn(signInAfterCall);
      signInAfterCall = null;
    }
    const text = t(`end.${reason}`, { name: peer });
    if (reason === 'declined-by-me' || reason === 'missed') {
      ui.notice(text);
    } else if (UNFIXABLE_BY_CALLING_AGAIN.has(reason)) {
      ui.addSystemMessage(text, 'warning', peer);
    } else {
      ui.addSystemMessage(`${text} ${t('end.call-again')}`, reason === 'hung-up' ? 'info' : 'warning', peer);
    }
  }

  signaling.on('answer', ({ name, answer }) => {
    const call = callFor(name);
    if (!call || answer === null || typeof answer !== 'object') return;
    if (typeof name === 'string') call.setPeerName(name); // the server's spelling of the name
    call.handleAnswer(answer);
  });

  signaling.on('candidate', ({ name, candidate }) => {
    callFor(name)?.handleCandidate(candidate);
  });

  signaling.on('leave', ({ name }) => {
    const call = callFor(name);
    call?.handleRemoteEnd(call.state === 'ringing' ? 'missed' : 'peer-left');
  });

  signaling.on('decline', ({ name, reason }) => {
    const call = callFor(name);
    if (call?.state === 'calling') call.handleRemoteEnd(reason === 'busy' ? 'busy' : 'declined');
  });

  signaling.on('error', ({ code, message }) => {
    // The refusal names no callee; the call placed last is the one it refused.
    const calling = live().filter((call) => call.state === 'calling').at(-1);
    if (code === 'no-such-user' && calling?.state === 'calling') {
      calling.handleUnreachable();
    } else if (code === 'rate-limited') {
      ui.notice(t('error.rate-limited'), 'warning');
    } else {
      console.warn(`textchat: the server refused a message: ${code ?? ''} ${message ?? ''}`);
    }
  });

  // --- what the person does ----------------------------------------------------------------

  ui.on('signin', (name) => {
    ringer?.unlock(); // a click: the browser lets the page make sound from now on
    session.requestSignIn(name);
    ui.setSigningIn(true);
    ui.setSignInError('');
    signaling.login();
  });

  ui.on('call', placeCall);

  ui.on('accept', () => {
    const call = prompt;
    if (call?.state !== 'ringing') return;
    prompt = null;
    ui.hideIncoming();
    open(call.peer);
    call.accept();
  });

  ui.on('decline', () => {
    ui.hideIncoming();
    const call = prompt;
    prompt = null;
    if (call?.state === 'ringing') call.decline('declined');
  });

  ui.on('hangup', () => selected()?.hangUp());

  // --- files -------------------------------------------------------------------------------

  // Files go to the conversation on screen, once its chat may send (after the safety-code check).
  ui.on('attach', (files) => {
    const call = selected();
    const chat = call?.chat;
    if (!chat?.isOpen || verifications.get(call)?.state.holdsSending) {
      ui.notice(t('files.not-now'), 'warning');
      return;
    }
    for (const file of files) transfers.get(call)?.offer(file);
  });
  const transferOf = (id) => {
    for (const call of live()) {
      const files = transfers.get(call);
      if (files?.has(id)) return files;
    }
    return null;
  };
  ui.on('file-accept', (id) => transferOf(id)?.accept(id));
  ui.on('file-decline', (id) => transferOf(id)?.decline(id));
  ui.on('file-cancel', (id) => transferOf(id)?.cancel(id));

  ui.on('delete-history', () => {
    const peer = openPeer;
    if (peer === null || !session.signedIn) return;
    Promise.resolve(history?.forget(session.name, peer))
      .then(() => ui.clearConversation(peer))
      .catch((error) => {
        console.warn('textchat: could not delete the history', error);
        ui.notice(t('history.delete-failed'), 'warning');
      });
  });

  ui.on('open', (peer) => {
    if (typeof peer === 'string' && peer !== '') open(callFor(peer)?.peer ?? peer);
  });

  // --- typing and read marks -----------------------------------------------------------------

  ui.on('typing', () => {
    const call = selected();
    if (call?.chat?.isOpen) typing.get(call)?.signal.keystroke();
  });
  // Only the conversation on screen shows its messages: what was seen was seen there.
  ui.on('seen', (id) => {
    const chat = selected()?.chat;
    if (prefs.readReceipts && chat?.isOpen) chat.sendRead(id);
  });
  ui.on('read-receipts', (on) => {
    prefs.readReceipts = on;
    ui.setReadReceipts(on);
  });

  // --- alerts: notifications while in the background, and the ring --------------------------

  const showAlerts = () => ui.setNotifications({
    permission: notifier?.permission ?? 'unsupported', hidePreviews: notifier?.hidePreviews ?? false,
  });
  ui.on('notify-enable', () => {
    ringer?.unlock();
    notifier?.enable().then(showAlerts);
  });
  ui.on('notify-previews', (hide) => {
    if (notifier) notifier.hidePreviews = hide;
    showAlerts();
  });
  ui.on('ring-mute', (muted) => {
    ringer?.unlock();
    if (ringer) ringer.muted = muted;
    ui.setRingMuted(muted);
  });
  // A notification was clicked: the call it told of waits for an answer, or the chat is there.
  notifier?.on('open', ({ peer, kind }) => {
    const call = callFor(peer);
    if (kind === 'call' && call?.state === 'ringing') {
      ui.showIncoming(call.peer);
      return;
    }
    if (call) open(call.peer);
    ui.focusConversation();
  });

  const verificationOfCall = () => {
    const call = selected();
    return call ? verifications.get(call) : undefined;
  };
  ui.on('verify-peer', () => {
    verificationOfCall()?.markVerified().catch((error) => {
      console.warn('textchat: could not remember the verified peer', error);
      ui.notice(t('safety.store-failed'), 'warning');
    });
  });
  ui.on('forget-peer', () => {
    verificationOfCall()?.forget().catch((error) => console.warn('textchat: could not forget the peer', error));
  });
  ui.on('accept-change', () => verificationOfCall()?.acknowledgeChange());

  ui.on('send', (text) => {
    const call = selected();
    if (call?.state === 'interrupted') {
      // Sent once the call is back (PROTOCOL.md's client notes), in order, exactly once.
      const queued = call.queue(text);
      ui.addMessage({ ...queued, own: true, queued: true, peer: call.peer });
      remember(call.peer, { ...queued, own: true, state: 'queued' });
      ui.clearComposer();
      return;
    }
    const chat = call?.chat;
    if (!chat?.isOpen || verifications.get(call)?.state.holdsSending) return;
    const sent = chat.send(text);
    typing.get(call)?.signal.stop();
    ui.addMessage({ ...sent, own: true, peer: call.peer });
    remember(call.peer, { ...sent, own: true, state: 'sent' });
    ui.clearComposer();
  });

  // What waited (written while the path was down, or undelivered on a dead channel) goes out now;
  // so do files, over this connection.
  function sendUndelivered(call) {
    const verification = verifications.get(call);
    if (verification?.state.holdsSending) return;
    const chat = call.chat;
    if (chat?.isOpen) {
      transfers.get(call)?.attach({
        key: chat,
        sendControl: (message) => chat.sendFile(message),
        openChannel: (label) => call.openChannel(label),
        maxMessageSize: () => call.maxMessageSize(),
      });
    }
    for (const { id } of call.resendUndelivered?.() ?? []) {
      ui.markSent(id);
      markKept(call.peer, id, 'sent');
    }
  }

  return {
    session,
    call: selected,
    start() {
      showAlerts();
      ui.setReadReceipts(prefs.readReceipts);
      ui.setRingMuted(ringer?.muted ?? false);
      if (session.restored) {
        // A reload: the tab logs in again by itself, with the name it had.
        ui.showSignIn({ name: session.name });
        ui.setSigningIn(true);
      } else {
        ui.showSignIn();
      }
      signaling.start();
    },
  };
}
