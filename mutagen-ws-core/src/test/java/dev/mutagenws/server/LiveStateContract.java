package dev.mutagenws.server;

import static dev.mutagenws.server.LiveStateContract.Capability.DAEMON_PUSHES;
import static dev.mutagenws.server.LiveStateContract.Capability.EPOCH;
import static dev.mutagenws.server.LiveStateContract.Capability.EVENTS;
import static dev.mutagenws.server.LiveStateContract.Capability.KEEP_ALIVE;
import static dev.mutagenws.server.LiveStateContract.Capability.UNCHANGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.state.StateOptions;
import dev.mutagenws.testing.Await;
import dev.mutagenws.testkit.FakeDaemon;
import dev.mutagenws.testkit.FakeDaemon.StopOrder;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.netty.DisposableServer;

/**
 * Live state, written once and run over every transport that carries it (as {@link GatewayContract} does for the
 * actions): WebSocket {@code subscribe}, Server-Sent Events, NDJSON, and the REST and WebSocket {@code list}
 * long-polls. A subclass only says how to open a live view of a selection through its {@link LiveTransport}; the
 * view turns what the wire carries into {@link Observation}s, checking on the way what is the transport's own
 * business (frame shapes, ids, HTTP statuses). What a transport cannot carry at all (a long-poll has no epoch, no
 * events, no pushes) it names in {@link LiveTransport#lacks}, and the cases that need it are skipped for that reason.
 *
 * <p>Every case runs against a fresh gateway in front of a fresh {@link FakeDaemon}.
 */
abstract class LiveStateContract {
    static final Duration WAIT = Duration.ofSeconds(10);
    /** Socket buffers of the slow-consumer case: a stalled reader soon stops the server's writes. */
    static final int SOCKET_BUFFER = 4096;
    static final String WEB = "{\"name\":\"web\"}";
    /** The keep-alive interval of the keep-alive case (and the REST long-poll's timeout there). */
    private static final Duration SHORT_KEEP_ALIVE = Duration.ofMillis(300);
    /** Distinct states published while a reader stalls: well above Reactor Netty's send prefetch (128). */
    private static final int SNAPSHOTS = 400;
    /**
     * States a stalled reader may get once it reads again: what the small socket buffers hold plus the server's few.
     * A server that queued a state per change (or took Reactor Netty's prefetch of 128) would send hundreds.
     */
    private static final int MAX_BACKLOG = 50;

    /** What a live view reports, whatever the transport. */
    sealed interface Observation permits State, Event, Daemon, Unchanged, Failure, KeepAlive, End {
    }

    /** A state of the selection; {@code epoch} is null where the transport carries none. */
    record State(long index, String epoch, JsonNode sessionStates) implements Observation {
        JsonNode session(int i) {
            return sessionStates.get(i);
        }

        List<String> ids() {
            List<String> ids = new ArrayList<>();
            sessionStates.forEach(s -> ids.add(s.at("/session/identifier").asText()));
            return ids;
        }

        /** The {@code lastError} of the first session ("" when none). */
        String lastError() {
            return sessionStates.path(0).path("lastError").asText();
        }
    }

    /** A change event; {@code index} is the state it belongs to. */
    record Event(String type, long index, JsonNode data) implements Observation {
    }

    /** The daemon's availability; {@code reason} is empty when connected, {@code version} null where not carried. */
    record Daemon(boolean connected, String reason, JsonNode version) implements Observation {
    }

    /** The transport said that the resume point is the current state. */
    record Unchanged(long index, String epoch) implements Observation {
    }

    /** The view failed with a protocol code and message; {@link End} follows. */
    record Failure(int code, String message) implements Observation {
    }

    record KeepAlive() implements Observation {
    }

    /** The view is over (the stream closed; the subscription or poll loop ended). */
    record End() implements Observation {
    }

    /** Where a view resumes: the last index (and epoch, null when unknown) the client got. */
    record Resume(long index, String epoch) {
    }

    /** What a transport may be unable to carry. */
    enum Capability {
        /** States carry the daemon run they belong to. */
        EPOCH,
        /** Change events after their state. */
        EVENTS,
        /** Availability pushed as it changes: down (once per reason), then up with the version, then the state. */
        DAEMON_PUSHES,
        /** Resuming at the current state is answered with a word saying so. */
        UNCHANGED,
        /** An idle view hears from the server at the configured keep-alive interval. */
        KEEP_ALIVE
    }

