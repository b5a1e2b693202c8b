// The one place that knows who we are, who else is online, and which calls we are in. Signaling
// asks it what to log in with; app.js changes it by the rules and the page renders its events.
import { Emitter } from './emitter.js';
import { nameKey, sameName } from './names.js';

/** Where the tab keeps its name and resume token across a reload (sessionStorage: this tab only). */
export const STORAGE_KEY = 'textchat.session';
/**
 * How long after the page went away its calls are made again: the server's default grace period
 * (`textchat.resumeGraceSeconds`, 10 s). Later, the peers were told we left.
 */
export const RESUME_CALLS_WITHIN_MS = 10_000;

/**
 * Events:
 * - `identity` ({name, requestedName}): signing in was asked for, answered, or lost.
 * - `users` (names): a login reply replaced the whole online list.
 * - `user-online` (name), `user-offline` (name): one person came or went.
 * - `directory` ({shown, total, prefix}): in a large deployment (PROTOCOL.md, "Presence and the
 *   directory") the list shows `shown` of `total` (who match `prefix`, '' for everyone); `total` is
 *   null while the list shows everyone.
 * - `call-added` (call), `call-removed` (call).
 * Names in these events are the server's spelling; self is never in the online list.
 *
 * With a `storage` (sessionStorage), the name, the resume token and the calls that were up are
 * kept for this tab, so that a reload logs in again as the same user (PROTOCOL.md, "Resume")
 * and makes those calls again.
 */
export class Session extends Emitter {
  #requestedName = '';
  // The requested name still waits for the server's reply (a reopened socket asks again).
  #awaitingReply = false;
  #name = null;
  #token = null;
  #rtcConfig = { iceServers: [] };
  /** When the servers in #rtcConfig were handed out (Date.now()): their TURN credentials age. */
  #rtcConfigAt = 0;
  /** nameKey → the server's spelling. */
  #online = new Map();
  /** nameKey of the peer → Call. */
  #calls = new Map();
  /** How many others are online (login reply), or null when the list shows all of them. */
  #directoryTotal = null;
  #storage;
  #now;
  /** The calls that were up ({peer, caller}), kept with the token. */
  #resumable = [];
  /** The calls of the page before a reload, to be made again once logged in. */
  #restoredCalls = [];

  constructor({ storage = null, now = Date.now } = {}) {
    super();
    this.#storage = storage;
    this.#now = now;
    const saved = this.#read();
    if (saved) {
      this.#name = saved.name;
      this.#token = saved.token;
      this.#requestedName = saved.name;
      this.#restored = true;
      const recent = Number.isFinite(saved.savedAt) && now() - saved.savedAt <= RESUME_CALLS_WITHIN_MS;
      this.#restoredCalls = recent && Array.isArray(saved.calls) ? saved.calls.filter(validCall) : [];
    }
  }

  /** Whether this page took over the sign-in of the page before it (a reload): it logs in by itself. */
  get restored() {
    return this.#restored;
  }

  #restored = false;

  /** The calls the page had before it was reloaded ({peer, caller}), once; then none. */
  takeRestoredCalls() {
    const calls = this.#restoredCalls;
    this.#restoredCalls = [];
    return calls;
  }

  /** The calls that are up now ({peer, caller}): a reload makes them again. */
  setResumableCalls(calls) {
    this.#resumable = calls.filter(validCall);
    this.#save();
  }

