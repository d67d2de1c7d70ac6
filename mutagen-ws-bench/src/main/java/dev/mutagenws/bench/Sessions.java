package dev.mutagenws.bench;

import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.url.URL;
import dev.mutagenws.testkit.FakeDaemon;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;

/** Fills a FakeDaemon with sessions through the daemon API, like a real client would. */
final class Sessions {
    private Sessions() {
    }

    static CreationSpecification spec(int i, boolean paused) {
        return CreationSpecification.newBuilder()
                .setAlpha(URL.newBuilder().setPath("/tmp/mutagen-bench/a-" + i))
                .setBeta(URL.newBuilder().setPath("/tmp/mutagen-bench/b-" + i))
                .setName("bench-" + i)
                .putLabels("bench", "yes")
                .putLabels("group", "g" + (i % 10))
                .setPaused(paused)
                .build();
    }

    /** Creates {@code n} sessions concurrently (32 at a time); blocks the calling (main) thread. */
    static List<String> create(FakeDaemon fake, int n, boolean paused) {
        try (MutagenDaemon client = MutagenDaemon.builder().socket(fake.socketPath()).build()) {
            return Flux.range(0, n)
                    .flatMap(i -> client.create(spec(i, paused), Prompter.silent()), 32)
                    .collectList()
                    .block(Duration.ofMinutes(5));
        }
    }

    /**
     * The FakeDaemon records every request it receives, without bound. A soak of many millions of
     * calls would measure that list, not the server; this drops it (reflection: the testkit has no
     * API for it). Returns the number of records dropped, or -1 when the field is not there.
     */
    static int dropRecordedRequests(FakeDaemon fake) {
        try {
            Field f = FakeDaemon.class.getDeclaredField("requests");
            f.setAccessible(true);
            List<?> requests = (List<?>) f.get(fake);
            synchronized (requests) {
                int n = requests.size();
                requests.clear();
                return n;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
