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
