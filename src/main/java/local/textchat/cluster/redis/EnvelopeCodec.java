package local.textchat.cluster.redis;

import java.util.ArrayList;
import java.util.List;

import local.textchat.protocol.Relay;
import local.textchat.cluster.Envelope;
import local.textchat.cluster.Envelope.Member;

/**
 * Envelopes as the text of a Redis pub/sub message: lines, the first naming the sending node and
 * the second the kind, then the fields; a relayed message comes last as its JSON (which has no
 * line breaks). Names cannot hold control characters (PROTOCOL.md), so a line break or a tab never
 * occurs inside a field.
 */
final class EnvelopeCodec {

    /** A decoded message: who sent it, and what. */
    record Decoded(String origin, Envelope envelope) {
    }

    private EnvelopeCodec() {
    }

    static String encode(String origin, Envelope envelope) {
        StringBuilder text = new StringBuilder(128).append(origin).append('\n');
        if (envelope instanceof Envelope.Relay r) {
            line(text.append("relay\n"), r.from()).append(r.to()).append('\n').append(r.forwarded() ? '1' : '0')
                    .append('\n').append(r.relay().kind().name()).append('\n').append(r.relay().frame());
        } else if (envelope instanceof Envelope.Deliver d) {
            text.append("deliver\n").append(d.to()).append('\n').append(d.forwarded() ? '1' : '0').append('\n')
                    .append(d.frame());
        } else if (envelope instanceof Envelope.Joined j) {
            line(text.append("joined\n"), j.user());
        } else if (envelope instanceof Envelope.Left l) {
            line(text.append("left\n"), l.user());
        } else if (envelope instanceof Envelope.Moved m) {
            line(text.append("moved\n"), m.user());
        } else if (envelope instanceof Envelope.Takeover t) {
            text.append("takeover\n").append(t.user()).append('\n').append(t.newNode()).append('\n');
        } else if (envelope instanceof Envelope.Handoff h) {
            text.append("handoff\n").append(h.user()).append('\n');
            h.peers().forEach(m -> line(text, m));
        } else if (envelope instanceof Envelope.Hello h) {
            text.append("hello\n").append(h.node()).append('\n');
        } else if (envelope instanceof Envelope.Roster r) {
            text.append("roster\n").append(r.node()).append('\n');
            r.users().forEach(m -> line(text, m));
        } else if (envelope instanceof Envelope.Bye b) {
            text.append("bye\n").append(b.node()).append('\n');
        } else {
            throw new IllegalArgumentException("unknown envelope " + envelope);
        }
        return text.toString();
    }

    static Decoded decode(String text) {
        int start = text.indexOf('\n');
        int end = text.indexOf('\n', start + 1);
        String origin = text.substring(0, start);
        String kind = text.substring(start + 1, end);
        String rest = text.substring(end + 1);
        Envelope envelope = switch (kind) {
            case "relay" -> relay(rest);
            case "deliver" -> {
                String[] f = rest.split("\n", 3);
                yield new Envelope.Deliver(f[0], f[2], f[1].equals("1"));
            }
            case "joined" -> new Envelope.Joined(member(rest));
            case "left" -> new Envelope.Left(member(rest));
            case "moved" -> new Envelope.Moved(member(rest));
            case "takeover" -> {
                String[] f = rest.split("\n");
                yield new Envelope.Takeover(f[0], f[1]);
            }
            case "handoff" -> {
                int nl = rest.indexOf('\n');
                yield new Envelope.Handoff(rest.substring(0, nl), members(rest.substring(nl + 1)));
            }
            case "hello" -> new Envelope.Hello(rest.strip());
            case "roster" -> {
                int nl = rest.indexOf('\n');
                yield new Envelope.Roster(rest.substring(0, nl), members(rest.substring(nl + 1)));
            }
            case "bye" -> new Envelope.Bye(rest.strip());
            default -> throw new IllegalArgumentException("unknown envelope kind " + kind);
        };
        return new Decoded(origin, envelope);
    }

    /** {@code id \t node \t name \n} */
    private static StringBuilder line(StringBuilder text, Member m) {
        return text.append(m.id()).append('\t').append(m.node()).append('\t').append(m.name()).append('\n');
    }

    private static Member member(String line) {
        String[] f = line.split("\t", 3);
        String name = f[2];
        int nl = name.indexOf('\n');
        return new Member(f[0], f[1], nl < 0 ? name : name.substring(0, nl));
    }

    private static List<Member> members(String lines) {
        List<Member> members = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (!line.isEmpty()) {
                members.add(member(line));
            }
        }
        return members;
    }

    private static Envelope.Relay relay(String rest) {
        // member line, to, forwarded, kind, frame (the frame as the sending node encoded it: never decoded here)
        String[] f = rest.split("\n", 5);
        return new Envelope.Relay(member(f[0]), f[1], new Relay(Relay.Kind.valueOf(f[3]), f[4]), f[2].equals("1"));
    }
}
