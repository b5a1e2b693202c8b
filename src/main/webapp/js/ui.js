// Everything that touches the DOM. User-supplied text only ever goes in through
// textContent or attribute setters, never as markup.
import { Emitter } from './emitter.js';
import { MAX_FILE_BYTES, previewable } from './files.js';
import { nameKey } from './names.js';

const NOTICE_MS = 8_000;
const FOLLOW_THRESHOLD_PX = 80;

function element(tag, { className, text, attrs = {} } = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

const SEARCH_DELAY_MS = 250;
/** An own message's states, in the order they come. */
const PROGRESS = ['queued', 'sent', 'delivered', 'read'];

/**
 * Events: `signin` (name), `call` (name), `accept`, `decline`, `hangup`, `send` (text), `search`
 * (prefix), for the safety code `verify-peer`, `forget-peer`, `accept-change`, and for alerts
 * `notify-enable`, `notify-previews` (hide: boolean), `ring-mute` (muted: boolean); `typing` (a key
 * pressed in the composer, with text in it), `seen` (id: a peer's message was on screen while the
 * page was in front), `read-receipts` (on: boolean), `open` (peer: a conversation was picked in the
 * list), `delete-history` (the person confirmed deleting the open conversation's history), `attach`
 * (File[]: picked, dropped or pasted for the open conversation), `file-accept`, `file-decline`,
 * `file-cancel` (a transfer's id).
 *
 * Conversations: one per peer, each with its call's state, its messages, safety code, typing and
 * composer state, and its unread count; one of them is open (on screen) at a time, as the app says
 * (`openConversation`). Methods that take a `peer` change that conversation, and the screen only
 * if it is the open one.
 */
export class UI extends Emitter {
  #t;
  #language;
  #time;
  #collator;
  /** The online list's items by the name they show (who is online is the session's to say). */
  #users = new Map();
  #el;
  /** nameKey(peer) → the conversation (see #conversation). */
  #conversations = new Map();
  /** The conversation on screen, or null. */
  #open = null;
  /** Message id → its list item, in whichever conversation. */
  #byId = new Map();
  /** Transfer id → its list item. */
  #transferItems = new Map();

  constructor(doc, t, language) {
    super();
    this.#t = t;
    this.#language = language;
    this.#time = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' });
    this.#collator = new Intl.Collator(language, { sensitivity: 'base' });
    const byId = (id) => doc.getElementById(id);
    this.#el = {
      connection: byId('connection-status'),
      connectionText: byId('connection-text'),
      notices: byId('notices'),
      signinView: byId('signin-view'),
      signinForm: byId('signin-form'),
      signinName: byId('signin-name'),
      signinError: byId('signin-error'),
      signinSubmit: byId('signin-submit'),
      mainView: byId('main-view'),
      userList: byId('user-list'),
      userListEmpty: byId('user-list-empty'),
      directory: byId('directory'),
      search: byId('people-search'),
      directorySummary: byId('directory-summary'),
      callForm: byId('call-form'),
      callName: byId('call-name'),
      callStatus: byId('call-status'),
      callText: byId('call-text'),
      route: byId('call-route'),
      routeText: byId('call-route-text'),
      hangup: byId('hangup'),
      messages: byId('messages'),
      messagesEmpty: byId('messages-empty'),
      announcer: byId('announcer'),
      composer: byId('composer'),
      input: byId('message-input'),
      send: byId('send'),
      incoming: byId('incoming'),
      incomingText: byId('incoming-text'),
      accept: byId('accept'),
      decline: byId('decline'),
      safety: byId('safety'),
      safetyStatusText: byId('safety-status-text'),
      safetyCodeRow: byId('safety-code-row'),
      safetyCode: byId('safety-code'),
      safetyHelp: byId('safety-help'),
      safetyVerify: byId('safety-verify'),
      safetyAccept: byId('safety-accept'),
      safetyForget: byId('safety-forget'),
      alerts: byId('alerts'),
      notifyEnable: byId('notify-enable'),
      notifyState: byId('notify-state'),
      notifyPreviews: byId('notify-previews'),
      notifyPreviewsLabel: byId('notify-previews-label'),
      ringToggle: byId('ring-toggle'),
      incomingMute: byId('incoming-mute'),
      favicon: byId('favicon'),
      readReceipts: byId('read-receipts'),
      typing: byId('typing'),
      conversations: byId('conversations'),
      conversationList: byId('conversation-list'),
      deleteHistory: byId('delete-history'),
      attach: byId('attach'),
      fileInput: byId('file-input'),
      conversationCard: doc.querySelector('section.conversation'),
      deleteConfirm: byId('delete-history-confirm'),
      deleteConfirmText: byId('delete-history-text'),
      deleteYes: byId('delete-history-yes'),
      deleteNo: byId('delete-history-no'),
    };
    this.#watchReading(doc);
    this.#bindControls(doc);
  }

  #bindControls(doc) {
    const el = this.#el;
    el.signinForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = el.signinName.value.trim();
      if (name === '') {
        this.setSignInError(this.#t('signin.empty'));
        el.signinName.focus();
        return;
      }
      this.emit('signin', name);
    });
    el.callForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = el.callName.value.trim();
      if (name !== '') this.emit('call', name);
    });
    el.userList.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-call]');
      if (button) this.emit('call', button.closest('li').dataset.name);
    });
    let searchTimer = null;
    el.search.addEventListener('input', () => {
      // Typing a name asks the server once the typing pauses, not at every key.
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => this.emit('search', el.search.value.trim()), SEARCH_DELAY_MS);
    });
    el.conversationList.addEventListener('click', (event) => {
      const item = event.target.closest('li[data-peer]');
      if (item) this.emit('open', item.dataset.peer);
    });
    el.hangup.addEventListener('click', () => this.emit('hangup'));
    this.#bindFiles(doc);
    el.deleteHistory.addEventListener('click', () => {
      if (!this.#open) return;
      el.deleteConfirmText.textContent = this.#t('history.confirm', { name: this.#open.peer });
      el.deleteConfirm.hidden = false;
      el.deleteNo.focus();
    });
    el.deleteNo.addEventListener('click', () => {
      el.deleteConfirm.hidden = true;
      el.deleteHistory.focus();
    });
    el.deleteYes.addEventListener('click', () => {
      el.deleteConfirm.hidden = true;
      this.emit('delete-history');
    });
    el.accept.addEventListener('click', () => this.emit('accept'));
    el.safetyVerify.addEventListener('click', () => this.emit('verify-peer'));
    el.safetyForget.addEventListener('click', () => this.emit('forget-peer'));
    el.safetyAccept.addEventListener('click', () => this.emit('accept-change'));
    el.decline.addEventListener('click', () => this.emit('decline'));
    el.notifyEnable.addEventListener('click', () => this.emit('notify-enable'));
    el.notifyPreviews.addEventListener('change', () => this.emit('notify-previews', el.notifyPreviews.checked));
    el.readReceipts.addEventListener('change', () => this.emit('read-receipts', el.readReceipts.checked));
    el.input.addEventListener('input', () => {
      if (el.input.value.trim() !== '') this.emit('typing');
    });
    // The same setting twice: in the bar, and in the incoming-call prompt (modal: the bar is out of reach).
    for (const toggle of [el.ringToggle, el.incomingMute]) {
      toggle.addEventListener('click', () => this.emit('ring-mute', toggle.getAttribute('aria-pressed') !== 'true'));
    }
    // Escape on the incoming-call dialog means "no".
    el.incoming.addEventListener('cancel', (event) => {
      event.preventDefault();
      this.emit('decline');
    });
    el.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#submitMessage();
    });
    el.input.addEventListener('keydown', (event) => {
      // Enter while an input method is composing (e.g. Zhuyin) picks a character; it must not send.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        this.#submitMessage();
      }
    });
    doc.addEventListener('visibilitychange', () => {
      if (!doc.hidden && this.#open) this.#markAllRead(this.#open);
    });
  }

  // Files come three ways: the attach button, dropped on the conversation, pasted in the composer.
  #bindFiles(doc) {
    const el = this.#el;
    const offer = (files) => {
      const list = [...(files ?? [])];
      if (list.length > 0 && !el.attach.disabled) this.emit('attach', list);
    };
    el.attach.addEventListener('click', () => el.fileInput.click());
    el.fileInput.addEventListener('change', () => {
      offer(el.fileInput.files);
      el.fileInput.value = '';
    });
    const card = el.conversationCard;
    const carriesFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
    card.addEventListener('dragover', (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      card.dataset.dropping = 'true';
    });
    card.addEventListener('dragleave', () => delete card.dataset.dropping);
    card.addEventListener('drop', (event) => {
      delete card.dataset.dropping;
      if (!event.dataTransfer?.files?.length) return;
      event.preventDefault();
      offer(event.dataTransfer.files);
    });
    el.input.addEventListener('paste', (event) => {
      const files = event.clipboardData?.files;
      if (!files?.length) return; // text is pasted as text
      event.preventDefault();
      offer(files);
    });
    el.messages.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-file-action]');
      const item = button?.closest('li[data-transfer]');
      if (item) this.emit(`file-${button.dataset.fileAction}`, item.dataset.transfer);
    });
    doc.addEventListener('dragover', (event) => {
      if (carriesFiles(event)) event.preventDefault(); // a file dropped beside the chat is not opened as a page
    });
    doc.addEventListener('drop', (event) => {
      if (carriesFiles(event)) event.preventDefault();
    });
  }

  #submitMessage() {
    const text = this.#el.input.value;
    if (this.#el.send.disabled || text.trim() === '') return;
    this.emit('send', text);
  }

  // --- connection -------------------------------------------------------------------------

  setConnection(state, text) {
    this.#el.connection.dataset.state = state;
    this.#el.connectionText.textContent = text;
  }

  notice(text, kind = 'info') {
    const note = element('p', { className: `notice ${kind}`, text, attrs: { 'data-testid': 'notice' } });
    this.#el.notices.append(note);
    setTimeout(() => note.remove(), NOTICE_MS);
  }

  // --- sign-in ----------------------------------------------------------------------------

  showSignIn({ name = '', error = '' } = {}) {
    this.#el.mainView.hidden = true;
    this.#el.signinView.hidden = false;
    this.#el.signinName.value = name;
    this.setSigningIn(false);
    this.setSignInError(error);
    this.#el.signinName.focus();
  }

  setSigningIn(busy) {
    this.#el.signinSubmit.disabled = busy;
    this.#el.signinSubmit.textContent = this.#t(busy ? 'signin.submitting' : 'signin.submit');
  }

  setSignInError(text) {
    this.#el.signinError.textContent = text;
    this.#el.signinName.setAttribute('aria-invalid', text ? 'true' : 'false');
  }

  showMain() {
    const wasHidden = this.#el.mainView.hidden;
    this.#el.signinView.hidden = true;
    this.#el.mainView.hidden = false;
    this.#el.alerts.hidden = false;
    if (wasHidden) this.#el.callName.focus();
  }

  // --- alerts: notifications and the ring -------------------------------------------------

  /**
   * permission: `default` (offer to turn them on), `granted`, `denied` (say how to change it),
   * `unsupported` (say nothing); hidePreviews: the option's state.
   */
  setNotifications({ permission, hidePreviews }) {
    const el = this.#el;
    el.notifyEnable.hidden = permission !== 'default';
    el.notifyPreviewsLabel.hidden = permission !== 'granted';
    el.notifyPreviews.checked = hidePreviews;
    const said = permission === 'granted' || permission === 'denied';
    el.notifyState.hidden = !said;
    el.notifyState.dataset.permission = permission;
    el.notifyState.textContent = said ? this.#t(`alerts.${permission}`) : '';
  }

  setRingMuted(muted) {
    for (const toggle of [this.#el.ringToggle, this.#el.incomingMute]) toggle.setAttribute('aria-pressed', String(muted));
  }

  setReadReceipts(on) {
    this.#el.readReceipts.checked = on;
  }

  /** `name` is typing (null: nobody) in the conversation with `peer` (default: `name`'s, or the open one). */
  setTyping(name, peer = name) {
    const conversation = this.#target(peer);
    if (!conversation) return;
    conversation.typing = name !== null;
    if (conversation === this.#open) this.#renderTyping(conversation);
  }

  #renderTyping(conversation) {
    const typing = this.#el.typing;
    typing.hidden = !conversation.typing;
    typing.textContent = conversation.typing ? this.#t('chat.typing', { name: conversation.peer }) : '';
  }

  // A peer's message counts as read once at least half of it was on screen while the page was in
  // front; each is reported once (`seen`).
  #reading = null;
  #onScreen = new Set();
  #reported = new Set();

  #watchReading(doc) {
    const Observer = doc.defaultView?.IntersectionObserver;
    if (!Observer) return;
    this.#reading = new Observer((entries) => {
      for (const entry of entries) {
        const id = entry.target.dataset.id;
        if (entry.isIntersecting) this.#onScreen.add(id);
        else this.#onScreen.delete(id);
      }
      this.#reportSeen(doc);
    }, { root: this.#el.messages, threshold: 0.5 });
    doc.addEventListener('visibilitychange', () => this.#reportSeen(doc));
  }

  #reportSeen(doc) {
    if (doc.hidden) return;
    for (const id of this.#onScreen) {
      if (this.#reported.has(id)) continue;
      this.#reported.add(id);
      this.emit('seen', id);
    }
  }

  /** Brings the composer forward (a message notification was clicked). */
  focusConversation() {
    if (!this.#el.input.disabled) this.#el.input.focus();
    else this.#el.messages.focus();
  }

  // --- people -----------------------------------------------------------------------------

  setUsers(names) {
    this.#users.clear();
    const sorted = [...new Set(names)].sort((a, b) => this.#collator.compare(a, b));
    this.#el.userList.replaceChildren(...sorted.map((name) => this.#userEntry(name)));
    this.#updateEmptyList();
  }

  addUser(name) {
    if (this.#users.has(name)) return;
    const item = this.#userEntry(name);
    const next = [...this.#el.userList.children].find((other) => this.#collator.compare(other.dataset.name, name) > 0);
    this.#el.userList.insertBefore(item, next ?? null);
    this.#updateEmptyList();
  }

  removeUser(name) {
    this.#users.get(name)?.remove();
    this.#users.delete(name);
    this.#updateEmptyList();
  }

  /** A new list item for `name`, remembered in #users (the caller puts it in the list). */
  #userEntry(name) {
    const item = element('li', { className: 'user', attrs: { 'data-testid': 'user' } });
    item.dataset.name = name;
    const avatar = element('span', { className: 'avatar', text: initial(name), attrs: { 'aria-hidden': 'true' } });
    const label = element('span', { className: 'user-name', text: name, attrs: { 'data-testid': 'user-name' } });
    const button = element('button', {
      className: 'button small',
      text: this.#t('people.call'),
      attrs: { type: 'button', 'data-call': '', 'data-testid': 'call-user', 'aria-label': this.#t('people.call-label', { name }) },
    });
    item.append(avatar, label, button);
    this.#users.set(name, item);
    return item;
  }

  #updateEmptyList() {
    // In a large deployment the directory's summary says what the list shows, empty or not.
    this.#el.userListEmpty.hidden = this.#el.userList.children.length > 0 || !this.#el.directory.hidden;
  }

  /** {shown, total, prefix}: total null shows everyone (no search box); otherwise "shown of total". */
  setDirectory({ shown, total, prefix }) {
    const { directory, directorySummary } = this.#el;
    directory.hidden = total === null;
    this.#updateEmptyList();
    if (total === null) return;
    const count = new Intl.NumberFormat(this.#language);
    directorySummary.textContent = prefix === ''
      ? this.#t('people.directory', { shown: count.format(shown), total: count.format(total) })
      : this.#t(total === 0 ? 'people.none-found' : 'people.found',
        { shown: count.format(shown), total: count.format(total), prefix });
  }

  clearCallName() {
    this.#el.callName.value = '';
  }

  // --- the call ---------------------------------------------------------------------------

  // --- conversations ----------------------------------------------------------------------

  /** The conversation with `peer`, made (and listed) if there was none. */
  #conversation(peer) {
    const key = nameKey(peer);
    let conversation = this.#conversations.get(key);
    if (conversation) {
      conversation.peer = peer; // the server's latest spelling
      return conversation;
    }
    conversation = {
      peer, state: 'idle', items: [], unread: 0, typing: false, composer: false, draft: '', route: null,
      safety: null, entry: null,
    };
    const entry = element('li', { attrs: { 'data-testid': 'conversation' } });
    const tab = element('button', { className: 'conversation-tab', attrs: { type: 'button' } });
    tab.append(
      element('span', { className: 'dot', attrs: { 'aria-hidden': 'true' } }),
      element('span', { className: 'conversation-name', text: peer, attrs: { 'data-testid': 'conversation-name' } }),
      element('span', { className: 'unread-badge', attrs: { 'data-testid': 'conversation-unread', hidden: '' } }),
    );
    entry.append(tab);
    conversation.entry = entry;
    this.#conversations.set(key, conversation);
    this.#el.conversationList.append(entry);
    this.#el.conversations.hidden = false;
    this.#renderEntry(conversation);
    return conversation;
  }

  /** The conversation a change is for: `peer`'s, or without one the open conversation. */
  #target(peer) {
    if (typeof peer === 'string' && peer !== '') return this.#conversation(peer);
    return this.#open;
  }

  #renderEntry(conversation) {
    const { entry, peer, state, unread } = conversation;
    entry.dataset.peer = peer;
    entry.dataset.state = state;
    entry.dataset.unread = String(unread);
    const tab = entry.firstChild;
    tab.setAttribute('aria-current', String(conversation === this.#open));
    const label = [this.#t('conversations.open', { name: peer }), this.#t(`call.${state}`, { name: peer })];
    if (unread > 0) label.push(this.#t('conversations.unread', { count: unread }));
    tab.setAttribute('aria-label', label.join('. '));
    const badge = tab.querySelector('.unread-badge');
    badge.hidden = unread === 0;
    badge.textContent = unread > 0 ? String(unread) : '';
  }

  /** Lists a conversation with `peer` (one kept from before, say) without opening it. */
  listConversation(peer) {
    this.#conversation(peer);
  }

  /**
   * What was said with `peer` before (history.js: [{id, text, ts, own, state}], oldest first),
   * shown above what is said now; a message already shown is not shown twice.
   */
  addHistory(peer, messages) {
    const conversation = this.#conversation(peer);
    const items = messages.filter(({ id }) => typeof id === 'string' && !this.#byId.has(id)).map((message) => {
      const item = this.#messageItem({ ...message, author: conversation.peer });
      item.dataset.history = 'true';
      this.#byId.set(message.id, item);
      return item;
    });
    if (items.length === 0) return;
    conversation.items.unshift(...items);
    if (conversation === this.#open) {
      this.#el.messages.prepend(...items);
      this.#el.messages.scrollTop = this.#el.messages.scrollHeight;
    }
  }

  /** The history of the conversation with `peer` was deleted: its messages go from the page too. */
  clearConversation(peer) {
    const conversation = this.#conversation(peer);
    for (const item of conversation.items) {
      if (item.dataset.id) this.#byId.delete(item.dataset.id);
    }
    conversation.items = [];
    if (conversation === this.#open) this.#el.messages.replaceChildren();
    this.announce(this.#t('history.deleted', { name: conversation.peer }));
  }

  /**
   * Shows the conversation with `peer`: its messages, call, safety code, typing and composer; what
   * was written but not sent in the one on screen before waits there.
   */
  openConversation(peer) {
    const conversation = this.#conversation(peer);
    const before = this.#open;
    if (before === conversation) return;
    if (before) before.draft = this.#el.input.value;
    this.#open = conversation;
    if (before) this.#renderEntry(before);
    this.#reading?.disconnect();
    this.#onScreen.clear();
    this.#el.messages.replaceChildren(...conversation.items);
    for (const item of conversation.items) {
      if (item.dataset.own === 'false' && item.dataset.id) this.#reading?.observe(item);
    }
    this.#el.messages.scrollTop = this.#el.messages.scrollHeight;
    this.#el.input.value = conversation.draft;
    this.#renderCall(conversation);
    this.#renderRoute(conversation);
    this.#renderSafety(conversation);
    this.#renderTyping(conversation);
    this.#renderComposer(conversation, false);
    this.#el.deleteHistory.hidden = false;
    this.#el.deleteConfirm.hidden = true;
    if (!document.hidden) this.#markAllRead(conversation);
    this.#renderEntry(conversation);
  }

  #markAllRead(conversation) {
    conversation.unread = 0;
    this.#renderEntry(conversation);
    this.#updateTitle();
  }

  // --- the call ---------------------------------------------------------------------------

  /** The call with `peer` is in `state`: idle | calling | ringing | connecting | connected | interrupted | ended */
  setCall(state, peer = '') {
    const conversation = this.#target(peer);
    if (!conversation) return;
    conversation.state = state;
    if (state !== 'connected') conversation.route = null;
    this.#renderEntry(conversation);
    if (conversation === this.#open) {
      this.#renderCall(conversation);
      this.#renderRoute(conversation);
    }
  }

  #renderCall({ state, peer }) {
    const status = this.#el.callStatus;
    status.dataset.state = state;
    status.dataset.peer = peer;
    this.#el.callText.textContent = this.#t(`call.${state}`, { name: peer });
    const live = state === 'calling' || state === 'connecting' || state === 'connected' || state === 'interrupted';
    this.#el.hangup.hidden = !live;
    // Phones give the whole screen to the conversation during a call (see the stylesheet).
    this.#el.mainView.dataset.inCall = String(live);
    this.#el.hangup.textContent = this.#t(state === 'calling' ? 'call.cancel' : 'call.hangup');
  }

  /** The path the call with `peer` takes now (null: none known). */
  setRoute(route, peer) {
    const conversation = this.#target(peer);
    if (!conversation) return;
    conversation.route = route;
    if (conversation === this.#open) this.#renderRoute(conversation);
  }

  #renderRoute({ route }) {
    this.#el.route.hidden = route === null;
    if (route === null) return;
    const where = (end) => `${end.address}:${end.port}`;
    const relayed = route.local.type === 'relay' || route.remote.type === 'relay';
    this.#el.routeText.textContent = this.#t(relayed ? 'call.route-relay' : 'call.route-direct', {
      protocol: (route.local.protocol ?? '').toUpperCase(),
      local: where(route.local),
      remote: where(route.remote),
    });
    this.#el.route.dataset.local = route.local.address ?? '';
    this.#el.route.dataset.remote = route.remote.address ?? '';
  }

  /**
   * The call's safety code and trust (verification.js's state, with the peer's `name`), or null
   * to hide them (then `peer` says whose). A changed code is announced; the text says what the
   * person can do.
   */
  setSafety(state, peer = state?.name) {
    const conversation = this.#target(peer);
    if (!conversation) return;
    conversation.safety = state;
    if (state === null) conversation.changeAnnounced = false;
    if (conversation === this.#open) this.#renderSafety(conversation);
  }

  #renderSafety(conversation) {
    const el = this.#el;
    const state = conversation.safety;
    el.safety.hidden = state === null;
    if (state === null) return;
    const { trust, code, exchange, reason, acknowledged } = state;
    const name = conversation.peer;
    el.safety.dataset.trust = trust;
    el.safety.dataset.exchange = exchange;
    el.safetyCodeRow.hidden = code === null;
    el.safetyCode.textContent = code ?? '';
    // Read as digits, group by group ("1 2 3 4, 5 6 7 8…"), not as one large number.
    if (code !== null) el.safetyCode.setAttribute('aria-label', code.split(' ').map((g) => [...g].join(' ')).join(', '));
    const t = this.#t;
    el.safetyStatusText.textContent = t(`safety.trust.${trust}`, { name });
    let help;
    if (exchange === 'failed') {
      help = t(`safety.failed.${reason}`, { name });
    } else if (exchange === 'unavailable') {
      help = t('safety.insecure-page');
    } else if (exchange === 'pending') {
      help = t('safety.pending', { name });
    } else if (trust === 'changed') {
      help = t(acknowledged ? 'safety.help.changed-accepted' : 'safety.help.changed', { name });
    } else {
      help = t(`safety.help.${trust}`, { name });
    }
    el.safetyHelp.textContent = help;
    el.safetyVerify.hidden = code === null || trust === 'verified' || trust === 'unavailable' || trust === 'checking';
    el.safetyAccept.hidden = !(trust === 'changed' && !acknowledged);
    el.safetyForget.hidden = trust !== 'verified';
    if (trust === 'changed' && !conversation.changeAnnounced) {
      conversation.changeAnnounced = true;
      this.announce(`${t('safety.trust.changed', { name })} ${help}`);
    }
  }

  /**
   * Asks whether to take `name`'s call. `quiet`: another call goes on, so the prompt sits in a
   * corner without taking the focus from what the person is writing (not modal: Tab reaches it).
   */
  showIncoming(name, { quiet = false } = {}) {
    const dialog = this.#el.incoming;
    this.#el.incomingText.textContent = this.#t('incoming.text', { name });
    dialog.dataset.caller = name;
    dialog.dataset.quiet = String(quiet);
    if (dialog.open && dialog.matches(':modal') === quiet) dialog.close();
    if (!dialog.open && quiet) {
      // show() moves the focus into the dialog, as showModal() does: give it back to where it was.
      const had = document.activeElement;
      dialog.show();
      if (had instanceof HTMLElement && had !== document.body) had.focus();
    } else if (!dialog.open) {
      dialog.showModal();
    }
    if (!quiet) this.#el.accept.focus();
    this.announce(this.#t('call.ringing', { name }));
  }

  hideIncoming() {
    if (this.#el.incoming.open) this.#el.incoming.close();
  }

  // --- the conversation -------------------------------------------------------------------

  /** Whether messages can be written to `peer` now (without `peer`: in the open conversation). */
  setComposerEnabled(open, peer) {
    const conversation = this.#target(peer);
    if (!conversation) return;
    conversation.composer = open;
    if (conversation === this.#open) this.#renderComposer(conversation, true);
  }

  #renderComposer({ composer }, focus) {
    const { input, send, attach } = this.#el;
    const wasDisabled = input.disabled;
    input.disabled = !composer;
    send.disabled = !composer;
    attach.disabled = !composer;
    input.placeholder = this.#t(composer ? 'chat.placeholder' : 'chat.placeholder-closed');
    if (focus && composer && wasDisabled) input.focus();
  }

  clearComposer() {
    this.#el.input.value = '';
    this.#el.input.focus();
  }

  /**
   * message: {id, text, ts, own, author, peer (whose conversation; a peer's message: the author's),
   * queued (own, waiting for the connection)}
   */
  addMessage({ id, text, ts, own, author, peer = own ? undefined : author, queued = false }) {
    const conversation = this.#target(peer);
    if (!conversation) return;
    const item = this.#messageItem({ id, text, ts, own, author, state: queued ? 'queued' : 'sent' });
    if (id) this.#byId.set(id, item);
    this.#append(conversation, item, own);
    if (own) return;
    const onScreen = conversation === this.#open;
    if (onScreen && id) this.#reading?.observe(item);
    // Someone typing to another person hears that a message came, not what it says.
    this.announce(onScreen ? this.#t('chat.announce', { name: author, text })
      : this.#t('conversations.new-message', { name: conversation.peer }));
    if (document.hidden || !onScreen) {
      conversation.unread += 1;
      this.#renderEntry(conversation);
      this.#updateTitle();
    }
  }

  /** A message's list item; `state` (own messages): queued, sent, delivered or read. */
  #messageItem({ id, text, ts, own, author, state }) {
    const item = element('li', { className: `message ${own ? 'own' : 'peer'}`, attrs: { 'data-testid': 'message' } });
    item.dataset.own = String(own);
    if (id) item.dataset.id = id;
    const bubble = element('div', { className: 'bubble' });
    const who = element('span', { className: 'author', text: own ? this.#t('chat.you') : author });
    const body = element('p', { className: 'text', text, attrs: { 'data-testid': 'message-text' } });
    const meta = element('span', { className: 'meta' });
    const date = new Date(ts);
    const time = element('time', { text: this.#time.format(date), attrs: { datetime: date.toISOString() } });
    meta.append(time);
    if (own) {
      const status = element('span', { className: 'status', attrs: { 'data-testid': 'message-status' } });
      this.#setStatus(status, PROGRESS.includes(state) ? state : 'sent');
      meta.append(status);
    }
    bubble.append(who, body, meta);
    item.append(bubble);
    return item;
  }

  #setStatus(status, state) {
    status.dataset.state = state;
    const text = this.#t(`chat.${state}`);
    status.textContent = state === 'delivered' ? `✓ ${text}` : state === 'read' ? `✓✓ ${text}` : text;
  }

  /**
   * A file transfer with `peer` (files.js's view of it): made the first time, changed after. Its
   * name is only ever text; a received picture shows inline, anything else is a download link.
   */
  showTransfer(peer, view) {
    const conversation = this.#target(peer);
    if (!conversation) return;
    let item = this.#transferItems.get(view.id);
    const isNew = !item;
    if (isNew) {
      item = this.#transferItem(conversation, view);
      this.#transferItems.set(view.id, item);
      this.#append(conversation, item, view.direction === 'out');
    }
    this.#renderTransfer(item, conversation, view);
    if (isNew && view.direction === 'in' && view.state === 'asking') {
      const onScreen = conversation === this.#open;
      this.announce(this.#t('files.offer-announce', { name: conversation.peer, file: view.name, size: this.#bytes(view.size) }));
      if (document.hidden || !onScreen) {
        conversation.unread += 1;
        this.#renderEntry(conversation);
        this.#updateTitle();
      }
    }
  }

  #transferItem(conversation, view) {
    const own = view.direction === 'out';
    const item = element('li', { className: `message file ${own ? 'own' : 'peer'}`, attrs: { 'data-testid': 'file' } });
    item.dataset.transfer = view.id;
    item.dataset.own = String(own);
    const bubble = element('div', { className: 'bubble' });
    bubble.append(
      element('span', { className: 'author', text: own ? this.#t('files.you-send') : this.#t('files.they-send', { name: conversation.peer }) }),
      element('p', { className: 'file-name', text: view.name, attrs: { 'data-testid': 'file-name', dir: 'auto' } }),
      element('p', { className: 'file-status', attrs: { 'data-testid': 'file-status' } }),
      element('progress', {
        attrs: { 'data-testid': 'file-progress', max: String(Math.max(view.size, 1)), value: '0', 'aria-label': view.name },
      }),
      element('div', { className: 'file-actions' }),
    );
    item.append(bubble);
    return item;
  }

  #renderTransfer(item, conversation, view) {
    const t = this.#t;
    const name = conversation.peer;
    const changed = item.dataset.state !== view.state;
    item.dataset.state = view.state;
    item.dataset.done = String(view.done);
    item.dataset.size = String(view.size);
    if (view.reason) item.dataset.reason = view.reason;
    if (view.sha256) item.dataset.sha256 = view.sha256;
    const percent = new Intl.NumberFormat(this.#language, { style: 'percent' })
      .format(view.size > 0 ? Math.floor((view.done / view.size) * 100) / 100 : 1);
    let status;
    switch (view.state) {
      case 'sending': case 'receiving':
        status = t(`files.state.${view.state}`, { percent });
        if (view.speed) status += ` · ${t('files.rate', { speed: this.#bytes(view.speed), time: this.#duration(view.secondsLeft) })}`;
        break;
      case 'done': case 'declined': status = t(`files.state.${view.state}-${view.direction}`, { name }); break;
      case 'cancelled': status = t(`files.state.cancelled-${view.reason}`, { name }); break;
      case 'failed': status = t(`files.state.failed-${view.reason}`, { max: this.#bytes(MAX_FILE_BYTES) }); break;
      default: status = t(`files.state.${view.state}`, { name });
    }
    const type = view.mime || t('files.unknown-type');
    item.querySelector('.file-status').textContent = `${this.#bytes(view.size)} · ${type} · ${status}`;
    // How it ended is said aloud; progress is on the progress bar.
    if (changed && ['done', 'declined', 'cancelled', 'failed'].includes(view.state) && conversation === this.#open) {
      this.announce(`${view.name}: ${status}`);
    }
    const progress = item.querySelector('progress');
    progress.value = view.size > 0 ? view.done : (view.state === 'done' ? 1 : 0);
    progress.hidden = !['sending', 'receiving', 'paused'].includes(view.state);
    const actions = item.querySelector('.file-actions');
    const button = (action, kind = '') => {
      const b = element('button', {
        className: `button small ${kind}`.trim(), text: t(`files.${action}`),
        attrs: { type: 'button', 'data-file-action': action, 'data-testid': `file-${action}` },
      });
      return b;
    };
    const wanted = view.state === 'asking' ? ['accept', 'decline']
      : ['hashing', 'offered', 'sending', 'receiving', 'paused'].includes(view.state) ? ['cancel'] : [];
    if (actions.dataset.shows !== wanted.join()) {
      actions.dataset.shows = wanted.join();
      actions.replaceChildren(...wanted.map((action) => button(action, action === 'accept' ? 'primary' : '')));
    }
    if (view.url && !item.querySelector('.file-preview, .file-download')) {
      const bubble = item.querySelector('.bubble');
      if (previewable(view.mime)) {
        bubble.append(element('img', { className: 'file-preview', attrs: { src: view.url, alt: view.name, 'data-testid': 'file-preview' } }));
      } else if (view.direction === 'in') {
        const link = element('a', {
          className: 'file-download', text: t('files.save', { name: view.name }),
          attrs: { href: view.url, download: view.name, 'data-testid': 'file-download' },
        });
        bubble.append(link);
      }
    }
  }

  #bytes(count) {
    const units = ['B', 'KB', 'MB', 'GB'];
    let value = count;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    const digits = unit === 0 || value >= 100 ? 0 : 1;
    return `${new Intl.NumberFormat(this.#language, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
  }

  #duration(seconds) {
    if (seconds === null || !Number.isFinite(seconds)) return '…';
    const unit = seconds < 90 ? 'second' : 'minute';
    const value = unit === 'second' ? seconds : Math.round(seconds / 60);
    return new Intl.NumberFormat(this.#language, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
  }

  /** A queued message went out. */
  markSent(id) {
    const status = this.#ownStatus(id);
    if (status?.dataset.state === 'queued') this.#setStatus(status, 'sent');
  }

  markDelivered(id) {
    const status = this.#ownStatus(id);
    if (status && status.dataset.state !== 'read') this.#setStatus(status, 'delivered');
  }

  markRead(id) {
    const status = this.#ownStatus(id);
    if (status) this.#setStatus(status, 'read');
  }

  #ownStatus(id) {
    const item = this.#byId.get(id);
    return item?.dataset.own === 'true' ? item.querySelector('.status') : null;
  }

  /** A line about the call with `peer` (without `peer`: in the open conversation). */
  addSystemMessage(text, kind = 'info', peer) {
    const conversation = this.#target(peer);
    if (!conversation) return;
    const item = element('li', { className: `system ${kind}`, text, attrs: { 'data-testid': 'system-message' } });
    this.#append(conversation, item, true);
    if (conversation === this.#open) this.announce(text);
  }

  announce(text) {
    // Re-setting the same text would not be announced again; clear first.
    this.#el.announcer.textContent = '';
    setTimeout(() => { this.#el.announcer.textContent = text; }, 50);
  }

  #append(conversation, item, forceFollow) {
    conversation.items.push(item);
    if (conversation !== this.#open) return;
    const list = this.#el.messages;
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < FOLLOW_THRESHOLD_PX;
    list.append(item);
    if (forceFollow || nearBottom) list.scrollTop = list.scrollHeight;
  }

  /** The tab's title and icon count what arrived unseen, in every conversation. */
  #updateTitle() {
    let count = 0;
    for (const conversation of this.#conversations.values()) count += conversation.unread;
    const title = this.#t('app.title');
    document.title = count > 0 ? `(${count}) ${title}` : title;
    // The tab's icon carries a red dot while something is unread.
    this.#el.favicon.setAttribute('href', count > 0 ? 'img/icon-unread.svg' : 'img/icon.svg');
    this.#el.favicon.dataset.unread = String(count);
  }
}

function initial(name) {
  const first = [...name.trim()][0] ?? '?';
  return first.toLocaleUpperCase();
}
