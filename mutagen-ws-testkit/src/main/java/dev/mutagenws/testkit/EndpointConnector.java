package dev.mutagenws.testkit;

import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.synchronization.Session;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.testkit.LifecycleSteps.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Connecting sessions' endpoints: inside Create and Resume, with the caller's prompter, and in the run loops'
 * background attempts, without one, retried every reconnect interval. {@code lock} is the engine, whose monitor
 * guards all state; dialing inside an RPC happens outside it because prompting blocks on clients, background
 * attempts run as lifecycle steps, under it.
 */
final class EndpointConnector {
    private final Object lock;
    private final AgentDialer dialer;
    private final LongPolls polls;
    private final StepRunner runner;
    private final ScheduledExecutorService scheduler;
    private final boolean manual;
    /** The run loop's pause between failed reconnect attempts (15 s in the daemon). */
    private final long reconnectDelayNanos;

    EndpointConnector(Object lock, AgentDialer dialer, LongPolls polls, StepRunner runner,
            ScheduledExecutorService scheduler, boolean manual, Duration reconnectDelay) {
        this.lock = lock;
        this.dialer = dialer;
        this.polls = polls;
        this.runner = runner;
        this.scheduler = scheduler;
        this.manual = manual;
        this.reconnectDelayNanos = reconnectDelay.toNanos();
    }

    /** Create of an unpaused session: both endpoints, synchronously inside the RPC, before anything is visible. */
    void connect(CreationSpecification spec, String prompter) throws DaemonError {
        dialer.connect(Endpoint.ALPHA, spec.getAlpha(), spec.getConfiguration(), spec.getConfigurationAlpha(),
                prompter);
        dialer.connect(Endpoint.BETA, spec.getBeta(), spec.getConfiguration(), spec.getConfigurationBeta(),
                prompter);
    }

    /**
     * The connecting part of Resume, for a session already set to ConnectingAlpha: alpha, then beta, each a few
     * state writes, then the run loop starts with a cycle. A failed endpoint fails the RPC.
     */
    void resume(SessionRecord r, String prompter) throws DaemonError {
        Session s = r.session;
        resumeDial(r, s, Endpoint.ALPHA, prompter);
        synchronized (lock) {
            if (r.removed) {
                return;
            }
            r.alpha.setConnected(true);
            polls.bump();
            r.status = Status.ConnectingBeta;
            polls.bump();
        }
        resumeDial(r, s, Endpoint.BETA, prompter);
        synchronized (lock) {
            if (r.removed) {
                return;
            }
            r.beta.setConnected(true);
            polls.bump();
            r.loopConnected = true;
            List<Step> steps = new ArrayList<>(LifecycleSteps.loopStart(r));
            steps.addAll(LifecycleSteps.cycle(r));
            runner.enqueue(r, steps);
            if (manual) {
                runner.drain(r);
            }
        }
    }

    private void resumeDial(SessionRecord r, Session s, Endpoint e, String prompter) throws DaemonError {
        try {
            dial(s, e, prompter);
        } catch (DaemonError failed) {
            // lastError stays empty: failed connections are reported only in the RPC result.
            resumeFailed(r, e);
            throw new DaemonError("unable to resume session: " + failed.getMessage());
        }
    }

    /**
     * The connected flag is written after the failed attempt, and the run loop starts anyway: it retries the
     * missing endpoint at once without a prompter, then every reconnect interval (15 s), each attempt moving the
     * index without a visible change.
     */
    private void resumeFailed(SessionRecord r, Endpoint e) {
        synchronized (lock) {
            if (!r.removed && !r.session.getPaused()) {
                r.endpoint(e).setConnected(false);
                polls.bump();
                runner.enqueue(r, LifecycleSteps.retry(r, this::attempt));
            }
        }
    }

    /** The steps of a run loop reconnecting on its own (daemon start), without a prompter. */
    List<Step> reconnect(SessionRecord r) {
        return LifecycleSteps.reconnect(r, this::attempt);
    }

    /** A background attempt (a lifecycle step, under the lock); on failure the next follows after the interval. */
    private void attempt(SessionRecord r, Endpoint e) {
        try {
            dial(r.session, e, "");
            r.endpoint(e).setConnected(true);
        } catch (DaemonError failed) {
            r.endpoint(e).setConnected(false);
            r.steps.clear(); // Stays in Connecting*; the next attempt follows after the reconnect interval.
            scheduleRetry(r);
        }
    }

    private void dial(Session s, Endpoint e, String prompter) throws DaemonError {
        if (e == Endpoint.ALPHA) {
            dialer.connect(e, s.getAlpha(), s.getConfiguration(), s.getConfigurationAlpha(), prompter);
        } else {
            dialer.connect(e, s.getBeta(), s.getConfiguration(), s.getConfigurationBeta(), prompter);
        }
    }

    private void scheduleRetry(SessionRecord r) {
        int generation = r.generation;
        scheduler.schedule(() -> {
            synchronized (lock) {
                if (generation == r.generation && !r.removed && runner.running() && !r.session.getPaused()) {
                    runner.enqueue(r, LifecycleSteps.retry(r, this::attempt));
                }
            }
        }, reconnectDelayNanos, TimeUnit.NANOSECONDS);
    }
}
