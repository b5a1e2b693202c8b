package local.textchat.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import local.textchat.browser.Browser.Kind;

/**
 * Throughput of a file over a call on loopback (docs/files.md): a 50 MiB file, five times per
 * browser pairing, timed from the receiver's accept to the receiver's "done" (the hash checked),
 * with the sender's largest buffered amount. A benchmark, not a test: run alone with
 * {@code mvn verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FileTransferBenchmark -Dinvoker.skip=true -Dcontainers.skip=true}.
 */
class FileTransferBenchmark {

    private static final long MIB = 1024 * 1024;

    @RegisterExtension
    final BrowserHarness browser = new BrowserHarness();

    static Stream<Arguments> pairings() {
        return Stream.of(Arguments.of(Kind.CHROMIUM, Kind.CHROMIUM), Arguments.of(Kind.CHROMIUM, Kind.FIREFOX),
                Arguments.of(Kind.FIREFOX, Kind.CHROMIUM), Arguments.of(Kind.FIREFOX, Kind.FIREFOX));
    }

    @ParameterizedTest(name = "from {0} to {1}")
    @MethodSource("pairings")
    void measure(Kind from, Kind to) {
        ChatTab alice = browser.openTab(from);
        alice.signInAndWait("alice");
        ChatTab bob = browser.openTab(to);
        bob.signInAndWait("bob");
        alice.callAndConnect(bob);
        alice.await("the composer open", ChatTab::sendEnabled);
        bob.await("the composer open", ChatTab::sendEnabled);
        List<String> rates = new ArrayList<>();
        List<String> heaps = new ArrayList<>();
        for (int run = 1; run <= 5; run++) {
            String name = "run-" + run + ".bin";
            alice.dropFile(name, "application/octet-stream", 50 * MIB, false);
            bob.awaitTransfer(name, "asking", Duration.ofSeconds(30));
            // JavaScript heap (Chromium only) from just before the accept: the test's own 50 MiB
            // file is made already, so what grows is the transfer's.
            long senderBefore = ((Number) alice.transferWatch().get("heapNow")).longValue();
            long receiverBefore = ((Number) bob.transferWatch().get("heapNow")).longValue();
            alice.watchTransfers();
            bob.watchTransfers();
            long started = System.nanoTime();
            bob.fileAction(name, "accept");
            bob.await(name + " done", Duration.ofSeconds(300), d -> {
                String state = (String) d.transfer(name).get("state");
                return "done".equals(state) || "failed".equals(state) ? state : null;
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            rates.add(String.format("%.1f", 50 / seconds));
            heaps.add(growth(alice, senderBefore) + "/" + growth(bob, receiverBefore));
        }
        System.out.printf("MEASURE files %s -> %s: MiB/s per 50 MiB run %s; heap growth MiB sender/receiver %s;"
                + " sender binary frames %s%n", from, to, rates, heaps, alice.transferWatch().get("binary"));
    }

    private static String growth(ChatTab tab, long before) {
        long max = ((Number) tab.transferWatch().get("maxHeap")).longValue();
        return before == 0 || max == 0 ? "n/a" : String.valueOf((max - before) / MIB);
    }
}