    /**
     * The gateway a transport speaks to: its port and keep-alive interval, and the receive buffer its views' sockets
     * are to have (0: the system's).
     */
    record Endpoint(int port, Duration keepAlive, int receiveBuffer) {
    }

    /** One way of following live state, as the contract needs it. */
    interface LiveTransport {
        /**
         * Opens a live view of {@code selection} (a selection as JSON, e.g. {@code {"name":"web"}}), from
         * {@code from} (null: the current state) and with change events if {@code events}.
         */
        LiveView open(String selection, Resume from, boolean events);

        /** Why the transport cannot carry {@code capability} at all, or null when it can. */
        String lacks(Capability capability);
    }

    /**
     * A live view: the observations in arrival order. The transport feeds {@link #observe} (from one thread at a
     * time) and reports what breaks its own wire format with {@link #problem}; the contract fails on any problem.
     */
    abstract static class LiveView implements AutoCloseable {
        private record Arrival(Observation observation, long nanos) {
        }

        private final LinkedTransferQueue<Arrival> inbox = new LinkedTransferQueue<>();
        private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
        private final List<String> problems = new CopyOnWriteArrayList<>();

        final void observe(Observation observation) {
            Arrival arrival = new Arrival(observation, System.nanoTime());
            arrivals.add(arrival);
            inbox.add(arrival);
        }

        final void problem(String problem) {
            problems.add(problem);
        }

