package dev.mutagenws.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.internal.server.RestRoutes;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.FakeDaemon;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST long-poll ({@code ?stateIndex=&timeout=}) waits on the shared state loop, not on a List call per client. */
class RestLongPollTest {
    private static final String SESSIONS = RestRoutes.SESSIONS;

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
    void aChangeOfAnotherSessionDoesNotEndALongPollOfThisSelection() throws Exception {
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

    @Test
    void anIndexFromBeforeADaemonRestartAnswersAtOnceWithTheFreshState() throws Exception {
        create("web");
        harness.fake.session("web").lastError("before");
        long before = harness.fake.stateIndex();
        harness.fake.restart();
        assertThat(harness.fake.awaitIdle(RestTestClient.WAIT)).isTrue();
        assertThat(harness.fake.stateIndex()).isLessThan(before);
        assertThat(Await.until(() -> http.get(SESSIONS).status() == 200)).isTrue(); // reconnected
        JsonNode data = data(http.get(SESSIONS + "?name=web&stateIndex=" + before + "&timeout=60s"));
        assertThat(data.get("stateIndex").asLong()).isEqualTo(harness.fake.stateIndex());
    }
}
