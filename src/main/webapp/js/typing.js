// "typing…": the writer's side says so at most every SEND_EVERY_MS while keys are pressed, and that
// it stopped STOP_AFTER_MS after the last key or when the message is sent; the reader's side shows
// it until told it stopped, a message arrives, or nothing has been heard for HIDE_AFTER_MS.

export const SEND_EVERY_MS = 2_000;
export const STOP_AFTER_MS = 5_000;
export const HIDE_AFTER_MS = 6_000;

/** The writer's side: `send(active)` goes to the peer (ChatChannel.sendTyping). */
export class TypingSignal {
  #send;
  #lastSent = -Infinity;
  #active = false;
  #stopTimer = null;

  constructor(send) {
    this.#send = send;
  }

  /** A key was pressed in the composer (with text in it). */
  keystroke(now = Date.now()) {
    if (!this.#active || now - this.#lastSent >= SEND_EVERY_MS) {
      this.#active = true;
      this.#lastSent = now;
      this.#send(true);
    }
    clearTimeout(this.#stopTimer);
    this.#stopTimer = setTimeout(() => this.stop(), STOP_AFTER_MS);
  }

  /** The message was sent, the composer emptied, or the call ended. */
  stop() {
    clearTimeout(this.#stopTimer);
    this.#stopTimer = null;
    if (!this.#active) return;
    this.#active = false;
    this.#send(false);
  }
}

/** The reader's side: `show(visible)` puts the indicator up or takes it down. */
export class TypingIndicator {
  #show;
  #visible = false;
  #hideTimer = null;

  constructor(show) {
    this.#show = show;
  }

  heard(active) {
    clearTimeout(this.#hideTimer);
    if (active) this.#hideTimer = setTimeout(() => this.clear(), HIDE_AFTER_MS);
    this.#set(active);
  }

  /** A message arrived (typing is over), or the call ended. */
  clear() {
    clearTimeout(this.#hideTimer);
    this.#set(false);
  }

  #set(visible) {
    if (visible === this.#visible) return;
    this.#visible = visible;
    this.#show(visible);
  }
}
