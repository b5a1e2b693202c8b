package local.textchat.fuzz;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Runs a property: {@code check} on {@code tries} values of {@code gen}. The tries come from a
 * system property for long runs ({@code -Dfuzz.tries=N}, {@code -Dfuzz.rounds=N},
 * {@code -Dfuzz.floods=N}); the seed from {@code -Dfuzz.seed=N}, else at random. The first failure
 * throws an {@link AssertionError} naming the property, the seed, the try and the case, so that
 * {@code -Dfuzz.seed=N} replays the run up to it. No shrinking.
 */
final class Fuzz {

    private static final int SHOWN = 400;

    private Fuzz() {
    }

    /** The seed of this JVM's runs: {@code fuzz.seed}, or one drawn at random. */
    static final long SEED = Long.getLong("fuzz.seed", new SplittableRandom().nextLong());

    /** Runs the property; returns the number of tries run. */
    static <T> int run(String name, int defaultTries, String triesProperty, Gen<T> gen, Consumer<? super T> check) {
        int tries = Integer.getInteger(triesProperty, defaultTries);
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 1; i <= tries; i++) {
            T value = gen.next(random);
            try {
                check.accept(value);
            } catch (OutOfMemoryError e) {
                throw e;
            } catch (Throwable e) {
                throw new AssertionError(name + " failed at try " + i + " of " + tries + " with -Dfuzz.seed=" + SEED
                        + ": " + e + "\ncase: " + shorten(String.valueOf(value)), e);
            }
        }
        return tries;
    }

    private static String shorten(String text) {
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "… (" + text.length() + " chars)";
    }
}
