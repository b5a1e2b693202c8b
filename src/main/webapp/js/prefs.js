// The person's choices this browser remembers (localStorage): small strings under textchat.* keys.
// Where storage is blocked (some private modes) a choice lasts as long as the page.

const fallback = new Map();

export function readPref(storage, key) {
  try {
    if (storage) return storage.getItem(key);
  } catch {
    // blocked: the page's own memory below
  }
  return fallback.get(key) ?? null;
}

export function writePref(storage, key, value) {
  try {
    if (storage) {
      storage.setItem(key, value);
      return;
    }
  } catch {
    // not remembered across reloads
  }
  fallback.set(key, value);
}

const READ_RECEIPTS_KEY = 'textchat.readReceipts';

/** The choices app.js needs (notify.js and ring.js keep their own). */
export class Preferences {
  #storage;

  /** `storage`: localStorage; by default a fresh memory that lasts as long as this object. */
  constructor(storage = memoryStorage()) {
    this.#storage = storage;
  }

  /** Whether we tell peers we read their messages (and so see whether they read ours). Default on. */
  get readReceipts() {
    return readPref(this.#storage, READ_RECEIPTS_KEY) !== 'false';
  }

  set readReceipts(on) {
    writePref(this.#storage, READ_RECEIPTS_KEY, String(Boolean(on)));
  }
}

/** The browser's localStorage, or undefined where the page may not use it. */
export function browserStorage() {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined; // blocked (some private modes, sandboxed frames)
  }
}

function memoryStorage() {
  const items = new Map();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => items.set(key, String(value)) };
}
