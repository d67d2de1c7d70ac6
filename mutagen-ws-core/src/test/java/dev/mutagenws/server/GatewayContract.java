package dev.mutagenws.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.FakeDaemon;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The protocol's behaviour, written once and run over every transport (in the style of
 * rsocket-java's transport tests): each subclass only says how to reach the gateway through its
 * {@link Transport}. A case that fails for one transport and passes for another is a difference
 * between transports, which the protocol does not allow.
 *
 * <p>Every case runs against a fresh gateway in front of a fresh {@link FakeDaemon}; {@link #fake()}
 * changes the daemon behind the transport's back (state changes, stopping it).
 */
abstract class GatewayContract {
    static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * One way of speaking the protocol, as the contract needs it. Keep it small: a new transport
     * (SSE, ...) should need only this.
     */
    interface Transport extends AutoCloseable {
        /**
         * Sends request {@code action} with {@code dataJson} (JSON text, or null for no data) and
         * completes with the reply envelope {@code {"action","id","code","message","data"}} (never a
         * push). The transport checks what is its own business (the id echoed over WebSocket, the
         * HTTP status matching the code over REST) and fails the future when that is wrong.
         */
        CompletableFuture<JsonNode> callAsync(String action, String dataJson);

        /** {@link #callAsync} and wait for the reply. */
        default JsonNode call(String action, String dataJson) throws Exception {
            return callAsync(action, dataJson).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** How error messages name the request's data: {@code data} for frames, {@code body} for REST. */
        String dataPath();

        /** False for actions the transport genuinely lacks (cases needing them are skipped). */
        boolean supports(String action);

        @Override
        void close();
    }

    private GatewayHarness harness;
    private Transport transport;

    /** Opens a transport to the harness's gateway. */
    abstract Transport open(GatewayHarness harness);

    @BeforeEach
    final void startGateway() {
        harness = new GatewayHarness(FakeDaemon.builder().build().start(), GatewayOptions.builder()
                .promptTimeout(Duration.ofSeconds(3)).build());
        transport = open(harness);
    }

    @AfterEach
    final void stopGateway() {
        transport.close();
        harness.close();
    }

    final FakeDaemon fake() {
        return harness.fake;
    }

    // ------------------------------------------------------------------ helpers

    /** A success of {@code action}: code 0, empty message; returns data. */
    static JsonNode success(JsonNode reply, String action) {
        assertEnvelope(reply);
        assertThat(reply.get("code").asInt()).as("code of %s", reply).isZero();
        assertThat(reply.get("action").asText()).as("action of %s", reply).isEqualTo(action);
        assertThat(reply.get("message").asText()).isEmpty();
        return reply.get("data");
    }

    /** A failure with {@code code}: action "error", data null; returns the message. */
    static String failure(JsonNode reply, int code) {
        assertEnvelope(reply);
        assertThat(reply.get("code").asInt()).as("code of %s", reply).isEqualTo(code);
        assertThat(reply.get("action").asText()).isEqualTo("error");
        assertThat(reply.get("data").isNull()).as("data of %s", reply).isTrue();
        return reply.get("message").asText();
    }

    static void assertEnvelope(JsonNode reply) {
        assertThat(reply.fieldNames()).toIterable().as("keys of %s", reply)
                .containsExactly("action", "id", "code", "message", "data");
    }

    static String local(String name, String labels) {
        return "{\"name\":\"" + name + "\",\"labels\":" + labels + ",\"alpha\":{\"path\":\"/tmp/a-" + name
                + "\"},\"beta\":{\"path\":\"/tmp/b-" + name + "\"}}";
    }

    String create(String name) throws Exception {
        JsonNode data = success(transport.call("creation", local(name, "{\"team\":\"web\"}")), "creation");
        assertThat(data.fieldNames()).toIterable().containsExactly("session");
        return data.get("session").asText();
    }

    static List<String> ids(JsonNode listData) {
        List<String> ids = new ArrayList<>();
        listData.get("sessionStates").forEach(s -> ids.add(s.get("session").get("identifier").asText()));
        return ids;
    }

    // ------------------------------------------------------------------ cases

    @Test
    void listingNothingAnswersAnEmptyArrayAndAPositiveIndex() throws Exception {
        JsonNode data = success(transport.call("list", null), "list");
        assertThat(data.get("sessionStates").toString()).isEqualTo("[]");
        assertThat(data.get("stateIndex").asLong()).isPositive();
    }

    @Test
    void aCreatedSessionIsListedWithItsStatus() throws Exception {
        String id = create("web");
        assertThat(id).matches("sync_[0-9a-zA-Z]{43}");
        JsonNode all = success(transport.call("list", null), "list");
        assertThat(ids(all)).containsExactly(id);
        JsonNode state = all.get("sessionStates").get(0);
        assertThat(state.get("status").isTextual()).isTrue();
        assertThat(state.get("session").get("name").asText()).isEqualTo("web");
        assertThat(state.get("session").get("labels").toString()).isEqualTo("{\"team\":\"web\"}");

        String other = create("api");
        assertThat(ids(success(transport.call("list", "{\"name\":\"api\"}"), "list"))).containsExactly(other);
        assertThat(ids(success(transport.call("list", "{\"id\":\"" + id + "\"}"), "list"))).containsExactly(id);
        assertThat(ids(success(transport.call("list", "{\"label\":\"team=web\"}"), "list")))
                .containsExactly(id, other);
        assertThat(ids(success(transport.call("list", "{\"names\":[\"api\",\"web\"]}"), "list")))
                .containsExactlyInAnyOrder(id, other);
    }

    @Test
    void everyOperationSucceedsWithAnEmptyObject() throws Exception {
        String id = create("web");
        String selection = "{\"id\":\"" + id + "\"}";
        for (String action : List.of("pause", "resume", "flush", "reset", "terminate")) {
            fake().awaitIdle(WAIT);
            assertThat(success(transport.call(action, selection), action).toString()).as(action).isEqualTo("{}");
        }
        assertThat(fake().sessions()).isEmpty();
    }

    @Test
    void flushTakesSkipWait() throws Exception {
        create("web");
        fake().awaitIdle(WAIT);
        assertThat(success(transport.call("flush", "{\"name\":\"web\",\"skipWait\":true}"), "flush").toString())
                .isEqualTo("{}");
        assertThat(fake().requests("Flush")).hasSize(1);
        assertThat(fake().requests("Flush").get(0).message().toString()).contains("skipWait: true");
    }

    @Test
    void aSelectionThatMatchesNothingCarriesTheDaemonsText() throws Exception {
        String expected = "unable to locate requested sessions: specification \"xxx\" did not match any sessions";
        assertThat(failure(transport.call("list", "{\"name\":\"xxx\"}"), 2001)).isEqualTo(expected);
        assertThat(failure(transport.call("pause", "{\"name\":\"xxx\"}"), 2001)).isEqualTo(expected);
    }

    @Test
    void anUnparsableLabelSelectorCarriesTheDaemonsText() throws Exception {
        assertThat(failure(transport.call("list", "{\"label\":\"===\"}"), 2001)).isEqualTo("unable to locate"
                + " requested sessions: unable to parse label selector: found '==', expected: !, identifier, or"
                + " 'end of string'");
    }

    @Test
    void aLabelThatMatchesNothingIsAnEmptySuccess() throws Exception {
        create("web");
        JsonNode data = success(transport.call("list", "{\"label\":\"team=nobody\"}"), "list");
        assertThat(data.get("sessionStates").toString()).isEqualTo("[]");
        assertThat(data.get("stateIndex").asLong()).isPositive();
    }

    @Test
    void creationValidationFailsWithTheDaemonsText() throws Exception {
        JsonNode reply = transport.call("creation", "{\"alpha\":{\"path\":\"relative\"},\"beta\":{\"path\":\"/b\"}}");
        assertThat(failure(reply, 2003)).isEqualTo("invalid create request: invalid creation specification:"
                + " invalid alpha URL: local URL with relative path");
        assertThat(fake().sessions()).isEmpty();
    }

    @Test
    void badInputIsRefusedWithThePathOfTheField() throws Exception {
        String data = transport.dataPath();
        assertThat(failure(transport.call("pause", "{\"id\":5}"), 2003)).isEqualTo(data + ".id: expected a string, got 5");
        assertThat(failure(transport.call("resume", "{\"nmae\":\"web\"}"), 2003)).isEqualTo(data + ".nmae: unknown field");
        assertThat(failure(transport.call("terminate", "{\"all\":true,\"name\":\"x\"}"), 2003))
                .startsWith(data + ".all: cannot be combined");
        assertThat(failure(transport.call("creation", "{\"alpha\":{\"prot\":\"ssh\"}}"), 2003))
                .isEqualTo(data + ".alpha.prot: unknown field");
        assertThat(fake().requests()).noneMatch(r -> r.shortMethod().equals("Pause")
                || r.shortMethod().equals("Resume") || r.shortMethod().equals("Terminate")
                || r.shortMethod().equals("Create"));
    }

    @Test
    void aLongPollAnswersWhenTheStateChanges() throws Exception {
        String id = create("web");
        fake().awaitIdle(WAIT);
        long index = success(transport.call("list", null), "list").get("stateIndex").asLong();

        CompletableFuture<JsonNode> poll = transport.callAsync("list", "{\"stateIndex\":" + index + "}");
        assertThat(Await.until(() -> fake().blockedListCalls() == 1)).isTrue();
        assertThat(poll).isNotDone();
        fake().session(id).successfulCycles(7);

        JsonNode data = success(poll.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "list");
        assertThat(data.get("stateIndex").asLong()).isGreaterThan(index);
        assertThat(data.get("sessionStates").get(0).get("successfulCycles").asLong()).isEqualTo(7);

        // An index that is not the current one answers at once.
        JsonNode stale = success(transport.call("list", "{\"stateIndex\":1}"), "list");
        assertThat(stale.get("stateIndex").asLong()).isEqualTo(data.get("stateIndex").asLong());
    }

    @Test
    void aStoppedDaemonIsUnavailableUntilItComesBack() throws Exception {
        create("web");
        fake().stop();
        String missing = "Mutagen daemon is not running: no socket at " + fake().socketPath()
                + " (start it with 'mutagen daemon start')";
        // A call racing the shutdown may still go out on the closing connection and be told that it was lost;
        // the live-state transports keep the first reason while the daemon stays down. Either way: 2006, and a
        // reason naming the socket.
        String lost = "lost the connection to the Mutagen daemon at " + fake().socketPath();
        String unavailable = "Mutagen daemon unavailable at " + fake().socketPath();
        Condition<String> down = new Condition<>(m -> m.equals(missing) || m.startsWith(lost)
                || m.startsWith(unavailable), "a daemon-down reason naming the socket");
        assertThat(failure(transport.call("list", null), 2006)).is(down);
        assertThat(failure(transport.call("pause", "{\"name\":\"web\"}"), 2006)).is(down);
        assertThat(failure(transport.call("creation", local("api", "{}")), 2006)).is(down);

        fake().restart();
        assertThat(Await.until(() -> {
            try {
                return transport.call("list", null).get("code").asInt() == 0;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        })).isTrue();
        assertThat(ids(success(transport.call("list", "{\"name\":\"web\"}"), "list"))).hasSize(1);
    }

    @Test
    void versionIsTheDaemonsVersion() throws Exception {
        assumeTrue(transport.supports("version"), "the transport has no version action");
        assertThat(success(transport.call("version", null), "version").toString())
                .isEqualTo("{\"major\":0,\"minor\":18,\"patch\":1,\"tag\":\"\"}");
    }
}
