package local.textchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "alice", "小明", "José María", "😀", "x1234567890123456789012345678901"})
    void valid(String name) {
        assertEquals(Optional.of(name), Names.normalise(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", " a", "a ", "a\u00A0", "\u200Ba", "a\u0000b", "a\u001Fb", "a\u007Fb",
            "a\u2029b", "a\uFEFFb", "x12345678901234567890123456789012"})
    void invalid(String name) {
        assertEquals(Optional.empty(), Names.normalise(name));
    }

    @Test
    void nullIsInvalid() {
        assertTrue(Names.normalise(null).isEmpty());
    }

    @Test
    void lengthIsCountedInCodePointsAfterNfc() {
        // 32 "é" written as e + combining accent are 64 code points before NFC, 32 after.
        assertTrue(Names.normalise("e\u0301".repeat(32)).isPresent());
        assertEquals("\u00e9", Names.normalise("e\u0301").orElseThrow());
    }

    @Test
    void keysFoldCaseAndNormalisation() {
        assertEquals(Names.key("Alice"), Names.key("aLICE"));
        assertEquals(Names.key("Jos\u00e9"), Names.key("JOSE\u0301"));
        assertEquals(Names.key("Straße"), Names.key("STRASSE"));
        assertEquals(Names.key("ΣΊΣΥΦΟΣ"), Names.key("σίσυφος"));
        assertNotEquals(Names.key("alice"), Names.key("alicia"));
    }
}
