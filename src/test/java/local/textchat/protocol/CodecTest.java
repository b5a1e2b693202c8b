package local.textchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every message type decodes or encodes exactly; every malformed frame maps to its error code. */
class CodecTest {

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static final String SDP = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\",\"extra\":[true,1,null]}";

    @Test
    void login() {
        ClientMessage m = Codec.decode("{\"type\":\"login\",\"name\":\"alice\"}");
        assertEquals(new ClientMessage.Login("alice", null), m);
        assertEquals(new ClientMessage.Login("alice", "t0k"),
                Codec.decode("{\"token\":\"t0k\",\"name\":\"alice\",\"type\":\"login\"}"));
    }

    @Test
    void offerKeepsItsPayloadExactly() {
        ClientMessage.Offer offer = (ClientMessage.Offer) Codec.decode(
                "{\"type\":\"offer\",\"name\":\"bob\",\"offer\":" + SDP + "}");
        assertEquals("bob", offer.name());
        assertEquals(json(SDP), offer.offer());
    }

    @Test
    void iceServersAsksForNothingMore() {
        assertEquals(new ClientMessage.IceServers(), Codec.decode("{\"type\":\"ice-servers\"}"));
        assertEquals(new ClientMessage.IceServers(), Codec.decode("{\"extra\":[1],\"type\":\"ice-servers\"}"));
    }

    @Test
    void answer() {
        ClientMessage.Answer answer = (ClientMessage.Answer) Codec.decode(
                "{\"type\":\"answer\",\"name\":\"alice\",\"answer\":{\"type\":\"answer\",\"sdp\":\"x\"}}");
        assertEquals(json("{\"type\":\"answer\",\"sdp\":\"x\"}"), answer.answer());
    }

