package local.textchat.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A generator of random values: the fuzzers' whole generation library. Everything is drawn from
 * the one {@link SplittableRandom} passed in, so a seed reproduces a run ({@link Fuzz}).
 */
@FunctionalInterface
interface Gen<T> {

    T next(SplittableRandom random);

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return random -> f.apply(next(random));
    }

    /** Values that pass {@code keep}; gives up after 10,000 misses in a row (a degenerate filter). */
    default Gen<T> filter(Predicate<? super T> keep) {
        return random -> {
            for (int i = 0; i < 10_000; i++) {
                T value = next(random);
                if (keep.test(value)) {
                    return value;
                }
            }
            throw new IllegalStateException("filter rejected 10,000 values in a row");
        };
    }

    /** Lists of {@code min} to {@code max} values (both inclusive, uniformly). */
    default Gen<List<T>> list(int min, int max) {
        return random -> {
            int size = random.nextInt(min, max + 1);
            List<T> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(next(random));
            }
            return list;
        };
    }

    /** Lists of at most {@code max} values, none with the same {@code key} (duplicates are dropped). */
    default <K> Gen<List<T>> uniqueList(int max, Function<? super T, K> key) {
        return list(0, max).map(values -> {
            Map<K, T> unique = new LinkedHashMap<>();
            values.forEach(value -> unique.putIfAbsent(key.apply(value), value));
            return new ArrayList<>(unique.values());
        });
    }

    /** Present with probability {@code presence}, else empty. */
    default Gen<Optional<T>> optional(double presence) {
        return random -> random.nextDouble() < presence ? Optional.of(next(random)) : Optional.empty();
    }

    static <A, B, R> Gen<R> combine(Gen<A> a, Gen<B> b, BiFunction<? super A, ? super B, ? extends R> f) {
        return random -> {
            A first = a.next(random);
            return f.apply(first, b.next(random));
        };
    }

    static <A, B, C, R> Gen<R> combine(Gen<A> a, Gen<B> b, Gen<C> c, Function3<? super A, ? super B, ? super C,
            ? extends R> f) {
        return random -> {
            A first = a.next(random);
            B second = b.next(random);
            return f.apply(first, second, c.next(random));
        };
    }

    @FunctionalInterface
    interface Function3<A, B, C, R> {
        R apply(A a, B b, C c);
    }

    static <T> Gen<T> just(T value) {
        return random -> value;
    }

    /** {@code min} to {@code max}, both inclusive. */
    static Gen<Integer> ints(int min, int max) {
        return random -> random.nextInt(min, max + 1);
    }

    /** Any int, half the time a small one (as real clients mostly send). */
    static Gen<Integer> anyInt() {
        return random -> random.nextBoolean() ? random.nextInt() : random.nextInt(-1000, 1001);
    }

    static Gen<Long> anyLong() {
        return random -> random.nextBoolean() ? random.nextLong() : random.nextLong(-1000, 1001);
    }

    /** Finite doubles of every magnitude, with up to two decimals at small magnitudes. */
    static Gen<Double> anyDouble() {
        return random -> {
            double value = (random.nextDouble() * 2 - 1) * Math.pow(10, random.nextInt(0, 309));
            return Double.isFinite(value) ? Math.round(value * 100) / 100.0 : 0.0;
        };
    }

    /** In [0, 1). */
    static Gen<Double> fraction() {
        return SplittableRandom::nextDouble;
    }

    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        return of(List.of(values));
    }

    static <T> Gen<T> of(List<T> values) {
        return random -> values.get(random.nextInt(values.size()));
    }

    /** One of {@code gens}, equally likely. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        return random -> gens[random.nextInt(gens.length)].next(random);
    }

    record Weighted<T>(int weight, Gen<? extends T> gen) {
    }

    static <T> Weighted<T> weight(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** One of {@code choices}, each as likely as its weight. */
    @SafeVarargs
    static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
        int total = 0;
        for (Weighted<? extends T> choice : choices) {
            total += choice.weight();
        }
        int sum = total;
        return random -> {
            int pick = random.nextInt(sum);
            for (Weighted<? extends T> choice : choices) {
                pick -= choice.weight();
                if (pick < 0) {
                    return choice.gen().next(random);
                }
            }
            throw new AssertionError("unreachable");
        };
    }

    /** Strings of {@code min} to {@code max} characters taken from {@code chars}. */
    static Gen<String> strings(String chars, int min, int max) {
        return random -> {
            int length = random.nextInt(min, max + 1);
            StringBuilder out = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                out.append(chars.charAt(random.nextInt(chars.length())));
            }
            return out.toString();
        };
    }

    /** Strings of up to {@code max} characters of any char value, lone surrogates included. */
    static Gen<String> anyChars(int max) {
        return random -> {
            int length = random.nextInt(0, max + 1);
            StringBuilder out = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                out.append((char) random.nextInt(Character.MAX_VALUE + 1));
            }
            return out.toString();
        };
    }

    /** Up to {@code max} random bytes. */
    static Gen<byte[]> bytes(int max) {
        return random -> {
            byte[] bytes = new byte[random.nextInt(0, max + 1)];
            random.nextBytes(bytes);
            return bytes;
        };
    }
}
