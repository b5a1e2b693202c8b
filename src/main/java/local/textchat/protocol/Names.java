package local.textchat.protocol;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * PROTOCOL.md's name rules: 1 to 32 code points after NFC normalisation, no control, format,
 * line/paragraph-separator or lone surrogate characters, no white space at either end. Any
 * script is fine, and so are code points newer than this JVM's Unicode tables (new emoji).
 */
public final class Names {

    public static final int MAX_CODE_POINTS = 32;

    private Names() {
    }

    /** The NFC form of {@code raw} if it is an acceptable user name, else empty. */
    public static Optional<String> normalise(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
        int count = name.codePointCount(0, name.length());
        if (count < 1 || count > MAX_CODE_POINTS) {
            return Optional.empty();
        }
        if (isSpace(name.codePointAt(0)) || isSpace(name.codePointBefore(name.length()))) {
            return Optional.empty();
        }
        boolean clean = name.codePoints().noneMatch(Names::isForbidden);
        return clean ? Optional.of(name) : Optional.empty();
    }

    /**
     * The key under which a name is unique: case-folded NFC, so {@code Alice}, {@code ALICE}
     * and {@code alice} (and {@code Straße}/{@code STRASSE}) are one user.
     */
    public static String key(String name) {
        String nfc = Normalizer.normalize(name, Normalizer.Form.NFC);
        // Upper then lower approximates Unicode full case folding (ß -> SS -> ss, ς/σ/Σ -> σ).
        String folded = nfc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(folded, Normalizer.Form.NFC);
    }

    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    private static boolean isForbidden(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }
}