  /**
   * The page is going away (pagehide): what is kept is dated now. False when nothing is kept
   * (signed out, or the tab's storage was cleared): the page cannot come back as this user, so
   * it should say so to the server (signaling.js's `closeForGood`) instead of having its name held.
   */
  markLeaving() {
    if (this.#read() === null) return false;
    this.#save();
    return this.#read() !== null;
  }

  #read() {
    try {
      const saved = JSON.parse(this.#storage?.getItem(STORAGE_KEY) ?? 'null');
      return saved && typeof saved.name === 'string' && typeof saved.token === 'string' ? saved : null;
    } catch {
      return null;
    }
  }

  #save() {
    try {
      if (this.#name === null || this.#token === null) {
        this.#storage?.removeItem(STORAGE_KEY);
      } else {
        this.#storage?.setItem(STORAGE_KEY, JSON.stringify({
          name: this.#name, token: this.#token, calls: this.#resumable, savedAt: this.#now(),
        }));
      }
    } catch (error) {
      console.warn('textchat: could not keep the sign-in for a reload', error);
    }
  }

  /** The name the server confirmed; null while signed out. */
  get name() {
    return this.#name;
  }

  /** What the sign-in form last asked for. */
  get requestedName() {
    return this.#requestedName;
  }

  get signedIn() {
    return this.#name !== null;
  }

  /** The ICE servers (and transport policy) of the last successful login or `ice-servers` reply. */
  get rtcConfig() {
    return this.#rtcConfig;
  }

  /** How long ago (ms) the server handed out the servers in `rtcConfig`. */
  rtcConfigAge(now = Date.now()) {
    return now - this.#rtcConfigAt;
  }

  /** An `ice-servers` reply: the same servers with fresh TURN credentials replace the ones we had. */
  applyIceServers(reply, now = Date.now()) {
    if (!this.signedIn || !Array.isArray(reply?.iceServers)) return;
    this.#rtcConfig = rtcConfigFrom(reply);
    this.#rtcConfigAt = now;
  }

  // --- identity -----------------------------------------------------------------------------

  /** The person asked to sign in as `name`; an earlier identity (and its token) is given up. */
  requestSignIn(name) {
    this.#requestedName = name;
    this.#awaitingReply = true;
    this.#name = null;
    this.#token = null;
    this.#resumable = [];
    this.#save();
    this.#emitIdentity();
  }

  /**
   * The login to send when a socket opens: a resume (name and token) if we were signed in, the
   * requested name if it is still unanswered, otherwise nothing.
   */
  loginMessage() {
    if (this.#name !== null) {
      return this.#token ? { type: 'login', name: this.#name, token: this.#token } : { type: 'login', name: this.#name };
    }
    return this.#awaitingReply ? { type: 'login', name: this.#requestedName } : null;
  }

  /**
   * Takes in the server's login reply (left untouched). Returns what became of it:
   * {success, name, resumed, reason}. `resumed`: the login was sent again after the connection
   * came back, not typed in; `name` is the confirmed name, or the one to offer in the form again.
   */
  applyLogin(reply) {
    const resumed = this.#name !== null;
    this.#awaitingReply = false;
    if (reply.success === true) {
      this.#name = typeof reply.name === 'string' ? reply.name : (this.#name ?? this.#requestedName);
      this.#token = typeof reply.token === 'string' ? reply.token : null;
      this.#save();
      this.#rtcConfig = rtcConfigFrom(reply);
      this.#rtcConfigAt = Date.now();
      this.#emitIdentity();
      this.#replaceOnline(Array.isArray(reply.users) ? reply.users : []);
      const total = Number.isInteger(reply.usersTotal) ? reply.usersTotal : null;
      this.#directoryTotal = total !== null && total > this.#online.size ? total : null;
      this.#emitDirectory('', this.#directoryTotal);
      return { success: true, name: this.#name, resumed };
    }
    const name = this.#name ?? this.#requestedName;
    this.#name = null;
    this.#token = null;
    this.#restoredCalls = [];
    this.#save();
    this.#emitIdentity();
    const reason = typeof reply.reason === 'string' ? reply.reason : 'unknown';
    return { success: false, name, resumed, reason };
  }

  /** Another tab or device took the name over (close 4001): nothing to resume any more. */
  signOut() {
    this.#name = null;
    this.#token = null;
    this.#awaitingReply = false;
    this.#save();
    this.#emitIdentity();
  }

  #emitIdentity() {
    this.emit('identity', { name: this.#name, requestedName: this.#requestedName });
  }

  // --- who is online ------------------------------------------------------------------------

  /** The online names, as the server spells them. */
  get users() {
    return [...this.#online.values()];
  }

  /** The server's spelling of `name` if that person is online (STRASSE finds Straße). */
  userNamed(name) {
    return typeof name === 'string' ? this.#online.get(nameKey(name)) : undefined;
  }

  userOnline(name) {
    if (typeof name !== 'string' || sameName(name, this.#name)) return;
    const key = nameKey(name);
    const known = this.#online.get(key);
    if (known === name) return;
    // Same person, new spelling (an offline we never heard of): show the new one.
    if (known !== undefined) this.emit('user-offline', known);
    this.#online.set(key, name);
    this.emit('user-online', name);
  }

  userOffline(name) {
    if (typeof name !== 'string') return;
    const key = nameKey(name);
    const known = this.#online.get(key);
    if (known === undefined) return;
    this.#online.delete(key);
    this.emit('user-offline', known);
  }

  /** Whether the list shows only some of those online (a large deployment): search with `who`. */
  get isDirectory() {
    return this.#directoryTotal !== null;
  }

  /** A `who` answer: the list becomes what it found (the server tells us only of those from now on). */
  applyWho(reply) {
    if (!this.isDirectory || !Array.isArray(reply.users)) return;
    this.#replaceOnline(reply.users);
    const prefix = typeof reply.prefix === 'string' ? reply.prefix : '';
    this.#emitDirectory(prefix, Number.isInteger(reply.total) ? reply.total : this.#online.size);
  }

  #emitDirectory(prefix, total) {
    this.emit('directory', { shown: this.#online.size, total, prefix });
  }

  #replaceOnline(names) {
    this.#online.clear();
    for (const name of names) {
      if (typeof name !== 'string' || sameName(name, this.#name)) continue;
      const key = nameKey(name);
      if (!this.#online.has(key)) this.#online.set(key, name);
    }
    this.emit('users', this.users);
  }

  // --- calls --------------------------------------------------------------------------------

  /** Every call we hold, live or just ended. */
  get calls() {
    return [...this.#calls.values()];
  }

  /** The call with `name` (in any spelling), if there is one. */
  callWith(name) {
    return typeof name === 'string' ? this.#calls.get(nameKey(name)) : undefined;
  }

  /** Holds `call` under its peer's name: one call per peer, so one it replaces is removed first. */
  addCall(call) {
    this.#calls.set(nameKey(call.peer), call);
    this.emit('call-added', call);
  }

  /** Lets go of `call`; a newer call with the same peer stays. */
  removeCall(call) {
    const key = nameKey(call.peer);
    if (this.#calls.get(key) !== call) return;
    this.#calls.delete(key);
    this.emit('call-removed', call);
  }
}

function validCall(call) {
  return call !== null && typeof call === 'object' && typeof call.peer === 'string' && typeof call.caller === 'boolean';
}

/** Exactly the ICE servers (and transport policy) the server handed out. */
export function rtcConfigFrom(reply) {
  const config = { iceServers: Array.isArray(reply.iceServers) ? reply.iceServers : [] };
  if (reply.iceTransportPolicy === 'all' || reply.iceTransportPolicy === 'relay') {
    config.iceTransportPolicy = reply.iceTransportPolicy;
  }
  return config;
}
