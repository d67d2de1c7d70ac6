package dev.mutagenws.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
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
     * Bug: while the shared loop of the selection still waits out an outage (it retries with back-off, up to 5 s) and
     * the daemon is back, a long-poll that joins the loop does not wait. It is answered at once with the loop's last
     * snapshot, which is the old run's (its index is not the client's), or, when the client's index is that
     * snapshot's, told of the outage and answered with a direct {@code List}, which is the client's own index again.
     * A client that already has the new run's state gets stale state, or its own state back before its timeout, and
     * polls in a tight loop until the loop is back. The contract's long-poll views meet this in passing
     * ({@code RestLongPollLiveStateTest.PollView.early}); this case shows it whenever the loop is still down.
     */
    @Disabled("bug: in the shared loop's outage back-off, a long-poll answers at once, with the old run's state")
    @Test
    void aLongPollFromTheNewRunsIndexWaitsWhileTheSharedLoopIsStillDown() throws Exception {
        create("web");
        long old = harness.fake.stateIndex();
        try (WsTestClient witness = harness.ws()) {
            // A subscription of the same selection: its daemon pushes tell when the shared loop is down and back.
            witness.call(1, "subscribe", "{\"name\":\"web\"}");
            Predicate<JsonNode> back = f -> f.path("action").asText().equals("daemon") && f.path("id").asLong() == 1
                    && f.at("/data/connected").asBoolean();
            harness.fake.stop(StopOrder.CLOSE_FIRST); // the loop's last snapshot stays the one at index "old"
            witness.await(f -> f.path("action").asText().equals("daemon") && f.path("id").asLong() == 1);
            // Long enough for the loop's retries to back off to seconds.
            Thread.sleep(2500);
            harness.fake.start();
            assertThat(harness.fake.awaitIdle(RestTestClient.WAIT)).isTrue();
            // From the old run's index: the new run's state at once (a direct List, as the loop is still down).
            long current = data(http.get(SESSIONS + "?name=web&stateIndex=" + old + "&timeout=5s")).get("stateIndex")
                    .asLong();
            assertThat(current).isLessThan(old);
            assumeTrue(witness.seen().stream().noneMatch(back), "the shared loop was back before the poll");

            long sent = System.nanoTime();
            JsonNode data = data(http.get(SESSIONS + "?name=web&stateIndex=" + current + "&timeout=300ms"));
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            assumeTrue(witness.seen().stream().noneMatch(back), "the shared loop came back during the poll");
            // Nothing changed: the same state at the timeout. Seen instead: at once, the loop's snapshot from before
            // the outage (index "old", of the old run).
            assertThat(data.get("stateIndex").asLong()).isEqualTo(current);
            assertThat(took).as("answered after").isGreaterThanOrEqualTo(Duration.ofMillis(270));
        }
    }
}
