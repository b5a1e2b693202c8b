package local.textchat.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code GET /metrics}: its status, content type and body, the samples in it (by series, as
 * written: {@code name{label="value"}}), and Prometheus's own verdict on the text
 * ({@code promtool check metrics}, found through {@code PROMTOOL} or the PATH).
 */
public record MetricsScrape(int status, String contentType, String body) {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

    /** Scrape the application at {@code base}, with {@code Authorization: Bearer token} unless it is null. */
    public static MetricsScrape of(URI base, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("metrics")).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new MetricsScrape(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(base + "metrics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every sample line's value, by its series ({@code name} or {@code name{labels}}). */
    public Map<String, Double> samples() {
        Map<String, Double> samples = new HashMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    /** The value of {@code series}, 0 if the scrape has no such sample (a counter not yet touched). */
    public double value(String series) {
        return samples().getOrDefault(series, 0.0);
    }

    /** Fail unless {@code promtool check metrics} accepts the body (lint problems included). */
    public void assertValid() {
        String promtool = System.getenv().getOrDefault("PROMTOOL", "promtool");
        boolean found = promtool.contains("/") ? Files.isExecutable(Path.of(promtool)) : onPath(promtool);
        Dependencies.require(found, "promtool (Prometheus) is not installed; .ci/run takes it from Debian's "
                + "prometheus package, or set PROMTOOL");
        try {
            Process process = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
            process.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            String verdict = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool check metrics did not finish");
            }
            assertEquals(0, process.exitValue(), () -> "promtool check metrics: " + verdict + "\n--- body ---\n" + body);
            assertEquals("", verdict.strip(), () -> "promtool check metrics found problems: " + verdict);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + promtool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
