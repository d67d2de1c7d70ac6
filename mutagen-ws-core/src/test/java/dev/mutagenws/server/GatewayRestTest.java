package dev.mutagenws.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mutagenws.proto.service.synchronization.FlushRequest;
import dev.mutagenws.server.RestTestClient.Response;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.FakeDaemon;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST API end to end: real server, real Reactor Netty HTTP client, FakeDaemon on a real socket. */
class GatewayRestTest {
    private static final String SESSIONS = "/api/synchronization/sessions";
    private static final int BODY_LIMIT = 16 * 1024;

    private GatewayHarness harness;
    private RestTestClient http;

    @BeforeEach
    void start() {
        harness = new GatewayHarness(FakeDaemon.builder().build().start(), GatewayOptions.builder()
                .promptTimeout(Duration.ofSeconds(3)).maxFrameSize(BODY_LIMIT).build());
        http = new RestTestClient(harness.port());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    // ------------------------------------------------------------------ helpers

    private Response get(String uri) {
        return withHeaders(http.get(uri));
    }

    private Response post(String uri, String body) {
        return withHeaders(http.post(uri, body));
    }

    private Response delete(String uri) {
        return withHeaders(http.delete(uri));
    }

    /** Every response of ours is JSON with the safety headers, whatever its status. */
    private static Response withHeaders(Response r) {
        assertThat(r.headers().get("Content-Type")).as("Content-Type of %s", r).isEqualTo("application/json; charset=utf-8");
        assertThat(r.headers().get("X-Content-Type-Options")).as("nosniff on %s", r).isEqualTo("nosniff");
        assertThat(r.headers().get("X-Frame-Options")).as("X-Frame-Options on %s", r).isEqualTo("DENY");
        assertThat(r.headers().get("Content-Security-Policy")).as("CSP on %s", r).contains("frame-ancestors 'none'");
        assertThat(r.json()).as("JSON body of %s", r).isNotNull();
        return r;
    }

    /** A success: status 200 and the full envelope with id 0. */
    private static JsonNode ok(Response r, String action) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(200);
        assertEnvelope(r.json(), action, 0);
        assertThat(r.json().get("message").asText()).isEmpty();
        return r.json().get("data");
    }

