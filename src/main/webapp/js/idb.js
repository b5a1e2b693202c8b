// The records of history.js and identity.js: one small store interface over an IndexedDB
// database, and the same in memory (for the Node tests, and for a browser without IndexedDB).
// `schema` names each object store and its key path: a field name, or a list of them.

/**
 * Records in the IndexedDB database `name` (version 1, made from `schema` on first use):
 * `get(store, key)`, `put(store, record)`, `delete(store, key)` and, for stores keyed by a
 * list, `list(store, prefix)` and `deleteAll(store, prefix)` for every key starting with
 * `prefix`. The connection is opened at the first call and given up when another tab deletes or
 * upgrades the database (site data cleared), so this page never holds that up.
 */
export function indexedDbStore(name, schema, factory = globalThis.indexedDB) {
  let opened = null;
  const database = () => {
    opened ??= new Promise((resolve, reject) => {
      const request = factory.open(name, 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        for (const [store, keyPath] of Object.entries(schema)) {
          if (!db.objectStoreNames.contains(store)) db.createObjectStore(store, { keyPath });
        }
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => {
          db.close();
          opened = null;
        };
        resolve(db);
      };
      request.onerror = () => {
        opened = null;
        reject(request.error);
      };
      request.onblocked = () => console.warn(`textchat: the database ${name} is held by another tab`);
    });
    return opened;
  };
  const run = async (store, mode, action) => {
    const db = await database();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(store, mode);
      const request = action(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? request.error);
      transaction.onabort = () => reject(transaction.error ?? new Error('the transaction was aborted'));
    });
  };
  // Every key that starts with `prefix`: arrays sort after strings, so [...prefix, []] bounds them.
  const startingWith = (prefix) => IDBKeyRange.bound(prefix, [...prefix, []]);
  return {
    get: (store, key) => run(store, 'readonly', (s) => s.get(key)),
    put: (store, record) => run(store, 'readwrite', (s) => s.put(record)),
    delete: (store, key) => run(store, 'readwrite', (s) => s.delete(key)),
    list: (store, prefix) => run(store, 'readonly', (s) => s.getAll(startingWith(prefix))),
    deleteAll: (store, prefix) => run(store, 'readwrite', (s) => s.delete(startingWith(prefix))),
  };
}

/**
 * Records in memory, keyed as indexedDbStore keys them. Records are copied in and out as
 * IndexedDB copies them (`clone`), unless they hold what cannot be copied outside a browser
 * (identity.js's certificates): then pass `clone: (record) => record`.
 */
export function memoryStore(schema, { clone = structuredClone } = {}) {
  const keyOf = (store, record) => {
    const keyPath = schema[store];
    return Array.isArray(keyPath) ? keyPath.map((field) => record[field]) : record[keyPath];
  };
  const stores = new Map();
  const of = (store) => {
    if (!stores.has(store)) stores.set(store, new Map());
    return stores.get(store);
  };
  const id = (key) => JSON.stringify(key);
  const under = (store, prefix) => [...of(store).values()]
    .filter((record) => prefix.every((part, i) => keyOf(store, record)[i] === part));
  return {
    get: async (store, key) => {
      const record = of(store).get(id(key));
      return record === undefined ? undefined : clone(record);
    },
    put: async (store, record) => { of(store).set(id(keyOf(store, record)), clone(record)); },
    delete: async (store, key) => { of(store).delete(id(key)); },
    list: async (store, prefix) => under(store, prefix).map((record) => clone(record)),
    deleteAll: async (store, prefix) => {
      for (const record of under(store, prefix)) of(store).delete(id(keyOf(store, record)));
    },
  };
}
