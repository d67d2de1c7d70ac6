package dev.mutagenws.bench;

import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.url.URL;
import dev.mutagenws.testkit.FakeDaemon;
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

    /** Drops the FakeDaemon's (bounded) request log so that heap samples measure the server. */
    static int dropRecordedRequests(FakeDaemon fake) {
        int n = fake.requests().size();
        fake.clearRequests();
        return n;
    }
}