    /** A failure: the status, action "error", the code, data null; returns the message. */
    private static String failed(Response r, int status, int code) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(status);
        assertEnvelope(r.json(), "error", code);
        assertThat(r.json().get("data").isNull()).as("data of %s", r).isTrue();
        return r.json().get("message").asText();
    }

    static void assertEnvelope(JsonNode body, String action, int code) {
        assertThat(body.fieldNames()).toIterable().containsExactly("action", "id", "code", "message", "data");
        assertThat(body.get("action").asText()).as("action of %s", body).isEqualTo(action);
        assertThat(body.get("id").asLong()).isZero();
        assertThat(body.get("code").asInt()).as("code of %s", body).isEqualTo(code);
    }

    static String local(String name, String labels) {
        return "{\"name\":\"" + name + "\",\"labels\":" + labels + ",\"alpha\":{\"path\":\"/tmp/a-" + name
                + "\"},\"beta\":{\"path\":\"/tmp/b-" + name + "\"}}";
    }

    private String create(String name, String labels) {
        JsonNode data = ok(post(SESSIONS, local(name, labels)), "creation");
        assertThat(data.fieldNames()).toIterable().containsExactly("session");
        return data.get("session").asText();
    }

    private static List<String> ids(JsonNode listData) {
        List<String> ids = new ArrayList<>();
        listData.get("sessionStates").forEach(s -> ids.add(s.get("session").get("identifier").asText()));
        return ids;
    }

    private long stateIndex() {
        return ok(get(SESSIONS), "list").get("stateIndex").asLong();
    }

    // ------------------------------------------------------------------ list

    @Test
    void listingNothingAnswersAnEmptyArrayAndTheIndex() {
        JsonNode data = ok(get(SESSIONS), "list");
        assertThat(data.get("stateIndex").asLong()).isPositive();
        assertThat(data.get("sessionStates").toString()).isEqualTo("[]");
    }

    @Test
    void listSelectsAllOrByIdNameOrLabel() throws Exception {
        String web = create("web", "{\"team\":\"web\"}");
        String api = create("api", "{\"team\":\"api\"}");
        harness.fake.awaitIdle(RestTestClient.WAIT);

        JsonNode all = ok(get(SESSIONS), "list");
        assertThat(ids(all)).containsExactly(web, api);
        assertThat(all.get("sessionStates").get(0).get("status").isTextual()).isTrue();
        assertThat(ids(ok(get(SESSIONS + "?id=" + api), "list"))).containsExactly(api);
        assertThat(ids(ok(get(SESSIONS + "?name=web"), "list"))).containsExactly(web);
        assertThat(ids(ok(get(SESSIONS + "?label=team%3Dapi"), "list"))).containsExactly(api);
        assertThat(ids(ok(get(SESSIONS + "?label=team%20in%20(web,api)"), "list"))).containsExactly(web, api);
        assertThat(ids(ok(get(SESSIONS + "?name=web&name=api"), "list"))).containsExactly(web, api);
        // The reference server's precedence: id and name win over label.
        assertThat(ids(ok(get(SESSIONS + "?name=web&label=team%3Dapi"), "list"))).containsExactly(web);
        assertThat(ids(ok(get(SESSIONS + "?all=true"), "list"))).containsExactly(web, api);
    }

    @Test
    void aNameThatMatchesNothingIsTheReferenceServers500() {
        Response r = get(SESSIONS + "?name=xxx");
        assertThat(failed(r, 500, 2001)).isEqualTo(
                "unable to locate requested sessions: specification \"xxx\" did not match any sessions");
    }

    @Test
    void aLabelThatMatchesNothingIsAnEmptySuccess() {
        create("web", "{\"team\":\"web\"}");
        JsonNode data = ok(get(SESSIONS + "?label=env%3Dnone"), "list");
        assertThat(data.get("sessionStates").toString()).isEqualTo("[]");
        assertThat(data.get("stateIndex").asLong()).isPositive();
    }

    @Test
    void anUnparsableLabelSelectorIsTheDaemonsText() {
        Response r = get(SESSIONS + "?label=%3D%3D%3D");
        assertThat(failed(r, 500, 2001)).isEqualTo("unable to locate requested sessions: unable to parse label"
                + " selector: found '==', expected: !, identifier, or 'end of string'");
    }

    @Test
    void badQueriesAre400WithTheParameterNamed() {
        assertThat(failed(get(SESSIONS + "?nmae=web"), 400, 2003))
                .startsWith("query.nmae: unknown query parameter; known here: all, id, label, name, page,");
        assertThat(failed(get(SESSIONS + "?stateIndex=-1"), 400, 2003))
                .isEqualTo("query.stateIndex: expected a non-negative integer, got \"-1\"");
        assertThat(failed(get(SESSIONS + "?stateIndex=2&timeout=soon"), 400, 2003))
                .startsWith("query.timeout: invalid duration \"soon\"");
        assertThat(failed(get(SESSIONS + "?timeout=5s"), 400, 2003))
                .isEqualTo("query.timeout: only meaningful together with stateIndex");
        assertThat(failed(get(SESSIONS + "?label=a%3Db&label=c%3Dd"), 400, 2003)).startsWith("query.label: ");
        assertThat(failed(get(SESSIONS + "?all=maybe"), 400, 2003))
                .isEqualTo("query.all: expected true or false, got \"maybe\"");
        assertThat(failed(get(SESSIONS + "?all=true&name=x"), 400, 2003))
                .isEqualTo("query.all: cannot be combined with id, name, ids, names or label (got name)");
        assertThat(failed(get(SESSIONS + "?all=false&name=x"), 400, 2003))
                .isEqualTo("query.all: cannot be combined with id, name, ids, names or label (got name)");
        assertThat(failed(get(SESSIONS + "?page=1"), 400, 2003))
                .isEqualTo("query.page and query.page_size go together");
        assertThat(failed(get(SESSIONS + "/whatever?x=1"), 400, 2003))
                .isEqualTo("query.x: unknown query parameter; GET " + SESSIONS + "/whatever takes none");
    }

    @Test
    void pagesSliceTheStatesAndCarryAPager() {
        String a = create("a", "{}");
        String b = create("b", "{}");
        String c = create("c", "{}");
        JsonNode first = ok(get(SESSIONS + "?page=1&page_size=2"), "list");
        assertThat(first.fieldNames()).toIterable().containsExactly("stateIndex", "sessionStates", "pager");
        assertThat(ids(first)).containsExactly(a, b);
        assertThat(first.get("pager").toString()).isEqualTo("{\"page\":1,\"page_size\":2,\"count\":3}");
        JsonNode second = ok(get(SESSIONS + "?page=2&page_size=2"), "list");
        assertThat(ids(second)).containsExactly(c);
        assertThat(second.get("pager").toString()).isEqualTo("{\"page\":2,\"page_size\":2,\"count\":3}");
        assertThat(ids(ok(get(SESSIONS + "?page=3&page_size=2"), "list"))).isEmpty();
        assertThat(failed(get(SESSIONS + "?page=0&page_size=2"), 400, 2003))
                .isEqualTo("query.page: must be between 1 and 2147483647, got 0");
    }

    // ------------------------------------------------------------------ long-poll

    @Test
    void aLongPollOnTheCurrentIndexAnswersTheUnchangedStateAfterTheTimeout() throws Exception {
        create("web", "{}");
        harness.fake.awaitIdle(RestTestClient.WAIT);
        long index = stateIndex();
        long started = System.nanoTime();
        JsonNode data = ok(get(SESSIONS + "?stateIndex=" + index + "&timeout=300ms"), "list");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(300).isLessThan(5_000);
        assertThat(data.get("stateIndex").asLong()).isEqualTo(index);
        assertThat(data.get("sessionStates")).hasSize(1);
        // The waiting List was cancelled at the daemon, not left hanging.
        assertThat(harness.fake.awaitCancelled("List", RestTestClient.WAIT)).isTrue();
        assertThat(Await.until(() -> harness.fake.blockedListCalls() == 0)).isTrue();
    }

    @Test
    void aLongPollAnswersAsSoonAsTheDaemonChanges() throws Exception {
        String web = create("web", "{}");
        harness.fake.awaitIdle(RestTestClient.WAIT);
        long index = stateIndex();
        CompletableFuture<Response> poll = http.sendAsync(HttpMethod.GET,
                SESSIONS + "?stateIndex=" + index + "&timeout=60s", null);
        assertThat(Await.until(() -> harness.fake.blockedListCalls() == 1)).isTrue();
        assertThat(poll).isNotDone();
        long changed = System.nanoTime();
        harness.fake.session(web).successfulCycles(42);
        JsonNode data = ok(withHeaders(poll.get(10, TimeUnit.SECONDS)), "list");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed)).isLessThan(5_000);
        assertThat(data.get("stateIndex").asLong()).isGreaterThan(index);
        assertThat(data.get("sessionStates").get(0).get("successfulCycles").asLong()).isEqualTo(42);
    }

    @Test
    void aLongPollWhoseClientGoesAwayIsCancelledAtTheDaemon() throws Exception {
        long index = stateIndex();
        CompletableFuture<Response> poll = http.sendAsync(HttpMethod.GET,
                SESSIONS + "?stateIndex=" + index + "&timeout=60s", null);
        assertThat(Await.until(() -> harness.fake.blockedListCalls() == 1)).isTrue();
        poll.cancel(true); // closes the connection
        assertThat(harness.fake.awaitCancelled("List", RestTestClient.WAIT)).isTrue();
        assertThat(Await.until(() -> harness.fake.blockedListCalls() == 0)).isTrue();
    }

    @Test
    void aStaleIndexAnswersAtOnce() {
        create("web", "{}");
        long index = stateIndex();
        assertThat(index).isGreaterThan(1);
        long started = System.nanoTime();
        JsonNode data = ok(get(SESSIONS + "?stateIndex=1&timeout=60s"), "list");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
        assertThat(data.get("stateIndex").asLong()).isGreaterThanOrEqualTo(index);
    }

    // ------------------------------------------------------------------ one session

    @Test
    void oneSessionByIdentifierOrName() {
        String web = create("web", "{\"team\":\"web\"}");
        JsonNode byId = ok(get(SESSIONS + "/" + web), "list");
        assertThat(byId.get("session").get("identifier").asText()).isEqualTo(web);
        assertThat(byId.get("status").isTextual()).isTrue();
        assertThat(ok(get(SESSIONS + "/web"), "list").get("session").get("identifier").asText()).isEqualTo(web);

        assertThat(failed(get(SESSIONS + "/nothing"), 404, 2001)).isEqualTo(
                "unable to locate requested sessions: specification \"nothing\" did not match any sessions");

        String twin = create("web", "{}");
        assertThat(failed(get(SESSIONS + "/web"), 409, 2003))
                .isEqualTo("\"web\" matches 2 sessions (" + web + ", " + twin + "); use one of their identifiers");
    }

    @Test
    void deleteTerminatesOneSession() {
        String web = create("web", "{}");
        String api = create("api", "{}");
        assertThat(ok(delete(SESSIONS + "/web"), "terminate").toString()).isEqualTo("{}");
        assertThat(ids(ok(get(SESSIONS), "list"))).containsExactly(api);
        assertThat(failed(delete(SESSIONS + "/" + web), 404, 2001)).startsWith("unable to locate requested sessions: ");

        create("api", "{}");
        assertThat(failed(delete(SESSIONS + "/api"), 409, 2003)).startsWith("\"api\" matches 2 sessions (");
        assertThat(harness.fake.sessions()).hasSize(2);
    }

    // ------------------------------------------------------------------ creation

    @Test
    void creationAnswersTheSessionIdentifier() {
        String id = create("web", "{\"team\":\"web\"}");
        assertThat(id).matches("sync_[0-9a-zA-Z]{43}");
        assertThat(harness.fake.sessions()).hasSize(1);
    }

    @Test
    void aPromptFailsCreationWith2007NamingTheQuestion() throws Exception {
        harness.fake.ssh().host("example.com").password("secret");
        Response r = post(SESSIONS, "{\"name\":\"remote\",\"alpha\":{\"path\":\"/tmp/a\"},\"beta\":{\"protocol\":"
                + "\"ssh\",\"user\":\"alice\",\"host\":\"example.com\",\"path\":\"~/b\"}}");
        assertThat(failed(r, 500, 2007)).contains("alice@example.com's password:")
                .contains("cannot be answered over plain HTTP").contains("/synchronization");
        assertThat(harness.fake.awaitCancelled("Create", RestTestClient.WAIT)).isTrue();
        assertThat(Await.until(() -> harness.fake.prompters().isEmpty())).isTrue();
        assertThat(harness.fake.sessions()).isEmpty();
    }

    @Test
    void badCreationBodiesAre400WithThePath() {
        assertThat(failed(post(SESSIONS, "{\"alpha\":"), 400, 2003)).startsWith("body: not JSON: ");
        assertThat(failed(post(SESSIONS, "{\"alpha\":{\"prot\":\"ssh\"}}"), 400, 2003))
                .startsWith("body.alpha.prot: unknown field");
        assertThat(failed(post(SESSIONS, "{\"alpha\":{\"port\":\"x\"}}"), 400, 2003)).startsWith("body.alpha.port: ");
        assertThat(failed(post(SESSIONS, "[]"), 400, 2003)).startsWith("body: ");
        assertThat(failed(post(SESSIONS, ""), 400, 2003)).startsWith("body: missing; POST the creation specification");
        assertThat(failed(post(SESSIONS, "{\"alpha\":{\"path\":\"relative\"},\"beta\":{\"path\":\"/b\"}}"), 400, 2003))
                .isEqualTo("invalid create request: invalid creation specification: invalid alpha URL: local URL"
                        + " with relative path");
        assertThat(failed(post(SESSIONS, "{\"name\":\"a\",\"name\":\"b\"}"), 400, 2003))
                .isEqualTo("body: duplicate field \"name\"");
        assertThat(failed(post(SESSIONS, "{\"alpha\":{\"path\":\"/a\",\"path\":\"/b\"}}"), 400, 2003))
                .isEqualTo("body.alpha: duplicate field \"path\"");
        assertThat(failed(post(SESSIONS + "/pause", "{\"id\":\"x\",\"id\":\"y\"}"), 400, 2003))
                .isEqualTo("body: duplicate field \"id\"");
        assertThat(failed(post(SESSIONS + "?name=x", local("web", "{}")), 400, 2003))
                .startsWith("query.name: unknown query parameter; POST " + SESSIONS + " takes none");
        assertThat(harness.fake.sessions()).isEmpty();
    }

    @Test
    void bodiesOverTheLimitAre413() {
        String big = "{\"name\":\"" + "x".repeat(BODY_LIMIT) + "\"}";
        assertThat(failed(post(SESSIONS, big), 413, 2008))
                .isEqualTo("request body too large: " + big.length() + " bytes, the limit is " + BODY_LIMIT + " bytes");
        // Without a Content-Length the limit holds while reading.
        Response chunked = withHeaders(http.postChunked(SESSIONS + "/pause", "x".repeat(1024), 40));
        assertThat(failed(chunked, 413, 2008)).startsWith("request body too large: ")
                .endsWith("the limit is " + BODY_LIMIT + " bytes");
        // The server is still fine.
        ok(get(SESSIONS), "list");
    }

    // ------------------------------------------------------------------ operations

    @Test
    void operationsTakeTheSelectionFromTheQueryOrTheBody() throws Exception {
        String web = create("web", "{\"team\":\"web\"}");
        harness.fake.awaitIdle(RestTestClient.WAIT);
        assertThat(ok(post(SESSIONS + "/pause?id=" + web, null), "pause").toString()).isEqualTo("{}");
        assertThat(ok(get(SESSIONS + "/" + web), "list").get("session").get("paused").asBoolean()).isTrue();
        assertThat(ok(post(SESSIONS + "/resume", "{\"name\":\"web\"}"), "resume").toString()).isEqualTo("{}");
        assertThat(ok(get(SESSIONS + "/" + web), "list").get("session").has("paused")).isFalse();
        harness.fake.awaitIdle(RestTestClient.WAIT);

        assertThat(ok(post(SESSIONS + "/flush?label=team%3Dweb&skipWait=true", null), "flush").toString())
                .isEqualTo("{}");
        assertThat(ok(post(SESSIONS + "/flush", "{\"id\":\"" + web + "\",\"skipWait\":true}"), "flush").toString())
                .isEqualTo("{}");
        assertThat(ok(post(SESSIONS + "/flush?skipWait=1", "{\"id\":\"" + web + "\"}"), "flush").toString())
                .isEqualTo("{}");
        assertThat(harness.fake.requests("Flush")).hasSize(3)
                .allSatisfy(r -> assertThat(((FlushRequest) r.message()).getSkipWait()).isTrue());
        harness.fake.awaitIdle(RestTestClient.WAIT);
        assertThat(ok(post(SESSIONS + "/reset?name=web", ""), "reset").toString()).isEqualTo("{}");
        harness.fake.awaitIdle(RestTestClient.WAIT);
        assertThat(ok(post(SESSIONS + "/terminate", "{\"ids\":[\"" + web + "\"]}"), "terminate").toString())
                .isEqualTo("{}");
        assertThat(harness.fake.sessions()).isEmpty();
    }

    @Test
    void operationFailuresSayWhatIsWrong() {
        create("web", "{}");
        assertThat(failed(post(SESSIONS + "/pause?name=xxx", null), 500, 2001)).isEqualTo(
                "unable to locate requested sessions: specification \"xxx\" did not match any sessions");
        assertThat(failed(post(SESSIONS + "/explode?name=web", null), 404, 2005))
                .isEqualTo("unknown operation \"explode\"; POST to " + SESSIONS + "/ one of pause, resume, flush,"
                        + " reset, terminate, or POST a creation specification to " + SESSIONS);
        assertThat(failed(post(SESSIONS + "/pause?name=web", "{\"name\":\"web\"}"), 400, 2003))
                .isEqualTo("give the selection either in the query (name) or in the body, not both");
        assertThat(failed(post(SESSIONS + "/pause", "{\"id\":5}"), 400, 2003))
                .isEqualTo("body.id: expected a string, got 5");
        assertThat(failed(post(SESSIONS + "/pause", "{\"nmae\":\"web\"}"), 400, 2003))
                .isEqualTo("body.nmae: unknown field");
        assertThat(failed(post(SESSIONS + "/pause", "{\"skipWait\":true}"), 400, 2003))
                .isEqualTo("body.skipWait: unknown field");
        assertThat(failed(post(SESSIONS + "/pause", "nope"), 400, 2003)).startsWith("body: not JSON: ");
        assertThat(failed(post(SESSIONS + "/pause?skipWait=true", null), 400, 2003))
                .startsWith("query.skipWait: unknown query parameter; known here: all, id, label, name");
        assertThat(failed(post(SESSIONS + "/terminate?name=", null), 400, 2003))
                .isEqualTo("query.name: empty; leave it out, or select every session with all=true");
        assertThat(failed(post(SESSIONS + "/flush?skipWait=true", "{\"name\":\"web\",\"skipWait\":false}"), 400, 2003))
                .isEqualTo("query.skipWait: given both in the query and in the body; give it once");
        assertThat(failed(post(SESSIONS + "/flush?skipWait=yes", null), 400, 2003))
                .isEqualTo("query.skipWait: expected true or false, got \"yes\"");
        assertThat(harness.fake.sessions()).hasSize(1);
        assertThat(harness.fake.sessions().get(0).getSession().getPaused()).isFalse();
    }

    // ------------------------------------------------------------------ routing

    @Test
    void unknownEndpointsUnderApiAreAnsweredWithAnEnvelope() {
        assertThat(failed(get("/api/nothing"), 404, 2005))
                .isEqualTo("no such endpoint: GET /api/nothing; GET /api/protocol describes the API");
        Response put = withHeaders(http.send(HttpMethod.PUT, SESSIONS, "{}"));
        assertThat(failed(put, 405, 2005)).isEqualTo("PUT " + SESSIONS + " is not supported; " + SESSIONS
                + " allows GET, POST");
        assertThat(put.headers().get("Allow")).isEqualTo("GET, POST");
        assertThat(failed(post(SESSIONS + "/sync_x/pause", null), 404, 2005)).startsWith("no such endpoint: POST ");
        // Standalone, every other path is the gateway's to answer, in the same words.
        assertThat(failed(get("/no/such/page"), 404, 2005))
                .isEqualTo("no such endpoint: GET /no/such/page; GET /api/protocol describes the API");
        assertThat(failed(get("/synchronization"), 400, 2003)).isEqualTo("expected a WebSocket upgrade");
    }

    // ------------------------------------------------------------------ daemon, protocol, health

    @Test
    void daemonStatusFollowsTheDaemon() throws Exception {
        Response up = get("/api/daemon");
        assertThat(up.status()).isEqualTo(200);
        assertThat(up.json().get("connected").asBoolean()).isTrue();
        assertThat(up.json().get("socket").asText()).contains(harness.fake.socketPath().getFileName().toString());
        assertThat(up.json().get("version").toString()).isEqualTo("{\"major\":0,\"minor\":18,\"patch\":1,\"tag\":\"\"}");
        assertThat(up.json().has("error")).isFalse();

        harness.fake.stop();
        assertThat(Await.until(() -> !get("/api/daemon").json().get("connected").asBoolean())).isTrue();
        Response down = get("/api/daemon");
        assertThat(down.status()).isEqualTo(200);
        assertThat(down.json().get("version").isNull()).isTrue();
        assertThat(down.json().get("error").asText()).isNotEmpty();
    }

    @Test
    void protocolDescribesItself() {
        Response r = get("/api/protocol");
        assertThat(r.status()).isEqualTo(200);
        JsonNode d = r.json();
        assertThat(d.get("version").get("major").asInt()).isEqualTo(1);
        assertThat(d.get("version").get("minor").isInt()).isTrue();
        assertThat(d.get("actions").toString()).contains("\"creation\"", "\"list\"", "\"version\"");
        assertThat(d.get("pushes").toString()).contains("\"prompt\"", "\"state\"");
        assertThat(d.get("codes").toString()).contains("{\"code\":2006,\"name\":\"daemon_unavailable\",\"httpStatus\":503}")
                .contains("{\"code\":2010,\"name\":\"refused\",\"httpStatus\":401}");
        assertThat(d.get("eventTypes").toString()).contains("\"session_created\"");
    }

    @Test
    void healthAndReadinessFollowTheDaemon() throws Exception {
        Response health = get("/healthz");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(get("/readyz").status()).isEqualTo(200);
        assertThat(get("/readyz").json().get("ready").asBoolean()).isTrue();

        harness.fake.stop();
        assertThat(Await.until(() -> get("/readyz").status() == 503)).isTrue();
        assertThat(get("/readyz").json().get("ready").asBoolean()).isFalse();
        assertThat(get("/healthz").status()).isEqualTo(200);

        harness.fake.restart();
        assertThat(Await.until(() -> get("/readyz").status() == 200)).isTrue();
    }

    @Test
    void theRootSaysWhatRunsHere() {
        Response r = get("/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().fieldNames()).toIterable().containsExactly("service", "version");
        assertThat(r.json().get("service").asText()).isEqualTo("mutagen-ws");
    }

    @Test
    void aStoppedDaemonIs503With2006() throws Exception {
        harness.fake.stop();
        String missing = "Mutagen daemon is not running: no socket at " + harness.fake.socketPath()
                + " (start it with 'mutagen daemon start')";
        // A request racing the shutdown may still go out on the closing connection: wait (every answer 503)
        // until the client has seen the socket gone.
        assertThat(Await.until(() -> failed(get(SESSIONS), 503, 2006).equals(missing))).isTrue();
        assertThat(failed(get(SESSIONS), 503, 2006)).isEqualTo(missing);
        assertThat(failed(get(SESSIONS + "/web"), 503, 2006)).isEqualTo(missing);
        assertThat(failed(post(SESSIONS, local("web", "{}")), 503, 2006)).isEqualTo(missing);
        assertThat(failed(post(SESSIONS + "/pause?name=web", null), 503, 2006)).isEqualTo(missing);
        assertThat(failed(delete(SESSIONS + "/web"), 503, 2006)).isEqualTo(missing);
        harness.fake.restart();
        assertThat(Await.until(() -> http.get(SESSIONS).status() == 200)).isTrue();
    }
}
