package local.textchat.fuzz;

import static local.textchat.fuzz.Gen.weight;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Text frames for the fuzzers, as {@link Gen} generators: random JSON, every
 * client message type in valid form, the same messages mutated, deep nesting, garbled UTF-8 and
 * truncated frames.
 *
 * <p>Frames are built as text, not through a JSON library, so that they can be what no library
 * writes: duplicate keys, numbers like {@code 1e400}, escaped lone surrogates, raw control
 * characters, broken escapes. {@link #VALID} builds only well-formed JSON with well-formed
 * Unicode; {@link #ANY} builds anything.
 */
final class Frames {

    /** Well-formed JSON, strings without unpaired surrogates, payloads never mutated. */
    static final Frames VALID = new Frames(true);
    /** Anything at all. */
    static final Frames ANY = new Frames(false);

    static final List<String> TYPES = List.of("login", "offer", "answer", "candidate", "leave", "decline", "ping",
            "who", "ice-servers");

    private static final List<String> FIELDS = List.of("type", "name", "offer", "answer", "candidate", "sdp", "id",
            "token", "reason", "sdpMid", "sdpMLineIndex", "usernameFragment");

    /** Names a client would plausibly use, including case and normalisation twins. */
    private static final List<String> NAMES = List.of("alice", "Alice", "ALICE", "bob", " bob", "bob ", "中文",
            "Straße", "STRASSE", "e\u0301", "\u00e9", "😀", "", "a".repeat(32), "a".repeat(33));

    /** Characters that break naive code: surrogates alone, controls, separators, BOM, quotes, escapes. */
    private static final String TRICKY = "\uD800\uDBFF\uDC00\uDFFF\uD83D\uDE00\uFFFD\uFFFE\uFFFF\u0000\u0001\u001F"
            + "\u007F\u0085\u00A0\u2028\u2029\uFEFF\u200B\u200D\u202E\u0301\"\\/ \t\n\r\u00e9\u00dfΣς中";

    /** Numbers at and past the edges of every numeric type, and things that only look like numbers. */
    private static final List<String> EDGE_NUMBERS = List.of("1e400", "-1e400", "1e-400",
            "123456789012345678901234567890", "-123456789012345678901234567890.5", "-0", "0.0", "0e0",
            "9".repeat(1000), "0." + "0".repeat(500) + "1", "4.9e-324", "1.7976931348623157e308",
            "9223372036854775808");
    /** JSON by the grammar, but past what the parser will read (RFC 8259 lets it set limits): bad-json. */
    private static final List<String> OVERFLOWING_NUMBERS = List.of("1E+2147483647", "1E+2147483648",
            "1e-2147483649", "1e99999999999", "9".repeat(5000));
    private static final List<String> NOT_NUMBERS = List.of("NaN", "Infinity", "-Infinity", "01", "1.", "+1",
            ".5", "1e", "-", "0x1F", "1_000", "1e+", "--1");

    /** Byte sequences that are not UTF-8: overlong, surrogate (CESU-8), past U+10FFFF, stray, cut short. */
    private static final List<byte[]> BAD_UTF8 = List.of(new byte[] {(byte) 0xC0, (byte) 0xAF},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80,
                    (byte) 0x80}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82},
            new byte[] {(byte) 0xFF, (byte) 0xFE});

    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String ALPHA = LOWER + LOWER.toUpperCase(Locale.ROOT);
    private static final String DIGITS = "0123456789";

    private final boolean valid;
    /** Each generator built once, by name. */
    private final Map<String, Gen<?>> built = new HashMap<>();

    private Frames(boolean valid) {
        this.valid = valid;
    }

    @SuppressWarnings("unchecked")
    private synchronized <T> Gen<T> memo(String key, Supplier<Gen<T>> build) {
        Gen<T> gen = (Gen<T>) built.get(key);
        if (gen == null) {
            gen = build.get();
            built.put(key, gen);
        }
        return gen;
    }

    /** One {@code "key":value} of an object, both as JSON text (so either can be broken). */
    record Member(String key, String value) {
        @Override
        public String toString() {
            return key + ":" + value;
        }
    }

    // ---- whole frames

    /** Any JSON value, and objects that at least have a plausible {@code type}. */
    Gen<String> randomJson() {
        return memo("randomJson", this::buildRandomJson);
    }

    private Gen<String> buildRandomJson() {
        return Gen.frequency(weight(2, values()), weight(3, typedObjects()));
    }

    /** One of each client message type, valid: unique keys, right types, extra fields sometimes. */
    Gen<List<Member>> messages() {
        return memo("messages", this::buildMessages);
    }

    private Gen<List<Member>> buildMessages() {
        return Gen.oneOf(login(), offer("offer"), offer("answer"), candidate(), leave(), decline(), ping(), who(),
                iceServers());
    }

    Gen<String> validMessages() {
        return memo("validMessages", this::buildValidMessages);
    }

    private Gen<String> buildValidMessages() {
        return messages().map(Frames::object);
    }

    /** Valid messages with one to four mutations: fields removed, retyped, duplicated, renamed, added. */
    Gen<String> mutatedMessages() {
        return memo("mutatedMessages", this::buildMutatedMessages);
    }

    private Gen<String> buildMutatedMessages() {
        return Gen.combine(messages(), mutations().list(1, 4), Frames::mutate).map(Frames::object);
    }

    /** Nesting near and past the parser's depth limit, alone and inside valid messages. */
    Gen<String> deeplyNested() {
        return memo("deeplyNested", this::buildDeeplyNested);
    }

    private Gen<String> buildDeeplyNested() {
        Gen<String> deep = deepValues();
        return Gen.frequency(
                weight(2, deep),
                weight(3, deep.map(d -> "{\"type\":\"ping\",\"x\":" + d + "}")),
                weight(1, deep.map(d -> "{\"type\":\"ping\",\"id\":" + d + "}")),
                weight(2, deep.map(d -> "{\"type\":\"offer\",\"name\":\"bob\",\"offer\":{\"type\":\"offer\","
                        + "\"sdp\":\"v=0\",\"x\":" + d + "}}")),
                weight(1, deep.map(d -> "{\"type\":\"candidate\",\"name\":\"bob\",\"candidate\":" + d + "}")),
                weight(1, deep.map(d -> "{\"x\":" + d + ",\"type\":\"leave\",\"name\":\"bob\"}")));
    }

    /** Random bytes, and valid messages with bytes spliced in, read as UTF-8 with replacement (U+FFFD). */
    Gen<String> garbled() {
        return memo("garbled", this::buildGarbled);
    }

    private Gen<String> buildGarbled() {
        Gen<byte[]> noise = Gen.frequency(
                weight(3, Gen.bytes(64)),
                weight(1, Gen.of(BAD_UTF8)));
        Gen<String> whole = Gen.bytes(256)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        Gen<String> spliced = Gen.combine(validMessages(), noise, Gen.fraction(), (frame, bytes, where) -> {
                    byte[] text = frame.getBytes(StandardCharsets.UTF_8);
                    int at = (int) (where * text.length);
                    byte[] out = new byte[text.length + bytes.length];
                    System.arraycopy(text, 0, out, 0, at);
                    System.arraycopy(bytes, 0, out, at, bytes.length);
                    System.arraycopy(text, at, out, at + bytes.length, text.length - at);
                    return new String(out, StandardCharsets.UTF_8);
                });
        return Gen.frequency(weight(1, whole), weight(3, spliced));
    }

    /** Valid and mutated messages cut short, sometimes with something else after the cut. */
    Gen<String> truncated() {
        return memo("truncated", this::buildTruncated);
    }

    private Gen<String> buildTruncated() {
        Gen<String> frames = Gen.frequency(weight(2, validMessages()), weight(1, mutatedMessages()));
        Gen<String> tails = Gen.frequency(weight(4, Gen.just("")),
                weight(1, Gen.of("}", "\"", "]", "}}", ",", "\"}", " ", "\\", "\\u")),
                weight(1, values()));
        return Gen.combine(frames, Gen.fraction(), tails, 
                (frame, where, tail) -> frame.substring(0, cutPoint(frame, where)) + tail);
    }

    // ---- message templates

    private Gen<List<Member>> login() {
        Gen<Optional<String>> token = Gen.frequency(
                weight(3, Gen.strings(LOWER + DIGITS + "-_", 43, 43)
                        .map(Frames::quote)),
                weight(1, strings())).optional(0.4);
        return Gen.combine(names(), token, (name, t) -> withOptional(
                members("login", "name", name), "token", t));
    }

    private Gen<List<Member>> offer(String type) {
        return Gen.combine(names(), description(type), extras(),
                (name, sdp, extra) -> plus(members(type, "name", name, type, sdp), extra));
    }

    private Gen<List<Member>> candidate() {
        Gen<List<Member>> line = Gen.combine(strings(), strings(), Gen.ints(0, 9),
                (c, mid, index) -> List.of(member("candidate", c), member("sdpMid", mid),
                        member("sdpMLineIndex", String.valueOf(index))));
        Gen<String> candidate = Gen.frequency(weight(5, payload(line)),
                weight(1, Gen.just("null")));
        return Gen.combine(names(), candidate, (name, c) -> members("candidate", "name", name, "candidate", c));
    }

    private Gen<List<Member>> leave() {
        return Gen.combine(names(), extras(), (name, extra) -> plus(members("leave", "name", name), extra));
    }

    private Gen<List<Member>> decline() {
        Gen<Optional<String>> reason = Gen.of("\"declined\"", "\"busy\"", "null").optional(0.6);
        return Gen.combine(names(), reason, (name, r) -> withOptional(members("decline", "name", name),
                "reason", r));
    }

    private Gen<List<Member>> ping() {
        Gen<Optional<String>> id = Gen.frequency(weight(2, strings()),
                weight(2, numbers()), weight(1, Gen.just("null"))).optional(0.7);
        return id.map(i -> withOptional(members("ping"), "id", i));
    }

    private Gen<List<Member>> who() {
        Gen<Optional<String>> prefix = Gen.frequency(weight(4, strings()), weight(1, Gen.just("null"))).optional(0.7);
        Gen<Optional<String>> limit = (valid ? Gen.ints(1, 100).map(String::valueOf)
                : Gen.frequency(weight(3, Gen.ints(1, 100).map(String::valueOf)), weight(1, numbers()))).optional(0.6);
        return Gen.combine(prefix, limit, (p, l) -> withOptional(withOptional(members("who"), "prefix", p), "limit", l));
    }

    private Gen<List<Member>> iceServers() {
        return extras().map(extra -> plus(members("ice-servers"), extra));
    }

    /** An RTCSessionDescriptionInit of {@code type}, sometimes mutated (not in {@link #VALID}). */
    private Gen<String> description(String type) {
        Gen<List<Member>> plain = Gen.combine(strings(), extras(), (sdp, extra) ->
                plus(List.of(member("type", quote(type)), member("sdp", sdp)), extra));
        return payload(plain);
    }

    /** A nested object the server relays; in {@link #ANY} sometimes mutated like a message. */
    private Gen<String> payload(Gen<List<Member>> plain) {
        if (valid) {
            return plain.map(Frames::object);
        }
        Gen<List<Member>> mutated = Gen.combine(plain, mutations().list(1, 2), Frames::mutate);
        return Gen.frequency(weight(4, plain), weight(1, mutated)).map(Frames::object);
    }

    /** Unknown fields a newer client might add; the server must ignore them. */
    private Gen<List<Member>> extras() {
        return memo("extras", this::buildExtras);
    }

    private Gen<List<Member>> buildExtras() {
        Gen<Member> extra = Gen.combine(Gen.strings(ALPHA, 1, 8),
                values(), (key, value) -> new Member("\"x-" + key + "\"", value));
        return extra.uniqueList(2, Member::key);
    }

    private Gen<String> names() {
        return memo("names", this::buildNames);
    }

    private Gen<String> buildNames() {
        return Gen.frequency(weight(3, Gen.combine(Gen.of(NAMES), escapings(),
                (name, escaping) -> escaping.apply(name))), weight(2, strings()));
    }

    // ---- mutations

    /** One change to an object's members; indexes wrap around the current size. */
    static Gen<UnaryOperator<List<Member>>> mutations() {
        return ANY.memo("mutations", Frames::buildMutations);
    }

    private static Gen<UnaryOperator<List<Member>>> buildMutations() {
        Gen<Integer> at = Gen.ints(0, 15);
        Gen<String> anything = ANY.values();
        Gen<String> strange = Gen.frequency(weight(3, ANY.numbers()),
                weight(3, ANY.strings()), weight(1, Gen.combine(longStrings(), ANY.escapings(),
                        (text, escaping) -> escaping.apply(text))),
                weight(1, deepValues()), weight(1, Gen.of("{}", "[]", "null", "true", "\"\"", "0")),
                weight(1, Gen.combine(ANY.texts(), Gen.of(Escaping.BROKEN, Escaping.UNTERMINATED,
                        Escaping.RAW), (text, escaping) -> escaping.apply(text))));
        Gen<String> keys = Gen.frequency(weight(3, Gen.of(FIELDS).map(Frames::quote)),
                weight(1, ANY.strings()));
        return Gen.frequency(
                weight(2, at.map(i -> described("remove #" + i, ms -> {
                    ms.remove(i % ms.size());
                    return ms;
                }))),
                weight(3, Gen.combine(at, anything, (i, v) -> replace(i, v))),
                weight(3, Gen.combine(at, strange, (i, v) -> replace(i, v))),
                weight(2, Gen.combine(at, anything, Gen.of(true, false), (i, v, before) ->
                        described("duplicate #" + i + (before ? " before " : " after ") + "as " + v, ms -> {
                            Member m = ms.get(i % ms.size());
                            ms.add(i % ms.size() + (before ? 0 : 1), new Member(m.key(), v));
                            return ms;
                        }))),
                weight(1, Gen.combine(at, keys, (i, k) -> described("rename #" + i + " to " + k, ms -> {
                    int j = i % ms.size();
                    ms.set(j, new Member(k, ms.get(j).value()));
                    return ms;
                }))),
                weight(1, Gen.combine(at, keys, anything, (i, k, v) -> described("add " + k + ":" + v,
                        ms -> {
                            ms.add(Math.min(i, ms.size()), new Member(k, v));
                            return ms;
                        }))),
                weight(2, Gen.frequency(weight(4, Gen.of(TYPES)),
                        weight(1, Gen.of("LOGIN", "Ping", "", "error", "pong", "online"))).map(Frames::quote)
                        .map(t -> described("retype to " + t, ms -> {
                            ms.replaceAll(m -> m.key().equals("\"type\"") ? new Member(m.key(), t) : m);
                            return ms;
                        }))));
    }

    private static UnaryOperator<List<Member>> replace(int i, String value) {
        return described("replace #" + i + " with " + value, ms -> {
            int j = i % ms.size();
            ms.set(j, new Member(ms.get(j).key(), value));
            return ms;
        });
    }

    private static List<Member> mutate(List<Member> members, List<UnaryOperator<List<Member>>> mutations) {
        List<Member> result = new ArrayList<>(members);
        for (UnaryOperator<List<Member>> mutation : mutations) {
            if (!result.isEmpty()) {
                result = mutation.apply(result);
            }
        }
        return result;
    }

    /** A mutation that says what it does when a failing case is reported. */
    private static UnaryOperator<List<Member>> described(String what, UnaryOperator<List<Member>> change) {
        return new UnaryOperator<>() {
            @Override
            public List<Member> apply(List<Member> members) {
                return change.apply(members);
            }

            @Override
            public String toString() {
                return what.length() > 120 ? what.substring(0, 120) + "…" : what;
            }
        };
    }

    // ---- values

    /** Any JSON value (in {@link #ANY}: or something that almost is one), nested up to three levels. */
    Gen<String> values() {
        return values(3);
    }

    /**
     * Values nested at most {@code depth} deep (a fixed bound, so that values stay small). Deep
     * nesting has its own generator ({@link #deepValues}).
     */
    private Gen<String> values(int depth) {
        if (depth == 0) {
            return scalars();
        }
        return memo("values" + depth, () -> Gen.frequency(weight(5, scalars()),
                weight(1, arrays(values(depth - 1))), weight(1, objects(values(depth - 1)))));
    }

    private Gen<String> scalars() {
        return memo("scalars", this::buildScalars);
    }

    private Gen<String> buildScalars() {
        Gen<String> literals = valid ? Gen.of("true", "false", "null")
                : Gen.frequency(weight(12, Gen.of("true", "false", "null")),
                        weight(1, Gen.of("tru", "nul", "True", "undefined", "'x'")));
        return Gen.frequency(weight(4, strings()), weight(2, numbers()),
                weight(1, literals));
    }

    private static Gen<String> arrays(Gen<String> items) {
        return items.list(0, 4).map(list -> "[" + String.join(",", list) + "]");
    }

    private Gen<String> objects(Gen<String> values) {
        Gen<String> keys = Gen.frequency(weight(2, Gen.of(FIELDS).map(Frames::quote)),
                weight(1, strings()));
        Gen<Member> member = Gen.combine(keys, values, Member::new);
        return (valid ? member.uniqueList(4, Member::key) : member.list(0, 4)).map(Frames::object);
    }

    /** Objects with a {@code type} (mostly a real one) among random members. */
    private Gen<String> typedObjects() {
        Gen<String> type = Gen.frequency(weight(6, Gen.of(TYPES).map(Frames::quote)),
                weight(1, strings()), weight(1, values()));
        Gen<Member> member = Gen.combine(Gen.of(FIELDS).map(Frames::quote), values(), Member::new);
        return Gen.combine(type, member.list(0, 4), Gen.ints(0, 4), (t, members, at) -> {
                    List<Member> all = new ArrayList<>(members);
                    all.add(Math.min(at, all.size()), new Member("\"type\"", t));
                    return object(all);
                });
    }

    Gen<String> numbers() {
        return memo("numbers", this::buildNumbers);
    }

    private Gen<String> buildNumbers() {
        Gen<String> mantissas = Gen.strings(DIGITS, 1, 30)
                .map(digits -> digits.replaceFirst("^0+(?=.)", ""));
        Gen<String> exponents = Gen.combine(mantissas, Gen.ints(-1000, 1000), (m, e) -> m + "e" + e);
        Gen<String> numbers = Gen.frequency(
                weight(3, Gen.anyInt().map(String::valueOf)),
                weight(2, Gen.anyDouble().map(String::valueOf)),
                weight(2, mantissas),
                weight(1, exponents),
                weight(3, Gen.of(EDGE_NUMBERS)));
        if (valid) {
            return numbers;
        }
        Gen<String> huge = Gen.combine(mantissas, Gen.anyLong(), (m, e) -> m + "e" + e);
        return Gen.frequency(weight(16, numbers), weight(1, huge),
                weight(1, Gen.of(OVERFLOWING_NUMBERS)), weight(1, Gen.of(NOT_NUMBERS)));
    }

    /** Strings a hostile or careless client might put anywhere (in {@link #VALID}: well-formed Unicode). */
    Gen<String> texts() {
        return memo("texts", this::buildTexts);
    }

    private Gen<String> buildTexts() {
        Gen<String> tricky = Gen.strings(TRICKY, 1, 6);
        Gen<String> texts = Gen.frequency(
                weight(5, Gen.strings(ALPHA + DIGITS + "-_ ", 0, 12)),
                weight(2, Gen.of(NAMES)),
                weight(3, Gen.anyChars(16)),
                weight(2, tricky),
                weight(2, Gen.combine(Gen.strings(ALPHA, 0, 8), tricky,
                        Gen.strings(ALPHA, 0, 8), (a, t, b) -> a + t + b)));
        return valid ? texts.map(Frames::wellFormed) : texts;
    }

    /** Strings up to about 100 KB of UTF-8, of one-, two-, three- and four-byte characters. */
    private static Gen<String> longStrings() {
        return Gen.combine(Gen.of("x", "\u00e9", "中", "😀", "\\", "\"", "\uD800", "\u0000"),
                Gen.ints(1_000, 25_000), String::repeat);
    }

    /** Arrays, objects or both, nested 1 to 1,100 deep (the parser allows 1,000), closed or not. */
    static Gen<String> deepValues() {
        Gen<Integer> depths = Gen.frequency(weight(2, Gen.ints(1, 1100)),
                weight(1, Gen.ints(995, 1005)));
        return Gen.combine(depths, Gen.of("[", "{\"a\":", "mixed"), Gen.of(-1, 0, 0, 0, 1), (depth, open, balance) -> {
                    StringBuilder text = new StringBuilder();
                    StringBuilder close = new StringBuilder();
                    for (int i = 0; i < depth; i++) {
                        boolean array = open.equals("[") || open.equals("mixed") && i % 2 == 0;
                        text.append(array ? "[" : "{\"a\":");
                        close.append(array ? "]" : "}");
                    }
                    text.append(open.equals("[") ? "" : "1");
                    text.append(close.reverse());
                    if (balance < 0) {
                        text.setLength(text.length() - 1);
                    } else if (balance > 0) {
                        text.append(text.charAt(text.length() - 1));
                    }
                    return text.toString();
                });
    }

    // ---- rendering

    /** {@link #texts()} as JSON strings; in {@link #ANY} sometimes escaped wrongly or not at all. */
    Gen<String> strings() {
        return memo("strings", this::buildStrings);
    }

    private Gen<String> buildStrings() {
        return Gen.combine(texts(), escapings(), (text, escaping) -> escaping.apply(text));
    }

    private Gen<Escaping> escapings() {
        return memo("escapings", this::buildEscapings);
    }

    private Gen<Escaping> buildEscapings() {
        if (valid) {
            return Gen.of(Escaping.STANDARD, Escaping.STANDARD, Escaping.ALL);
        }
        // Mostly well-formed, so that most frames get past the parser to the checks behind it.
        return Gen.frequency(weight(24, Gen.just(Escaping.STANDARD)), weight(12, Gen.just(Escaping.ALL)),
                weight(2, Gen.just(Escaping.RAW)), weight(1, Gen.just(Escaping.BROKEN)),
                weight(1, Gen.just(Escaping.UNTERMINATED)));
    }

    static String quote(String text) {
        return Escaping.STANDARD.apply(text);
    }

    private static String object(List<Member> members) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(members.get(i).key()).append(':').append(members.get(i).value());
        }
        return out.append('}').toString();
    }

    private static List<Member> members(String type, String... keyValues) {
        List<Member> members = new ArrayList<>();
        members.add(member("type", quote(type)));
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            members.add(member(keyValues[i], keyValues[i + 1]));
        }
        return members;
    }

    private static Member member(String key, String valueJson) {
        return new Member(quote(key), valueJson);
    }

    private static List<Member> plus(List<Member> members, List<Member> more) {
        List<Member> all = new ArrayList<>(members);
        all.addAll(more);
        return all;
    }

    private static List<Member> withOptional(List<Member> members, String key, Optional<String> value) {
        return value.map(v -> plus(members, List.of(member(key, v)))).orElse(members);
    }

    private static int cutPoint(String frame, double where) {
        int at = (int) (where * frame.length());
        // Never split a surrogate pair: a cut frame is still a Java string a container could deliver.
        return at > 0 && at < frame.length() && Character.isLowSurrogate(frame.charAt(at)) ? at - 1 : at;
    }

    /** {@code text} with unpaired surrogates replaced, as any UTF-8 round trip does. */
    static String wellFormed(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    /** How a string is written into JSON text. */
    enum Escaping {
        /** Quotes, backslashes and control characters escaped: what JSON.stringify writes. */
        STANDARD,
        /** Everything outside printable ASCII as {@code \\uXXXX}: lone surrogates arrive as escapes. */
        ALL,
        /** Only quotes and backslashes escaped: raw control characters are not JSON. */
        RAW,
        /** A broken escape somewhere. */
        BROKEN,
        /** No closing quote. */
        UNTERMINATED;

        private static final char[] HEX = "0123456789abcdef".toCharArray();

        String apply(String text) {
            StringBuilder out = new StringBuilder("\"");
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (this != RAW && (c < 0x20 || this == ALL && c > 0x7e)) {
                    out.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                            .append(HEX[c & 0xf]);
                } else {
                    out.append(c);
                }
            }
            if (this == BROKEN) {
                out.insert(1 + out.length() / 2, out.length() % 2 == 0 ? "\\x" : "\\u12");
            }
            return this == UNTERMINATED ? out.toString() : out.append('"').toString();
        }
    }
}
