package dev.mutagenws.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.internal.server.RestRoutes;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.FakeDaemon;
import dev.mutagenws.testkit.FakeDaemon.StopOrder;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is particular to the REST long-poll ({@code ?stateIndex=&timeout=}): its timeout, and that it waits on the
 * shared state loop, not on a List call per client. Following state by long-polling is {@link LiveStateContract}'s
 * ({@link RestLongPollLiveStateTest}).
 */
class RestLongPollTest {
    private static final String SESSIONS = RestContractTest.SESSIONS;

    private GatewayHarness harness;
    private RestTestClient http;

    @BeforeEach
    void start() {
        harness = new GatewayHarness(FakeDaemon.builder().build().start(), GatewayOptions.defaults());
        http = new RestTestClient(harness.port());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private void create(String name) throws InterruptedException {
        harness.createLocal(name);
    }

    private static JsonNode data(RestTestClient.Response r) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(200);
        assertThat(r.json().get("action").asText()).isEqualTo("list");
        assertThat(r.json().get("code").asInt()).isZero();
        return r.json().get("data");
    }

    @Test
    void fiftyConcurrentLongPollsOfOneSelectionShareOneUpstreamLoop() throws Exception {
        create("web");
        long index = harness.fake.stateIndex();
        long callsBefore = harness.fake.listCalls("web");
        List<CompletableFuture<RestTestClient.Response>> polls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            polls.add(http.sendAsync(HttpMethod.GET, SESSIONS + "?name=web&stateIndex=" + index + "&timeout=60s", null));
        }
        assertThat(Await.until(() -> harness.fake.blockedListCalls() == 1)).isTrue();
        Thread.sleep(300); // time for any further (wrong) List calls to arrive
        assertThat(harness.fake.blockedListCalls()).isEqualTo(1);
        // One loop: its first call answers at once with the current index, its second waits for a change.
        assertThat(harness.fake.listCalls("web") - callsBefore).isEqualTo(2);
        assertThat(polls).noneMatch(CompletableFuture::isDone);

        harness.fake.session("web").lastError("boom");
        for (CompletableFuture<RestTestClient.Response> poll : polls) {
            JsonNode data = data(poll.get(10, TimeUnit.SECONDS));
            assertThat(data.get("stateIndex").asLong()).isGreaterThan(index);
            assertThat(data.at("/sessionStates/0/lastError").asText()).isEqualTo("boom");
        }
        assertThat(harness.fake.listCalls("web") - callsBefore).isLessThanOrEqualTo(4);
    }

    @Test
    void aLongPollThatTimesOutAnswersTheUnchangedStateAtTheClientsIndex() throws Exception {
        create("web");
        create("api");
        long index = harness.fake.stateIndex();
        CompletableFuture<RestTestClient.Response> poll = http.sendAsync(HttpMethod.GET,
                SESSIONS + "?name=web&stateIndex=" + index + "&timeout=1s", null);
        assertThat(Await.until(() -> harness.fake.blockedListCalls() == 1)).isTrue();
        harness.fake.session("api").lastError("elsewhere"); // wakes the daemon's long-poll; web is unchanged
        JsonNode data = data(poll.get(10, TimeUnit.SECONDS));
        // Answered at the timeout, with the index the client has: nothing it selected changed.
        assertThat(data.get("stateIndex").asLong()).isEqualTo(index);
        assertThat(data.get("sessionStates")).hasSize(1);
        assertThat(data.at("/sessionStates/0/session/name").asText()).isEqualTo("web");
        assertThat(data.at("/sessionStates/0/lastError").asText()).isEmpty();
    }

    /**
     * While the shared loop of the selection still waits out an outage (it retries with back-off, up to 5 s) and the
     * daemon is back, a long-poll that joins hears of the outage, not of the loop's last snapshot (of the old run),
     * and wakes the loop. A client with the new run's index then waits like any up-to-date client: no tight loop.
     */
    @Test
    void aLongPollThatJoinsWhileTheSharedLoopIsDownNeverGetsTheOldRunsState() throws Exception {
        create("web");
        long old = harness.fake.stateIndex();
        try (WsTestClient witness = harness.ws()) {
            // A subscription of the same selection keeps the shared loop alive and tells when it saw the outage.
            witness.call(1, "subscribe", "{\"name\":\"web\"}");
            harness.fake.stop(StopOrder.CLOSE_FIRST); // the loop's last snapshot stays the one at index "old"
            witness.await(f -> f.path("action").asText().equals("daemon") && f.path("id").asLong() == 1);
            // Long enough for the loop's retries to back off to seconds.
            Thread.sleep(2500);
            harness.fake.start();
            assertThat(harness.fake.awaitIdle(RestTestClient.WAIT)).isTrue();
            // From the old run's index: the new run's state at once, not the loop's snapshot at index "old".
            long sent = System.nanoTime();
            long current = data(http.get(SESSIONS + "?name=web&stateIndex=" + old + "&timeout=5s")).get("stateIndex")
                    .asLong();
            assertThat(current).isLessThan(old);
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("answered after").isLessThan(Duration.ofSeconds(2));

            // From the new run's index: nothing changed, so the same index at the timeout, not before.
            sent = System.nanoTime();
            JsonNode data = data(http.get(SESSIONS + "?name=web&stateIndex=" + current + "&timeout=300ms"));
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            assertThat(data.get("stateIndex").asLong()).isEqualTo(current);
            assertThat(data.at("/sessionStates/0/session/name").asText()).isEqualTo("web");
            assertThat(took).as("answered after").isGreaterThanOrEqualTo(Duration.ofMillis(270));
        }
    }
}
