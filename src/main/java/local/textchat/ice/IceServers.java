package local.textchat.ice;

import java.time.Clock;
import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.spi.JsonProvider;

/**
 * The {@code iceServers} a user gets at login: the configured list (STUN, or TURN with static
 * credentials), plus, where TURN URLs and a shared secret are configured, one TURN entry with
 * credentials minted for that user.
 */
public final class IceServers {

    /** Looked up once: each {@code Json.create…} call would search the class path for a provider. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private final JsonArray configured;
    private final List<String> turnUrls;
    private final TurnCredentials turn;
    private final Clock clock;

    /** {@code turn} may be null (no TURN relay, or one with static credentials in {@code configured}). */
    public IceServers(JsonArray configured, List<String> turnUrls, TurnCredentials turn, Clock clock) {
        this.configured = configured;
        this.turnUrls = List.copyOf(turnUrls);
        this.turn = turnUrls.isEmpty() ? null : turn;
        this.clock = clock;
    }

    /** The list for {@code name}. */
    public JsonArray forUser(String name) {
        if (turn == null) {
            return configured;
        }
        TurnCredentials.Credential credential = turn.mint(name, clock.instant().getEpochSecond());
        JsonArrayBuilder urls = JSON.createArrayBuilder();
        turnUrls.forEach(urls::add);
        return JSON.createArrayBuilder(configured)
                .add(JSON.createObjectBuilder()
                        .add("urls", urls)
                        .add("username", credential.username())
                        .add("credential", credential.credential()))
                .build();
    }
}