        /** The next observation matching (earlier ones are consumed, and stay in {@link #seen()}). */
        final Observation next(Predicate<? super Observation> matching) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                Arrival next = inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new AssertionError("no matching observation within " + WAIT + "; seen: " + seen()
                            + (problems.isEmpty() ? "" : "; problems: " + problems));
                }
                if (matching.test(next.observation())) {
                    return next.observation();
                }
            }
        }

        final <T extends Observation> T next(Class<T> type, Predicate<? super T> matching) throws InterruptedException {
            return type.cast(next(o -> type.isInstance(o) && matching.test(type.cast(o))));
        }

        final <T extends Observation> T next(Class<T> type) throws InterruptedException {
            return next(type, o -> true);
        }

        /** The next observation that is not a keep-alive. */
        final Observation nextSignal() throws InterruptedException {
            return next(o -> !(o instanceof KeepAlive));
        }

        /** Everything observed so far, in order. */
        final List<Observation> seen() {
            return arrivals.stream().map(Arrival::observation).toList();
        }

        final List<State> states() {
            return seen().stream().filter(State.class::isInstance).map(State.class::cast).toList();
        }

        /** What came after {@code observation} (the very one, not an equal one). */
        final List<Observation> after(Observation observation) {
            List<Observation> all = seen();
            return all.subList(position(observation) + 1, all.size());
        }

        /** What came before {@code observation}. */
        final List<Observation> before(Observation observation) {
            return seen().subList(0, position(observation));
        }

        /** When {@code observation} arrived ({@link System#nanoTime()}). */
        final long arrival(Observation observation) {
            return arrivals.get(position(observation)).nanos();
        }

        private int position(Observation observation) {
            for (int i = 0; i < arrivals.size(); i++) {
                if (arrivals.get(i).observation() == observation) {
                    return i;
                }
            }
            throw new IllegalArgumentException("not observed by this view: " + observation);
        }

        final List<String> problems() {
            return problems;
        }

        /** Stops reading: the transport's socket is not read, or the next poll not sent. */
        abstract void stall();

        /** Reads (or polls) again after {@link #stall()}. */
        abstract void resume();

        /** Closes the view; no {@link End} is observed for this. */
        @Override
        public abstract void close();
    }

    /** The live transport to the gateway at {@code endpoint}. */
    abstract LiveTransport transport(Endpoint endpoint);

    private GatewayHarness harness;
    private LiveTransport transport;
    /** A second server of the same gateway, with small send buffers, and a transport to it (slow-consumer case). */
    private GatewayServer smallBuffers;
    private LiveTransport slowTransport;
    private final List<LiveView> views = new ArrayList<>();

    /** Starts the gateway with {@code options} (once per case; the first use of {@link #harness()} does otherwise). */
    final void start(GatewayOptions options) {
        start(options, StateOptions.defaults());
    }

    /** As {@link #start(GatewayOptions)}, with the live state's options too. */
    final void start(GatewayOptions options, StateOptions states) {
        assertThat(harness).as("the gateway has started already").isNull();
        harness = new GatewayHarness(FakeDaemon.builder().build().start(), options, states);
        transport = transport(new Endpoint(harness.port(), options.keepAlive(), 0));
    }

    final GatewayHarness harness() {
        if (harness == null) {
            start(GatewayOptions.defaults());
        }
        return harness;
    }

    final FakeDaemon fake() {
        return harness().fake;
    }

    final boolean supports(Capability capability) {
        harness();
        return transport.lacks(capability) == null;
    }

    final void assume(Capability capability) {
        harness();
        String lack = transport.lacks(capability);
        assumeTrue(lack == null, lack);
    }

    final LiveView open(String selection) {
        return open(selection, null, false);
    }

    final LiveView open(String selection, Resume from, boolean events) {
        harness();
        return added(transport.open(selection, from, events));
    }

    /**
     * A view of {@code selection} whose socket buffers (the server's send buffer, the client's receive buffer) are
     * small and fixed, so that when it stalls, the server soon has to hold back what it would send.
     */
    final LiveView openWithSmallBuffers(String selection) {
        if (slowTransport == null) {
            smallBuffers = harness().gateway.bind(new InetSocketAddress("127.0.0.1", 0),
                    http -> http.childOption(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)).block(WAIT);
            slowTransport = transport(new Endpoint(smallBuffers.port(), harness.gateway.options().keepAlive(),
                    SOCKET_BUFFER));
        }
        return added(slowTransport.open(selection, null, false));
    }

    private LiveView added(LiveView view) {
        views.add(view);
        return view;
    }

    @AfterEach
    final void stopGateway() {
        views.forEach(LiveView::close);
        if (smallBuffers != null) {
            smallBuffers.disposeNow(Duration.ofSeconds(5));
        }
        if (harness != null) {
            harness.close();
        }
        for (LiveView view : views) {
            assertThat(view.problems()).as("wire problems of a view that saw %s", view.seen()).isEmpty();
            checkOrder(view.seen());
        }
    }

    /**
     * What holds for every view: nothing after the end, nothing but the end after a failure, indices rising within
     * a daemon run, and each event right behind the state it belongs to (or its fellow events).
     */
    private void checkOrder(List<Observation> seen) {
        State last = null;
        for (int i = 0; i < seen.size(); i++) {
            Observation o = seen.get(i);
            if (o instanceof End) {
                assertThat(seen.subList(i + 1, seen.size())).as("after the end of %s", seen).isEmpty();
            }
            if (o instanceof Failure) {
                assertThat(seen.subList(i + 1, seen.size())).as("after the failure in %s", seen)
                        .allMatch(End.class::isInstance);
            }
            if (o instanceof State s) {
                if (last != null && s.epoch() != null && s.epoch().equals(last.epoch())) {
                    assertThat(s.index()).as("index after %s in %s", last, seen).isGreaterThan(last.index());
                }
                last = s;
            }
            if (o instanceof Event e) {
                Observation previous = i == 0 ? null : seen.get(i - 1);
                assertThat(previous).as("before %s in %s", e, seen)
                        .matches(p -> p instanceof State || p instanceof Event);
                assertThat(last).isNotNull();
                assertThat(e.index()).as("index of %s", e).isEqualTo(last.index());
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The selected session's daemon texts when the daemon is down, naming its socket. */
    private Condition<String> downReason() {
        String socket = fake().socketPath().toString();
        return new Condition<>(m -> m.equals(missing())
                || m.equals("Mutagen daemon is not running: connection refused on " + socket
                        + " (start it with 'mutagen daemon start')")
                || m.startsWith("lost the connection to the Mutagen daemon at " + socket)
                || m.startsWith("Mutagen daemon unavailable at " + socket), "a daemon-down reason naming the socket");
    }

    private String missing() {
        return "Mutagen daemon is not running: no socket at " + fake().socketPath()
                + " (start it with 'mutagen daemon start')";
    }

    private static String notFound(String name) {
        return "unable to locate requested sessions: specification \"" + name + "\" did not match any sessions";
    }

    /** Five changes, so that the index is well above where a restarted daemon's settles; returns the index. */
    private long raiseIndex() {
        for (int i = 0; i < 5; i++) {
            fake().session("web").lastError("before-" + i);
        }
        return fake().stateIndex();
    }

    private void terminate(String name) {
        harness().daemon.terminate(SessionSelection.of(name), Prompter.silent()).block(WAIT);
    }

    /**
     * A WebSocket subscription of {@code selection} (request id 1), whatever the transport under test: its pushes
     * show what the gateway's shared loop of the selection has.
     */
    private WsTestClient witness(String selection) throws InterruptedException {
        WsTestClient witness = harness().ws();
        assertThat(witness.call(1, "subscribe", selection).path("code").asInt()).isZero();
        return witness;
    }

    private static boolean isState(JsonNode frame) {
        return frame.path("action").asText().equals("state");
    }

    private static long published(WsTestClient witness) {
        return witness.seen().stream().filter(LiveStateContract::isState).count();
    }

    private static int indexOf(List<Observation> seen, Predicate<Observation> p) {
        for (int i = 0; i < seen.size(); i++) {
            if (p.test(seen.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isDaemon(Observation o, boolean connected) {
        return o instanceof Daemon d && d.connected() == connected;
    }

    // ------------------------------------------------------------------ cases: state and resume

    @Test
    void theFirstStateComesAtOnce() throws Exception {
        String id = harness().createLocal("web");
        long index = fake().stateIndex();
        LiveView view = open(WEB);
        // Nothing changes after the view opened: a state at all is one given at once, and nothing comes before it.
        Observation first = view.next(o -> true);
        assertThat(first).isInstanceOf(State.class);
        State state = (State) first;
        assertThat(state.index()).isEqualTo(index);
        assertThat(state.ids()).containsExactly(id);
        assertThat(state.session(0).get("status").asText()).isEqualTo("watching");
        if (supports(EPOCH)) {
            assertThat(state.epoch()).matches("[0-9a-z]+-[0-9a-z]+");
        }
    }

    @Test
    void resumingAtTheCurrentStateGetsNothingUntilAChange() throws Exception {
        harness().createLocal("web");
        State seen = open(WEB).next(State.class);
        LiveView view = open(WEB, new Resume(seen.index(), seen.epoch()), false);
        if (supports(UNCHANGED)) {
            assertThat(view.nextSignal()).isEqualTo(new Unchanged(seen.index(), seen.epoch()));
        }
        fake().session("web").lastError("boom");
        // Had the view been given the state it resumed from, that would come first.
        Observation next = view.nextSignal();
        assertThat(next).isInstanceOf(State.class);
        State changed = (State) next;
        assertThat(changed.index()).isGreaterThan(seen.index());
        assertThat(changed.epoch()).isEqualTo(seen.epoch());
        assertThat(changed.lastError()).isEqualTo("boom");
    }

    @Test
    void anOlderResumePointGetsTheNewestStateAtOnceAndEachStateOnce() throws Exception {
        harness().createLocal("web");
        LiveView away = open(WEB);
        State old = away.next(State.class);
        away.close();
        // Changes while the client was away.
        fake().session("web").status(Status.Reconciling);
        fake().session("web").lastError("last one");
        long last = fake().stateIndex();

        LiveView view = open(WEB, new Resume(old.index(), old.epoch()), false);
        // Nothing changes until the newest state has come: it is given at once (an intermediate one may come first).
        State newest = view.next(State.class, s -> s.index() == last);
        assertThat(newest.lastError()).isEqualTo("last one");
        assertThat(newest.epoch()).isEqualTo(old.epoch());
        fake().session("web").lastError("after");
        assertThat(view.next(State.class).lastError()).isEqualTo("after");
        assertThat(view.states()).extracting(State::index).doesNotHaveDuplicates().doesNotContain(old.index());
    }

    @Test
    void onlyChangesOfTheSelectedSessionsAreObserved() throws Exception {
        harness().createLocal("web");
        harness().createLocal("api");
        LiveView view = open(WEB);
        State first = view.next(State.class);
        assertThat(Await.until(() -> fake().blockedListCalls() == 1)).isTrue();
        long calls = fake().listCalls("web");
        // Wakes the daemon's long-poll of "web" (it answers on any change); once the gateway has asked again, it has
        // seen that answer and had nothing to tell.
        fake().session("api").lastError("elsewhere");
        assertThat(Await.until(() -> fake().listCalls("web") > calls && fake().blockedListCalls() == 1)).isTrue();
        fake().session("web").lastError("here");

        Observation next = view.nextSignal();
        assertThat(next).isInstanceOf(State.class);
        State changed = (State) next;
        assertThat(changed.index()).isGreaterThan(first.index());
        assertThat(changed.sessionStates()).hasSize(1);
        assertThat(changed.session(0).at("/session/name").asText()).isEqualTo("web");
        assertThat(changed.lastError()).isEqualTo("here");
    }

    // ------------------------------------------------------------------ cases: events

    @Test
    void changesComeWithTheirEvents() throws Exception {
        assume(EVENTS);
        LiveView view = open("{}", null, true);
        assertThat(view.next(State.class).sessionStates()).isEmpty();
        Instant start = Instant.now().minusSeconds(1);

        String id = harness().createLocal("web");
        Event created = view.next(Event.class, e -> e.type().equals("session_created"));
        // Settled as the view sees it (a view that reads behind the daemon gets its changes together).
        view.next(State.class, s -> s.index() == fake().stateIndex());
        assertThat(created.data().fieldNames()).toIterable()
                .containsExactly("type", "time", "stateIndex", "session", "name");
        assertThat(created.data().get("session").asText()).isEqualTo(id);
        assertThat(created.data().get("name").asText()).isEqualTo("web");
        assertThat(Instant.parse(created.data().get("time").asText())).isBetween(start, Instant.now());
        assertThat(view.before(created)).filteredOn(State.class::isInstance).last()
                .matches(s -> ((State) s).ids().contains(id));

        fake().session("web").status(Status.Scanning);
        Event changed = view.next(Event.class, e -> e.type().equals("status_changed")
                && e.data().path("to").asText().equals("scanning"));
        assertThat(changed.data().fieldNames()).toIterable()
                .containsExactly("type", "time", "stateIndex", "session", "from", "to");
        assertThat(changed.data().get("from").asText()).isEqualTo("watching");
        assertThat(changed.data().get("session").asText()).isEqualTo(id);

        terminate("web");
        Event terminated = view.next(Event.class, e -> e.type().equals("session_terminated"));
        assertThat(terminated.data().fieldNames()).toIterable()
                .containsExactly("type", "time", "stateIndex", "session", "name");
        assertThat(terminated.data().get("session").asText()).isEqualTo(id);
        assertThat(terminated.data().get("name").asText()).isEqualTo("web");
        assertThat(view.before(terminated)).filteredOn(State.class::isInstance).last()
                .matches(s -> ((State) s).sessionStates().isEmpty());
        assertThat(view.seen()).filteredOn(o -> o instanceof Event e && e.type().startsWith("session_"))
                .containsExactly(created, terminated);
    }

    // ------------------------------------------------------------------ cases: failures

    @Test
    void aViewWhoseSessionIsTerminatedEndsWithTheDaemonsError() throws Exception {
        harness().createLocal("web");
        LiveView view = open(WEB);
        view.next(State.class);
        terminate("web");
        assertThat(view.next(Failure.class)).isEqualTo(new Failure(2001, notFound("web")));
        assertThat(view.nextSignal()).isEqualTo(new End());

        // Over for good: a new session of that name is not followed by the ended view (checked after the case),
        // though a new view of the selection gets it.
        String again = harness().createLocal("web");
        LiveView witness = open(WEB);
        assertThat(witness.next(State.class, s -> s.index() == fake().stateIndex()).ids()).containsExactly(again);
    }

    @Test
    void aSelectionThatMatchesNothingFailsAtOnceWithTheDaemonsText() throws Exception {
        LiveView missing = open("{\"name\":\"nosuch\"}");
        assertThat(missing.nextSignal()).isEqualTo(new Failure(2001, notFound("nosuch")));
        assertThat(missing.nextSignal()).isEqualTo(new End());
        LiveView unparsable = open("{\"label\":\"===\"}");
        assertThat(unparsable.nextSignal()).isEqualTo(new Failure(2001, "unable to locate requested sessions: unable"
                + " to parse label selector: found '==', expected: !, identifier, or 'end of string'"));
        assertThat(unparsable.nextSignal()).isEqualTo(new End());
    }

    @Test
    void aViewTheLiveStateCannotServeAnymoreFailsAsCancelled() throws Exception {
        harness().createLocal("web");
        harness().gateway.states().close(); // as at shutdown: the hub ends every subscription and takes no more
        LiveView view = open(WEB);
        Failure failure = view.next(Failure.class);
        assertThat(failure.code()).isEqualTo(2009);
        assertThat(failure.message()).contains("shutting down");
        assertThat(view.nextSignal()).isEqualTo(new End());
    }

    // ------------------------------------------------------------------ cases: keep-alive

    @Test
    void anIdleViewHearsFromTheServerAtTheKeepAliveInterval() throws Exception {
        start(GatewayOptions.builder().keepAlive(SHORT_KEEP_ALIVE).build());
        assume(KEEP_ALIVE);
        harness().createLocal("web");
        LiveView view = open(WEB);
        State state = view.next(State.class);
        KeepAlive first = view.next(KeepAlive.class);
        KeepAlive second = view.next(KeepAlive.class);
        assertThat(view.after(state).subList(0, 2)).containsExactly(first, second);
        // Two intervals at least; load only delays them. A stream that kept alive much more often fails here.
        assertThat(Duration.ofNanos(view.arrival(second) - view.arrival(state)))
                .isGreaterThanOrEqualTo(SHORT_KEEP_ALIVE);
        // Still alive.
        fake().session("web").lastError("awake");
        State awake = view.next(State.class);
        assertThat(awake.lastError()).isEqualTo("awake");
        assertThat(awake.index()).isGreaterThan(state.index());
    }

    // ------------------------------------------------------------------ cases: the daemon goes and comes back

    @ParameterizedTest
    @EnumSource(StopOrder.class)
    void aStoppedDaemonIsReportedUntilItComesBackWithTheNewRunsState(StopOrder order) throws Exception {
        String id = harness().createLocal("web");
        LiveView view = open(WEB);
        State first = view.next(State.class);
        fake().stop(order);
        Daemon down = view.next(Daemon.class, d -> !d.connected());
        assertThat(down.reason()).is(downReason());

        fake().start();
        if (supports(DAEMON_PUSHES)) {
            Daemon up = view.next(Daemon.class, Daemon::connected);
            assertThat(up.reason()).isEmpty();
            assertThat(up.version().get("minor").asInt()).isEqualTo(18);
        }
        State back = view.next(State.class);
        assertThat(back.ids()).containsExactly(id);
        assertThat(view.after(down).subList(0, view.after(down).indexOf(back))).as("between down and the state")
                .allMatch(Daemon.class::isInstance);
        if (supports(EPOCH)) {
            assertThat(back.epoch()).isNotEqualTo(first.epoch());
        }
        assertThat(fake().awaitIdle(WAIT)).isTrue();
        long settled = fake().stateIndex();
        assertThat(settled).isLessThan(first.index()); // a new run: its index started again
        if (back.index() != settled) {
            view.next(State.class, s -> s.index() == settled);
        }
    }

    @ParameterizedTest
    @EnumSource(StopOrder.class)
    void aQuickRestartIsSeenAsTheNewRunsStateWithALowerIndex(StopOrder order) throws Exception {
        String id = harness().createLocal("web");
        long before = raiseIndex();
        boolean events = supports(EVENTS);
        LiveView view = open(WEB, null, events);
        State first = view.next(State.class);
        assertThat(first.index()).isEqualTo(before);

        fake().restart(order);
        assertThat(fake().awaitIdle(WAIT)).isTrue();
        long restarted = fake().stateIndex();
        assertThat(restarted).isLessThan(before);
        boolean epochs = supports(EPOCH);
        // Without epochs, a lower index is how a client tells (the old run's halted state has a higher one).
        State fresh = view.next(State.class, s -> epochs ? !s.epoch().equals(first.epoch()) : s.index() < before);
        assertThat(fresh.index()).isLessThan(before);
        assertThat(fresh.ids()).containsExactly(id);
        List<Observation> old = view.before(fresh);
        if (epochs) {
            assertThat(old).filteredOn(State.class::isInstance).extracting(s -> ((State) s).epoch())
                    .containsOnly(first.epoch());
        }
        if (supports(DAEMON_PUSHES)) {
            // However quickly the daemon came back: false, true, then the new run's state.
            int down = indexOf(old, o -> isDaemon(o, false));
            int up = indexOf(old, o -> isDaemon(o, true));
            assertThat(down).as("observations %s", old).isNotNegative();
            assertThat(up).isGreaterThan(down);
            assertThat(((Daemon) old.get(down)).reason()).satisfiesAnyOf(
                    m -> assertThat(m)
                            .startsWith("lost the connection to the Mutagen daemon at " + fake().socketPath()),
                    m -> assertThat(m).startsWith("Mutagen daemon is not running: "));
            assertThat(((Daemon) old.get(up)).version().get("minor").asInt()).isEqualTo(18);
        }
        if (events) {
            // One restart event right behind the new run's first state, instead of comparing the runs field by field.
            Observation next = view.nextSignal();
            assertThat(next).isInstanceOf(Event.class);
            JsonNode restart = ((Event) next).data();
            assertThat(restart.fieldNames()).toIterable()
                    .containsExactly("type", "time", "stateIndex", "previousStateIndex");
            assertThat(restart.get("type").asText()).isEqualTo("daemon_restarted");
            assertThat(restart.get("stateIndex").asLong()).isEqualTo(fresh.index());
            assertThat(restart.get("previousStateIndex").asLong())
                    .isEqualTo(((State) old.stream().filter(State.class::isInstance).reduce((a, b) -> b).orElseThrow())
                            .index());
        }
        if (fresh.index() != restarted) {
            view.next(State.class, s -> s.index() == restarted);
        }
        // The session ran before and after: no event invented across the restart, and one restart event.
        assertThat(view.after(fresh)).filteredOn(Event.class::isInstance).extracting(e -> ((Event) e).type())
                .doesNotContain("resumed", "paused", "session_created", "session_terminated");
        assertThat(view.seen()).filteredOn(o -> o instanceof Event e && e.type().equals("daemon_restarted"))
                .hasSize(events ? 1 : 0);
    }

    @Test
    void whileTheDaemonStaysDownEachNewReasonIsReportedOnce() throws Exception {
        assume(DAEMON_PUSHES);
        harness().createLocal("web");
        LiveView view = open(WEB);
        view.next(State.class);
        // The gateway's long-poll is parked in the daemon, where the stop fails it. (Known race, not this case's: a
        // call being placed as the connection closes can go out on a new connection and fail with "no socket"
        // alone, and the state loop, which read the connection epoch before the close, never reports the loss.)
        assertThat(Await.until(() -> fake().blockedListCalls() == 1)).isTrue();
        fake().stop(StopOrder.CLOSE_FIRST); // as in the traces: nothing halts before the socket closes
        view.next(Daemon.class, d -> d.reason().equals(missing()));
        List<Daemon> reports = view.seen().stream().filter(Daemon.class::isInstance).map(Daemon.class::cast).toList();
        assertThat(reports).noneMatch(Daemon::connected);
        // The loss first.
        assertThat(reports.get(0).reason()).as("reports %s", reports)
                .startsWith("lost the connection to the Mutagen daemon at " + fake().socketPath() + ": ");
        for (int i = 1; i < reports.size(); i++) {
            assertThat(reports.get(i).reason()).as("reported only when it changes: %s", reports)
                    .isNotEqualTo(reports.get(i - 1).reason());
        }
    }

    @Test
    void aViewOpenedWhileTheDaemonIsDownSaysWhyAndGetsTheStateOnceItIsBack() throws Exception {
        String id = harness().createLocal("web");
        long index = fake().stateIndex();
        fake().stop();
        // Once the gateway has seen the socket go (a call could race the shutdown).
        RestTestClient http = new RestTestClient(harness().port());
        assertThat(Await.until(() -> missing().equals(
                http.get(RestContractTest.SESSIONS + "?name=web").json().path("message").asText()))).isTrue();

        LiveView view = open(WEB, new Resume(index, null), false);
        Observation first = view.nextSignal();
        assertThat(first).isInstanceOf(Daemon.class);
        assertThat(((Daemon) first).connected()).isFalse();
        assertThat(((Daemon) first).reason()).isEqualTo(missing());

        fake().start();
        if (supports(DAEMON_PUSHES)) {
            view.next(Daemon.class, Daemon::connected);
        }
        State back = view.next(State.class);
        assertThat(back.ids()).containsExactly(id);
        assertThat(view.before(back)).allMatch(Daemon.class::isInstance);
    }

    @Test
    void aResumePointFromBeforeARestartGetsTheNewRunsStateAtOnce() throws Exception {
        String id = harness().createLocal("web");
        long before = raiseIndex();
        try (WsTestClient witness = witness(WEB)) {
            JsonNode seen = witness.await(f -> isState(f) && f.at("/data/stateIndex").asLong() == before);
            String oldEpoch = seen.at("/data/epoch").asText();
            fake().restart();
            assertThat(fake().awaitIdle(WAIT)).isTrue();
            long restarted = fake().stateIndex();
            assertThat(restarted).isLessThan(before);
            // Once the gateway's shared loop has the new run's settled state (the outage it went through meanwhile is
            // RestLongPollTest.aLongPollFromTheNewRunsIndexWaitsWhileTheSharedLoopIsStillDown's).
            JsonNode current = witness.await(f -> isState(f) && f.at("/data/stateIndex").asLong() == restarted
                    && !f.at("/data/epoch").asText().equals(oldEpoch));

            LiveView view = open(WEB, new Resume(before, oldEpoch), false);
            Observation first = view.nextSignal();
            assertThat(first).isInstanceOf(State.class);
            assertThat(((State) first).index()).isEqualTo(restarted);
            assertThat(((State) first).ids()).containsExactly(id);
            if (supports(EPOCH)) {
                assertThat(((State) first).epoch()).isEqualTo(current.at("/data/epoch").asText());
            }
        }
    }

    @Test
    void aResumePointOfTheOldRunGetsTheNewStateEvenWhenTheNumberIsTheSame() throws Exception {
        assume(EPOCH);
        harness().createLocal("web");
        LiveView witness = open(WEB);
        State seen = witness.next(State.class);
        fake().restart();
        assertThat(fake().awaitIdle(WAIT)).isTrue();
        // The new run's index, once it is still: the old run passed through the same number on its way up.
        long index = fake().stateIndex();
        assertThat(index).isLessThan(seen.index());
        State current = witness.next(State.class, s -> s.index() == index && !s.epoch().equals(seen.epoch()));

        LiveView stale = open(WEB, new Resume(index, seen.epoch()), false);
        assertThat(stale.nextSignal()).isInstanceOf(State.class)
                .matches(s -> ((State) s).index() == index && ((State) s).epoch().equals(current.epoch()));

        // The same number with the current epoch is up to date.
        LiveView upToDate = open(WEB, new Resume(index, current.epoch()), false);
        if (supports(UNCHANGED)) {
            assertThat(upToDate.nextSignal()).isEqualTo(new Unchanged(index, current.epoch()));
        }
        fake().session("web").lastError("after");
        Observation next = upToDate.nextSignal();
        assertThat(next).isInstanceOf(State.class);
        assertThat(((State) next).lastError()).isEqualTo("after");
        assertThat(((State) next).epoch()).isEqualTo(current.epoch());
    }

    // ------------------------------------------------------------------ cases: slow consumers

    @Test
    void aStalledReaderGetsTheLatestStateNotAQueue() throws Exception {
        // A poll interval of 1 ms: many distinct states quickly.
        start(GatewayOptions.defaults(), StateOptions.builder().minInterval(Duration.ofMillis(1)).build());
        harness().createLocal("web");
        LiveView slow = openWithSmallBuffers(WEB);
        State start = slow.next(State.class);
        // Counts the states the gateway publishes, whatever the transport under test (a poller sees only some).
        try (WsTestClient witness = witness(WEB)) {
            slow.stall();
            int change = 0;
            long deadline = System.nanoTime() + WAIT.multipliedBy(2).toNanos();
            while (published(witness) < SNAPSHOTS && System.nanoTime() < deadline) {
                fake().session("web").lastError("change-" + change++);
                if (change % 5 == 0) {
                    Thread.sleep(1); // let the 1 ms loop see distinct states
                }
            }
            assertThat(published(witness)).as("states published while stalled")
                    .isGreaterThanOrEqualTo(SNAPSHOTS);
            fake().session("web").lastError("final-marker");
            long last = witness.await(f -> isState(f) && f.at("/data/sessionStates/0/lastError").asText()
                    .equals("final-marker")).at("/data/stateIndex").asLong();

            slow.resume();
            State got = slow.next(State.class, s -> s.lastError().equals("final-marker"));
            assertThat(got.index()).isEqualTo(last);
            List<State> states = slow.states();
            assertThat(states.subList(states.indexOf(start) + 1, states.size())).as("states after the stall")
                    .hasSizeLessThanOrEqualTo(MAX_BACKLOG).endsWith(got);
        }
    }

    // ------------------------------------------------------------------ shared by the transports

    /** A selection's JSON as an object to add to. */
    static ObjectNode selection(String selection) {
        return (ObjectNode) json(selection);
    }

    static JsonNode json(String text) {
        try {
            return WsTestClient.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + text, e);
        }
    }

    /** The HTTP status of a failure's code (docs/protocol.md), for failures answered before a stream starts. */
    static int httpStatus(int code) {
        return switch (code) {
            case 2001, 2004, 2007 -> 500;
            case 2003 -> 400;
            case 2006, 2009 -> 503;
            default -> throw new AssertionError("unexpected code " + code);
        };
    }

    /** The field names of a JSON object, in order. */
    static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
