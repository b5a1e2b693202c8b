package local.textchat.protocol;

import java.io.StringReader;
import java.util.AbstractMap;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * A relayed payload (an offer's or answer's description, a candidate) kept as the JSON text the
 * client sent, already checked by {@link Codec}: written out as that text (a relay passes it on
 * byte for byte), read as a tree only if something asks for a member (the tests do; the relay
 * path never does).
 */
final class RawObject extends AbstractMap<String, JsonValue> implements JsonObject {

    private static final JsonProvider JSON = JsonProvider.provider();

    private final String text;
    private JsonObject tree;

    RawObject(String text) {
        this.text = text;
    }

    private JsonObject tree() {
        if (tree == null) {
            try (var reader = JSON.createReader(new StringReader(text))) {
                tree = reader.readObject();
            }
        }
        return tree;
    }

    @Override
    public Set<Entry<String, JsonValue>> entrySet() {
        return tree().entrySet();
    }

    @Override
    public JsonValue get(Object key) {
        return tree().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return tree().containsKey(key);
    }

    @Override
    public int size() {
        return tree().size();
    }

    @Override
    public JsonArray getJsonArray(String name) {
        return tree().getJsonArray(name);
    }

    @Override
    public JsonObject getJsonObject(String name) {
        return tree().getJsonObject(name);
    }

    @Override
    public JsonNumber getJsonNumber(String name) {
        return tree().getJsonNumber(name);
    }

    @Override
    public JsonString getJsonString(String name) {
        return tree().getJsonString(name);
    }

    @Override
    public String getString(String name) {
        return tree().getString(name);
    }

    @Override
    public String getString(String name, String defaultValue) {
        return tree().getString(name, defaultValue);
    }

    @Override
    public int getInt(String name) {
        return tree().getInt(name);
    }

    @Override
    public int getInt(String name, int defaultValue) {
        return tree().getInt(name, defaultValue);
    }

    @Override
    public boolean getBoolean(String name) {
        return tree().getBoolean(name);
    }

    @Override
    public boolean getBoolean(String name, boolean defaultValue) {
        return tree().getBoolean(name, defaultValue);
    }

    @Override
    public boolean isNull(String name) {
        return tree().isNull(name);
    }

    @Override
    public ValueType getValueType() {
        return ValueType.OBJECT;
    }

    /** The client's own text. */
    @Override
    public String toString() {
        return text;
    }
}
