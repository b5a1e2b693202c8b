package local.textchat.browser;

import java.net.URI;
import java.util.List;

/**
 * One running browser, whichever engine: it opens tabs on a page and keeps what they logged to
 * the console. Tests never see this; they get {@link ChatTab}s from {@link BrowserHarness}.
 */
interface Browser extends AutoCloseable {

    /** The browsers the tests drive: Chromium through chromedriver, Firefox over WebDriver BiDi. */
    enum Kind {
        CHROMIUM("Chromium"), FIREFOX("Firefox");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * Runs in every page before its own scripts: lets a test read the page's RTCPeerConnections
     * (getStats) and when they changed state, what the page's Content-Security-Policy blocked,
     * and the notifications and audio contexts it made, without the app exposing any of it.
     */
    String PAGE_PROBE = """
            (() => {
              const peerConnections = [];
              // When each connection was made and changed state (epoch ms, comparable across tabs).
              const events = [];
              const cspViolations = [];
              // The system notifications the page made (title, options, the object itself) and its
              // audio contexts: the browser really makes them; the test only keeps a hand on them.
              const notifications = [];
              const audioContexts = [];
              Object.defineProperty(window, '__textchatTest',
                  { value: { peerConnections, events, cspViolations, notifications, audioContexts } });
              const keep = (name, list, record) => {
                const Native = window[name];
                if (!Native) return;
                window[name] = new Proxy(Native, {
                  construct(target, args, newTarget) {
                    const made = Reflect.construct(target, args, newTarget);
                    list.push(record(made, args));
                    return made;
                  },
                });
              };
              keep('Notification', notifications, (made, [title, options = {}]) => ({
                title, tag: options.tag, body: options.body, hidden: document.hidden, at: Date.now(), made }));
              keep('AudioContext', audioContexts, (made) => made);
              // What the page sent on its data channels (text frames), for checks "on the wire".
              const channelSends = [];
              window.__textchatTest.channelSends = channelSends;
              // Binary frames (file chunks): how many bytes went out, and the most the channel had
              // buffered when another was sent (the sender's backpressure, sampled at every send).
              const binarySends = { bytes: 0, frames: 0, largest: 0, maxBuffered: 0 };
              window.__textchatTest.binarySends = binarySends;
              if (window.RTCDataChannel) {
                const send = RTCDataChannel.prototype.send;
                RTCDataChannel.prototype.send = function (data) {
                  if (typeof data === 'string') {
                    channelSends.push({ label: this.label, data, at: Date.now() });
                  } else {
                    const size = data.byteLength ?? data.size ?? 0;
                    binarySends.bytes += size;
                    binarySends.frames += 1;
                    binarySends.largest = Math.max(binarySends.largest, size);
                    binarySends.maxBuffered = Math.max(binarySends.maxBuffered, this.bufferedAmount);
                  }
                  return send.call(this, data);
                };
              }
              // The page's WebSockets, so that a test can close them as a page closed for good would.
              const sockets = [];
              window.__textchatTest.sockets = sockets;
              keep('WebSocket', sockets, (made) => made);
              document.addEventListener('securitypolicyviolation',
                  (e) => cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`));
              const Native = window.RTCPeerConnection;
              if (!Native) return;
              window.RTCPeerConnection = new Proxy(Native, {
                construct(target, args, newTarget) {
                  const pc = Reflect.construct(target, args, newTarget);
                  const index = peerConnections.push(pc) - 1;
                  const log = (kind, state) => events.push({ pc: index, kind, state, at: performance.timeOrigin + performance.now() });
                  log('created', 'new');
                  pc.addEventListener('iceconnectionstatechange', () => log('ice', pc.iceConnectionState));
                  pc.addEventListener('connectionstatechange', () => log('connection', pc.connectionState));
                  return pc;
                },
              });
            })();
            """;

    Kind kind();

    /** A new tab showing {@code page}, with {@link #PAGE_PROBE} in it; the first may reuse the start window. */
    BrowserTab openTab(URI page);

    /** Everything the tabs logged to the console so far, one "LEVEL text" line per entry. */
    List<String> consoleLog();

    /** Ends the browser and removes its profile; never throws. */
    @Override
    void close();
}
