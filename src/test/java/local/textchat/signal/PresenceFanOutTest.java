package local.textchat.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import local.textchat.registry.Claim;
import local.textchat.registry.Registry;
import local.textchat.registry.User;
import local.textchat.registry.Users;
import local.textchat.support.RecordingConnection;

/**
 * Presence fan-out at the unit level: a presence change is encoded once and that one frame is
 * queued on every socket that is to hear of it (the protocol tests, PresenceTest and
 * DirectoryTest, check who hears what over real sockets).
 */
class PresenceFanOutTest {

    private final Registry registry = Registry.local(new Users(), Integer.MAX_VALUE);

    private User admitted(Presence presence, String name, RecordingConnection socket) {
        User user = ((Claim.Claimed) registry.claim(name, socket, null)).user();
        presence.admit(user, socket);
        return user;
    }

    @Test
    void aLoginAndADepartureAreEachEncodedOnceForEveryoneWhoHears() {
        Presence presence = new Presence(registry, 500, 20);
        List<RecordingConnection> sockets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RecordingConnection socket = new RecordingConnection();
            admitted(presence, "user" + i, socket);
            sockets.add(socket);
        }
        sockets.forEach(socket -> socket.sent.clear());

        User erin = admitted(presence, "erin", new RecordingConnection());
        presence.joined(erin);
        presence.departed(erin);

        String online = sockets.get(0).sent.get(0);
        String offline = sockets.get(0).sent.get(1);
        assertEquals("{\"type\":\"online\",\"name\":\"erin\"}", online);
        assertEquals("{\"type\":\"offline\",\"name\":\"erin\"}", offline);
        for (RecordingConnection socket : sockets) {
            assertEquals(2, socket.sent.size());
            assertSame(online, socket.sent.get(0), "the same frame, not an encoding per socket");
            assertSame(offline, socket.sent.get(1));
        }
    }

    @Test
    void inALargeDeploymentOnlyTheSocketsWhoseListShowsTheUserHearAndShareOneFrame() {
        // Lists of 2 names once more than 2 others are online.
        Presence presence = new Presence(registry, 2, 2);
        List<User> users = new ArrayList<>();
        for (String name : List.of("ann", "ben", "cat")) {
            users.add(admitted(presence, name, new RecordingConnection()));
        }
        RecordingConnection dan = new RecordingConnection();
        RecordingConnection eve = new RecordingConnection();
        admitted(presence, "dan", dan); // first page: ann, ben
        User eveUser = admitted(presence, "eve", eve); // first page: ann, ben
        presence.search(eveUser, eve, "c", 5); // eve's list is now: cat

        presence.departed(users.get(0)); // ann
        presence.departed(users.get(2)); // cat

        assertEquals(List.of("{\"type\":\"offline\",\"name\":\"ann\"}"), dan.sent);
        assertEquals(List.of("{\"type\":\"offline\",\"name\":\"cat\"}"), eve.sent);
    }
}
