package local.textchat.registry;

import java.util.concurrent.atomic.AtomicLong;

/** The names of a single node: held in this JVM, at most {@code maxUsers} at once. */
public final class LocalNames implements NameStore {

    private final Users users;
    private final int maxUsers;
    private final AtomicLong ids = new AtomicLong();

    public LocalNames(Users users, int maxUsers) {
        this.users = users;
        this.maxUsers = maxUsers;
    }

    @Override
    public Claim claim(String name, String key, Connection connection, String token) {
        return users.atomically(() -> {
            Claim decided = users.decideHere(key, connection, token);
            if (decided != null) {
                return decided;
            }
            if (users.size() >= maxUsers) {
                return new Claim.Full();
            }
            User user = users.add(Long.toString(ids.incrementAndGet()), name, key, connection, Tokens.next());
            return new Claim.Claimed(user);
        });
    }
}
