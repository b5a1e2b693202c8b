// How the page compares user names: exactly as the server does (protocol/Names.java), so that a
// name typed in another case or spelling (STRASSE for Straße) still reaches the same person.

/**
 * The key the server compares names by (Names.key): NFC, then upper- and lower-cased (so ß, SS
 * and ss are one name), then NFC again.
 */
export function nameKey(name) {
  return name.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/** Whether two names are the same user, as the server decides it. */
export function sameName(a, b) {
  return typeof a === 'string' && typeof b === 'string' && nameKey(a) === nameKey(b);
}

/**
 * A strict order on names that both ends compute alike. When two calls cross (glare), the
 * smaller name's offer wins; the larger name is the "polite" side that yields.
 */
export function outranks(self, peer) {
  const a = nameKey(self);
  const b = nameKey(peer);
  if (a !== b) return a < b;
  return self < peer;
}
