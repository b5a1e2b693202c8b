// A tiny typed-event emitter: modules talk through `on('offer', …)`, never through globals.
export class Emitter {
  #handlers = new Map();

  /** Subscribes to one event type; returns a function that unsubscribes. */
  on(type, handler) {
    if (!this.#handlers.has(type)) {
      this.#handlers.set(type, new Set());
    }
    this.#handlers.get(type).add(handler);
    return () => this.off(type, handler);
  }

  off(type, handler) {
    this.#handlers.get(type)?.delete(handler);
  }

  emit(type, detail) {
    // Copy first, so a handler that unsubscribes does not disturb this round.
    for (const handler of [...(this.#handlers.get(type) ?? [])]) {
      try {
        handler(detail);
      } catch (error) {
        // One broken listener must not silence the others.
        console.error(`textchat: a "${type}" listener failed`, error);
      }
    }
  }
}
