package local.textchat.fuzz;

/** One thing the endpoint fuzzer does to one of its sockets ({@code slot}). */
sealed interface Step {

    int slot();

    /** Send a text frame. */
    record Text(int slot, String frame) implements Step {
        @Override
        public String toString() {
            return "#" + slot + " text " + (frame.length() > 160 ? frame.substring(0, 160) + "… (" + frame.length()
                    + " chars)" : frame);
        }
    }

    /** Send a binary frame of {@code size} bytes. */
    record Binary(int slot, int size) implements Step {
    }

    /** Send a text (or binary) frame over the 64 KiB limit. */
    record Oversized(int slot, int size, boolean binary) implements Step {
    }

    /**
     * Answer, trickle to, decline or leave someone this slot's user is in a call with ({@code kind}:
     * answer, candidate, end-of-candidates, decline, leave), carrying {@code text}; nothing if there is no one.
     */
    record Reply(int slot, String kind, String text) implements Step {
    }

    /** Log in with the name and resume token of whoever is on {@code holder} (taking it over). */
    record TakeOver(int slot, int holder) implements Step {
    }

    /** Reconnect the slot on a raw TCP socket, which can later vanish without a close handshake. */
    record ConnectRaw(int slot) implements Step {
    }

    /** Vanish without a close handshake (a raw socket) or close cleanly; then maybe resume at once. */
    record Drop(int slot, boolean resume) implements Step {
    }

    /** Close cleanly. */
    record Close(int slot) implements Step {
    }
}
