package local.textchat.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import local.textchat.protocol.ErrorCode;
import local.textchat.protocol.Codec;
import local.textchat.protocol.Relay;
import local.textchat.protocol.ServerMessage;
import local.textchat.cluster.Envelope;
import local.textchat.cluster.Envelope.Member;

/** What one node sends another reads back as it was sent, whatever the names and payloads hold. */
class EnvelopeCodecTest {

    private static final Member ALICE = new Member("id-1", "node-a", "Ålice 中文 \"q\" 😀");
    private static final Member BOB = new Member("id-2", "node-b", "b\\ob");

    private static Envelope roundTrip(Envelope envelope) {
        EnvelopeCodec.Decoded decoded = EnvelopeCodec.decode(EnvelopeCodec.encode("node-a", envelope));
        assertEquals("node-a", decoded.origin());
        return decoded.envelope();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Test
    void relayedMessagesKeepTheirPayloadExactly() {
        JsonObject sdp = json("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\na=x\\n\",\"x\":[1.5e3,null,{\"ü\":true}]}");
        for (Relay message : List.of(Relay.offer(new ServerMessage.Offer(ALICE.name(), sdp)),
                Relay.answer(new ServerMessage.Answer(ALICE.name(), sdp)),
                Relay.candidate(new ServerMessage.Candidate(ALICE.name(), json("{\"candidate\":\"c\",\"sdpMid\":\"0\"}"))),
                Relay.candidate(new ServerMessage.Candidate(ALICE.name(), null)),
                Relay.leave(new ServerMessage.Leave(ALICE.name())),
                Relay.decline(new ServerMessage.Decline(ALICE.name(), "busy")))) {
            Envelope.Relay relay = new Envelope.Relay(ALICE, "id-2", message, false);
            assertEquals(relay, roundTrip(relay), "the frame crosses unchanged, never decoded");
        }
        Envelope.Deliver deliver = new Envelope.Deliver("id-1",
                Codec.encode(ServerMessage.Error.of(ErrorCode.NOT_IN_CALL, "a\nb")), true);
        assertEquals(deliver, roundTrip(deliver));
    }

    @Test
    void presenceAndNodeMessagesRoundTrip() {
        for (Envelope envelope : List.of(new Envelope.Joined(ALICE), new Envelope.Left(BOB), new Envelope.Moved(ALICE),
                new Envelope.Takeover("id-1", "node-c"), new Envelope.Handoff("id-1", List.of(ALICE, BOB)),
                new Envelope.Handoff("id-1", List.of()), new Envelope.Hello("node-a"),
                new Envelope.Roster("node-a", List.of(ALICE, BOB)), new Envelope.Roster("node-a", List.of()),
                new Envelope.Bye("node-b"))) {
            assertEquals(envelope, roundTrip(envelope));
        }
    }
}
