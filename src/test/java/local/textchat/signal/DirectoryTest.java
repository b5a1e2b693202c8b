package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import local.textchat.support.TestServer;
import local.textchat.support.WsClient;

/**
 * PROTOCOL.md, "Presence and the directory": past {@code textchat.directoryFullList} others
 * online, a login lists the first page of names and the total, hears only of the people on its
 * list, and searches the rest with {@code who}. Here the full list ends at 2 and a page is 2 names.
 */
class DirectoryTest {

    private static final Map<String, String> SMALL = Map.of("textchat.directoryFullList", "2", "textchat.directoryPage", "2");

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(SMALL);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static List<String> names(JsonObject message) {
        return message.getJsonArray("users").getValuesAs(JsonString::getString);
    }

    @Test
    void whileTheListIsShortALoginListsEveryone() {
        try (WsClient a = server.login("d1-a"); WsClient b = server.login("d1-b"); WsClient c = server.connect()) {
            JsonObject reply = c.login("d1-c");
            assertEquals(List.of("d1-a", "d1-b"), names(reply));
            assertEquals(2, reply.getInt("usersTotal"));
        }
    }

    @Test
    void pastTheFullListALoginListsAFirstPageInNameOrderAndTheTotal() {
        try (WsClient c = server.login("d2-C"); WsClient a = server.login("d2-a"); WsClient b = server.login("D2-b");
             WsClient d = server.connect()) {
            JsonObject reply = d.login("d2-d");
            assertEquals(List.of("d2-a", "D2-b"), names(reply), "the first two in name order, any case");
            assertEquals(3, reply.getInt("usersTotal"));
        }
    }

    @Test
    void aDirectoryListHearsOnlyOfThePeopleOnIt() {
        try (WsClient a = server.login("d3-a"); WsClient b = server.login("d3-b")) {
            WsClient c = server.login("d3-c");
            try (WsClient d = server.connect()) {
                assertEquals(List.of("d3-a", "d3-b"), names(d.login("d3-d")));
                // Those who logged in while the list was short hear of everyone, d included.
                a.nextMatching(m -> m.getString("type").equals("online") && m.getString("name").equals("d3-d"));
                c.close();
                d.expectSilence(300); // c is not on d's list
                a.nextMatching(m -> m.getString("type").equals("offline") && m.getString("name").equals("d3-c"));
                try (WsClient e = server.login("d3-e")) {
                    d.expectSilence(300); // nor is a newcomer
                    a.nextMatching(m -> m.getString("type").equals("online") && m.getString("name").equals("d3-e"));
                }
                b.close();
                assertEquals("d3-b", d.next("offline").getString("name"), "b is on d's list");
            }
        }
    }

    @Test
    void whoSearchesByPrefixInAnyCaseAndTheAnswerBecomesTheList() {
        try (WsClient a = server.login("d4-anna"); WsClient b = server.login("d4-bob");
             WsClient c = server.login("d4-Bea"); WsClient d = server.connect()) {
            d.login("d4-dan");
            d.send("{\"type\":\"who\",\"prefix\":\"D4-B\"}");
            JsonObject found = d.next("who");
            assertEquals("D4-B", found.getString("prefix"));
            assertEquals(List.of("d4-Bea", "d4-bob"), names(found));
            assertEquals(2, found.getInt("total"));

            d.send("{\"type\":\"who\",\"limit\":1}");
            JsonObject first = d.next("who");
            assertEquals(List.of("d4-anna"), names(first));
            assertEquals(3, first.getInt("total"), "everyone but the one asking");

            // d's list is now anna alone: bob's departure passes unheard, anna's does not.
            b.close();
            d.expectSilence(300);
            a.close();
            assertEquals("d4-anna", d.next("offline").getString("name"));
        }
    }

    @Test
    void whoNeedsALoginAndAWholeLimitFromOneToAHundred() {
        try (WsClient anon = server.connect(); WsClient d = server.login("d5-d")) {
            anon.send("{\"type\":\"who\",\"prefix\":\"x\"}");
            anon.nextError("not-logged-in");
            for (String limit : List.of("0", "101", "2.5", "\"3\"")) {
                d.send("{\"type\":\"who\",\"limit\":" + limit + "}");
                d.nextError("invalid-message");
            }
            d.send("{\"type\":\"who\",\"prefix\":\"zz-nobody\",\"limit\":100}");
            JsonObject none = d.next("who");
            assertEquals(List.of(), names(none));
            assertEquals(0, none.getInt("total"));
        }
    }
}
