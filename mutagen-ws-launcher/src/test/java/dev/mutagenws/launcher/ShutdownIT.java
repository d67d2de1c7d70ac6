package dev.mutagenws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.testkit.FakeDaemon;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * SIGTERM with work in flight (a REST long-poll, a WebSocket long-poll, a subscription, an SSE stream and a
 * pending prompt): everything is cancelled at the daemon, WebSockets get 1001, exit 0 within 5 s.
 */
class ShutdownIT {

    @Test
    void sigtermWithLongPollsAndAPendingPromptExitsZeroWithinFiveSecondsAndCancelsEverything() throws Exception {
        Path dir = Files.createTempDirectory("shutdown-it");
        try (FakeDaemon fake = FakeDaemon.builder().socketPath(dir.resolve("daemon.sock")).build().start();
                LauncherProcess launcher = LauncherProcess.start(dir.resolve("run"), "--listen", "127.0.0.1:0",
                        "--sock", fake.socketPath().toString(), "--log-level", "debug")) {
            fake.ssh().host("slow.example").password("never-answered");
            int port = launcher.port();
            String token = launcher.token();
            long index = fake.stateIndex();

            // 1. A REST long-poll.
            CompletableFuture<Integer> restPoll = HttpClient.create()
                    .headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token))
                    .get().uri("http://127.0.0.1:" + port + "/api/synchronization/sessions?stateIndex=" + index
                            + "&timeout=5m")
                    .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                            .thenReturn(response.status().code()))
                    .onErrorResume(e -> Mono.just(-1)) // the connection may simply close
                    .toFuture();
            awaitBlockedLists(fake, 1);

            // 2. A WebSocket with a long-polling list (the reference protocol's way to follow changes; its own
            //    selection, so its own upstream long-poll: the REST one's would be shared) and a creation
            //    waiting for an SSH password nobody gives.
            try (Ws ws = Ws.connect("ws://127.0.0.1:" + port + "/synchronization",
                    h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token))) {
                assertThat(ws.handshakeStatus()).isEqualTo(101);
                ws.send("{\"action\":\"list\",\"id\":1,\"data\":{\"label\":\"team=list\",\"stateIndex\":"
                        + index + "}}");
                ws.send("{\"action\":\"creation\",\"id\":2,\"data\":{\"name\":\"slow\",\"alpha\":{\"path\":\"/tmp/a\"},"
                        + "\"beta\":{\"protocol\":\"ssh\",\"host\":\"slow.example\",\"path\":\"~/b\"}}}");
                JsonNode prompt = ws.await(f -> f.path("action").asText().equals("prompt"));
                assertThat(prompt.get("id").asLong()).isEqualTo(2);
                awaitBlockedLists(fake, 2);
                // 3. A live-state subscription (its own selection, so its own upstream long-poll).
                ws.send("{\"action\":\"subscribe\",\"id\":3,\"data\":{\"label\":\"team=shutdown\"}}");
                assertThat(ws.await(f -> f.path("action").asText().equals("subscribe")).get("id").asLong()).isEqualTo(3);
                awaitBlockedLists(fake, 3);
                // 4. A Server-Sent Events stream on yet another selection.
                CompletableFuture<String> sse = HttpClient.create()
                        .headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token).set("Accept", "text/event-stream"))
                        .get().uri("http://127.0.0.1:" + port + "/api/synchronization/events?label=team%3Dsse")
                        .responseContent().asString().reduce("", String::concat)
                        .onErrorResume(e -> Mono.just("closed: " + e))
                        .toFuture();
                awaitBlockedLists(fake, 4);

                long started = System.nanoTime();
                int exit = launcher.terminate(); // asserts the exit within 5 s
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertThat(exit).as("exit code; stderr: %s", launcher.stderr()).isZero();
                assertThat(tookMs).isLessThan(5000);

                assertThat(ws.awaitCloseStatus().code()).isEqualTo(1001);
                assertThat(sse.get(5, TimeUnit.SECONDS)).as("the SSE stream delivered its state, then ended")
                        .contains("event: state");
            }
            assertThat(fake.awaitCancelled("List", 4, Duration.ofSeconds(5)))
                    .as("all four long-polls (REST, WebSocket list, subscription, SSE) cancelled at the daemon").isTrue();
            assertThat(fake.awaitCancelled("Create", Duration.ofSeconds(5))).as("the prompting creation cancelled")
                    .isTrue();
            assertThat(restPoll.get(5, TimeUnit.SECONDS)).as("the REST long-poll ended").isIn(503, -1);
            assertThat(launcher.stderr()).contains("shutting down").contains("stopped");
        }
    }

    static void awaitBlockedLists(FakeDaemon fake, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fake.blockedListCalls() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " blocked List calls, have " + fake.blockedListCalls());
            }
            Thread.sleep(20);
        }
    }
}