    @Test
    void candidateAndEndOfCandidates() {
        ClientMessage.Candidate c = (ClientMessage.Candidate) Codec.decode(
                "{\"type\":\"candidate\",\"name\":\"bob\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":0}}");
        assertEquals(0, c.candidate().getInt("sdpMLineIndex"));
        ClientMessage.Candidate end = (ClientMessage.Candidate) Codec.decode(
                "{\"type\":\"candidate\",\"name\":\"bob\",\"candidate\":null}");
        assertNull(end.candidate());
    }

    @Test
    void leaveDeclinePing() {
        assertEquals(new ClientMessage.Leave("bob"), Codec.decode("{\"type\":\"leave\",\"name\":\"bob\"}"));
        assertEquals(new ClientMessage.Decline("bob", "busy"),
                Codec.decode("{\"type\":\"decline\",\"name\":\"bob\",\"reason\":\"busy\"}"));
        assertEquals(new ClientMessage.Decline("bob", null), Codec.decode("{\"type\":\"decline\",\"name\":\"bob\"}"));
        assertEquals(new ClientMessage.Ping("x"), Codec.decode("{\"type\":\"ping\",\"id\":\"x\"}"));
        assertEquals(0, new BigDecimal("7").compareTo(
                (BigDecimal) ((ClientMessage.Ping) Codec.decode("{\"type\":\"ping\",\"id\":7}")).id()));
        assertEquals(new ClientMessage.Ping(null), Codec.decode("{\"type\":\"ping\"}"));
    }

    @Test
    void typeNeedNotComeFirst() {
        assertInstanceOf(ClientMessage.Leave.class, Codec.decode("{\"name\":\"bob\",\"type\":\"leave\"}"));
    }

    /** Every mistake's code and exact message (clients and people read them; PROTOCOL.md lists the codes). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`` | BAD_JSON | `frame is not valid JSON: Invalid token=EOF at (line no=1, column …`",
            "`   ` | BAD_JSON | `frame is not valid JSON: Invalid token=EOF at (line no=1, column …`",
            "`{` | BAD_JSON | `frame is not valid JSON: Invalid token=EOF at (line no=1, column …`",
            "`null` | BAD_JSON | `frame must be a JSON object, got null`",
            "`42` | BAD_JSON | `frame must be a JSON object, got a number`",
            "`\"x\"` | BAD_JSON | `frame must be a JSON object, got a string`",
            "`[1] 2` | BAD_JSON | `frame is not valid JSON: Expected EOF token, but got NUMBER`",
            "`{\"type\":\"ping\"}{}` | BAD_JSON | `frame is not valid JSON: Expected EOF token, but got CURLYOPEN`",
            "`{\"type\":\"ping\",}` | BAD_JSON | `frame is not valid JSON: Invalid token=CURLYCLOSE at (line no=1, …`",
            "`{\"type\":\"ping\" \"id\":1}` | BAD_JSON | `frame is not valid JSON: Invalid token=STRING at (line no=1, colu…`",
            "`{\"type\":\"ping\",\"id\":01}` | BAD_JSON | `frame is not valid JSON: Invalid token=NUMBER at (line no=1, colu…`",
            "`{\"type\":\"ping\",\"id\":1e999999999999}` | BAD_JSON | `frame is not valid JSON: Too many nonzero exponent digits.`",
            "`{}` | INVALID_MESSAGE | `missing required field \"type\"`",
            "`{\"type\":[]}` | INVALID_MESSAGE | `field \"type\" must be a string, got an array`",
            "`{\"type\":\"\"}` | UNKNOWN_TYPE | `unknown message type \"\"`",
            "`{\"type\":\"error\"}` | UNKNOWN_TYPE | `unknown message type \"error\"`",
            "`{\"type\":\"login\"}` | INVALID_MESSAGE | `missing required field \"name\"`",
            "`{\"type\":\"login\",\"name\":{}}` | INVALID_MESSAGE | `field \"name\" must be a string, got an object`",
            "`{\"type\":\"login\",\"name\":\"a\",\"token\":5}` | INVALID_MESSAGE | `field \"token\" must be a string, got a number`",
            "`{\"type\":\"offer\",\"name\":\"b\"}` | INVALID_MESSAGE | `missing required field \"offer\"`",
            "`{\"type\":\"offer\",\"name\":\"b\",\"offer\":null}` | INVALID_MESSAGE | `field \"offer\" must be an object with string \"type\" and \"sdp\", got null`",
            "`{\"type\":\"offer\",\"name\":\"b\",\"offer\":\"x\"}` | INVALID_MESSAGE | `field \"offer\" must be an object with string \"type\" and \"sdp\", got a string`",
            "`{\"type\":\"offer\",\"name\":\"b\",\"offer\":{\"type\":\"offer\"}}` | INVALID_MESSAGE | `field \"offer.sdp\" must be a string, got nothing`",
            "`{\"type\":\"offer\",\"name\":\"b\",\"offer\":{\"type\":\"offer\",\"sdp\":null}}` | INVALID_MESSAGE | `field \"offer.sdp\" must be a string, got null`",
            "`{\"type\":\"offer\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}` | INVALID_MESSAGE | `missing required field \"name\"`",
            "`{\"type\":\"answer\",\"name\":\"b\",\"answer\":{\"sdp\":\"v=0\"}}` | INVALID_MESSAGE | `field \"answer.type\" must be a string, got nothing`",
            "`{\"type\":\"candidate\",\"name\":\"b\"}` | INVALID_MESSAGE | `missing required field \"candidate\" (use null for end-of-candidates)`",
            "`{\"type\":\"candidate\",\"name\":\"b\",\"candidate\":{\"candidate\":1}}` | INVALID_MESSAGE | `field \"candidate.candidate\" must be a string, got a number`",
            "`{\"type\":\"candidate\",\"name\":\"b\",\"candidate\":[]}` | INVALID_MESSAGE | `field \"candidate\" must be an object or null, got an array`",
            "`{\"type\":\"candidate\",\"name\":\"b\",\"candidate\":{}}` | INVALID_MESSAGE | `field \"candidate.candidate\" must be a string, got nothing`",
            "`{\"type\":\"candidate\",\"name\":7,\"candidate\":null}` | INVALID_MESSAGE | `field \"name\" must be a string, got a number`",
            "`{\"type\":\"decline\",\"name\":\"b\",\"reason\":\"nope\"}` | INVALID_MESSAGE | `field \"reason\" must be \"declined\" or \"busy\", got \"nope\"`",
            "`{\"type\":\"decline\",\"name\":\"b\",\"reason\":7}` | INVALID_MESSAGE | `field \"reason\" must be a string, got a number`",
            "`{\"type\":\"leave\"}` | INVALID_MESSAGE | `missing required field \"name\"`",
            "`{\"type\":\"ping\",\"id\":[1]}` | INVALID_MESSAGE | `field \"id\" must be a string or a number, got an array`",
            "`{\"type\":\"ping\",\"id\":true}` | INVALID_MESSAGE | `field \"id\" must be a string or a number, got a boolean`",
            "`{\"type\":\"who\",\"limit\":0}` | INVALID_MESSAGE | `field \"limit\" must be a whole number from 1 to 100, got a number 0`",
            "`{\"type\":\"who\",\"limit\":101}` | INVALID_MESSAGE | `field \"limit\" must be a whole number from 1 to 100, got a number 101`",
            "`{\"type\":\"who\",\"limit\":2.5}` | INVALID_MESSAGE | `field \"limit\" must be a whole number from 1 to 100, got a number 2.5`",
            "`{\"type\":\"who\",\"limit\":\"3\"}` | INVALID_MESSAGE | `field \"limit\" must be a whole number from 1 to 100, got a string`",
            "`{\"type\":\"who\",\"limit\":5e0}` | INVALID_MESSAGE | `field \"limit\" must be a whole number from 1 to 100, got a number 5e0`",
            "`{\"type\":\"who\",\"limit\":5.0}` | INVALID_MESSAGE | `field \"limit\" must be a whole number from 1 to 100, got a number 5.0`",
            "`{\"type\":\"who\",\"prefix\":3}` | INVALID_MESSAGE | `field \"prefix\" must be a string, got a number`",
            "`{\"type\":\"offer\",\"type\":\"nope\",\"name\":\"b\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}` | UNKNOWN_TYPE | `unknown message type \"nope\"`",
            "`{\"type\":\"offer\",\"name\":\"b\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"offer\":7}` | INVALID_MESSAGE | `field \"offer\" must be an object with string \"type\" and \"sdp\", got a number`"
    })
    void malformedFramesMapToTheirCodeAndMessage(String frame, ErrorCode code, String message) {
        ProtocolViolation v = assertThrows(ProtocolViolation.class, () -> Codec.decode(frame == null ? "" : frame));
        assertEquals(code, v.code());
        assertEquals(message, v.getMessage());
        assertEquals(0, v.getStackTrace().length, "client mistakes carry no stack trace");
    }

    @Test
    void aKeyGivenTwiceCountsAsItsLastValue() {
        assertEquals(new ClientMessage.Offer("b", Json.createObjectBuilder().add("type", "offer").add("sdp", "v=0").build()),
                Codec.decode("{\"type\":\"ping\",\"type\":\"offer\",\"name\":\"a\",\"name\":\"b\","
                        + "\"offer\":7,\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}"));
        assertEquals(new ClientMessage.Who(null, 5), Codec.decode("{\"type\":\"who\",\"limit\":5e0,\"limit\":5}"));
    }

    @Test
    void nestingPastTheParserDepthIsBadJson() {
        String deep = "{\"type\":\"ping\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertEquals(ErrorCode.BAD_JSON, assertThrows(ProtocolViolation.class, () -> Codec.decode(deep)).code());
    }

    @Test
    void everyServerMessageEncodesWithItsType() {
        JsonArray ice = Json.createArrayBuilder().add(Json.createObjectBuilder().add("urls", "stun:x")).build();
        JsonObject sdp = json(SDP);
        record Case(ServerMessage message, String expected) {
        }
        List<Case> cases = List.of(
                new Case(ServerMessage.Login.accepted("alice", List.of("bob"), 1, ice, "all", "t"),
                        "{\"type\":\"login\",\"iceServers\":[{\"urls\":\"stun:x\"}],\"iceTransportPolicy\":\"all\","
                                + "\"name\":\"alice\",\"success\":true,\"token\":\"t\",\"users\":[\"bob\"],\"usersTotal\":1}"),
                new Case(new ServerMessage.Who("al", List.of("Alice", "alfred"), 7),
                        "{\"type\":\"who\",\"prefix\":\"al\",\"total\":7,\"users\":[\"Alice\",\"alfred\"]}"),
                new Case(new ServerMessage.IceServers(ice, "relay"),
                        "{\"type\":\"ice-servers\",\"iceServers\":[{\"urls\":\"stun:x\"}],\"iceTransportPolicy\":\"relay\"}"),
                new Case(ServerMessage.Login.refused(LoginRefusal.TAKEN),
                        "{\"type\":\"login\",\"reason\":\"taken\",\"success\":false}"),
                new Case(new ServerMessage.Offer("alice", sdp), "{\"type\":\"offer\",\"name\":\"alice\",\"offer\":" + SDP + "}"),
                new Case(new ServerMessage.Answer("bob", sdp), "{\"type\":\"answer\",\"answer\":" + SDP + ",\"name\":\"bob\"}"),
                new Case(new ServerMessage.Candidate("bob", null), "{\"type\":\"candidate\",\"candidate\":null,\"name\":\"bob\"}"),
                new Case(new ServerMessage.Leave("bob"), "{\"type\":\"leave\",\"name\":\"bob\"}"),
                new Case(new ServerMessage.Decline("bob", "busy"), "{\"type\":\"decline\",\"name\":\"bob\",\"reason\":\"busy\"}"),
                new Case(new ServerMessage.Online("bob"), "{\"type\":\"online\",\"name\":\"bob\"}"),
                new Case(new ServerMessage.Offline("bob"), "{\"type\":\"offline\",\"name\":\"bob\"}"),
                new Case(new ServerMessage.Pong(new BigDecimal("42")), "{\"type\":\"pong\",\"id\":42}"),
                new Case(new ServerMessage.Pong(null), "{\"type\":\"pong\"}"),
                new Case(ServerMessage.Error.of(ErrorCode.NOT_IN_CALL, "no"),
                        "{\"type\":\"error\",\"code\":\"not-in-call\",\"message\":\"no\"}"));
        for (Case c : cases) {
            String text = Codec.encode(c.message());
            assertEquals(json(c.expected()), json(text), () -> "encoding " + c.message());
            assertTrue(text.startsWith("{\"type\":"), () -> "type first: " + text);
        }
    }

    @Test
    void relayedPayloadsRoundTripUnchanged() {
        String frame = "{\"type\":\"offer\",\"name\":\"bob\",\"offer\":" + SDP + "}";
        ClientMessage.Offer in = (ClientMessage.Offer) Codec.decode(frame);
        JsonObject out = json(Codec.encode(new ServerMessage.Offer("alice", in.offer())));
        assertEquals(json(SDP), out.getJsonObject("offer"));
        assertEquals(JsonValue.TRUE, out.getJsonObject("offer").getJsonArray("extra").get(0));
    }

    @Test
    void encoderAndDecoderClassesUseTheCodec() throws Exception {
        MessageDecoder decoder = new MessageDecoder(1024);
        assertEquals(new ClientMessage.Leave("x"), decoder.decode("{\"type\":\"leave\",\"name\":\"x\"}"));
        assertThrows(MessageDecoder.Rejected.class, () -> decoder.decode("nope"));
        assertThrows(MessageDecoder.Oversized.class, () -> decoder.decode("{\"type\":\"ping\",\"id\":\"" + "é".repeat(600) + "\"}"));
        assertEquals("{\"type\":\"leave\",\"name\":\"x\"}", new MessageEncoder().encode(new ServerMessage.Leave("x")));
    }
}
