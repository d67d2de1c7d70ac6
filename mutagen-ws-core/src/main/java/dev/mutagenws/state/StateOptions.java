package dev.mutagenws.state;

import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * How gently a {@link StateHub} polls the daemon, and how it recovers. Immutable. A gateway's hub takes them from
 * {@code MutagenGateway.Builder.stateOptions(...)}.
 */
public final class StateOptions {
    /**
     * Default of {@link #minInterval()}: 50 ms. Mutagen's own {@code sync monitor} polls no faster than this; faster
     * polling slows staging.
     */
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMillis(50);
    /** Default of {@link #backoffMin()}: 100 ms. */
    public static final Duration DEFAULT_BACKOFF_MIN = Duration.ofMillis(100);
    /** Default of {@link #backoffMax()}: 5 s. */
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(5);
    /** Default of {@link #jitter()}. */
    public static final double DEFAULT_JITTER = 0.5;
    /** Default of {@link #linger()}: 250 ms. */
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(250);
    /** Default of {@link #maxPending()}. */
    public static final int DEFAULT_MAX_PENDING = 8;

    private final Duration minInterval;
    private final Duration backoffMin;
    private final Duration backoffMax;
    private final double jitter;
    private final Duration linger;
    private final int maxPending;
    private final Scheduler scheduler;

    private StateOptions(Builder b) {
        this.minInterval = b.minInterval;
        this.backoffMin = b.backoffMin;
        this.backoffMax = b.backoffMax;
        this.jitter = b.jitter;
        this.linger = b.linger;
        this.maxPending = b.maxPending;
        this.scheduler = b.scheduler != null ? b.scheduler : Schedulers.parallel();
    }

    /** Options with every default (the {@code DEFAULT_*} constants, Reactor's parallel scheduler). */
    public static StateOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder().minInterval(minInterval).backoff(backoffMin, backoffMax).jitter(jitter).linger(linger)
                .maxPending(maxPending).scheduler(scheduler);
    }

    /**
     * Least time between the starts of two {@code List} calls of one selection (default 50 ms). Zero is
     * allowed (tests, benchmarks): the loop then re-polls at once, iteratively even when answers are synchronous.
     *
     * @return the interval
     */
    public Duration minInterval() {
        return minInterval;
    }

    /**
     * First retry delay after the daemon became unreachable; doubles up to {@link #backoffMax()}.
     *
     * @return the first delay
     */
    public Duration backoffMin() {
        return backoffMin;
    }

    /** Longest retry delay; the doubling from {@link #backoffMin()} stops here (default 5 s). */
    public Duration backoffMax() {
        return backoffMax;
    }

    /**
     * Share of a retry delay taken off at random (0 to 1), so many clients do not retry in step.
     *
     * @return the share
     */
    public double jitter() {
        return jitter;
    }

    /**
     * How long a selection's loop outlives its last subscriber (a quick re-subscriber finds it running).
     *
     * @return the time
     */
    public Duration linger() {
        return linger;
    }

    /**
     * Upper bound on signals held for a subscriber that does not read. Conflation already keeps at most
     * four (resume answer, latest snapshot, one outage as false then true); below that, older snapshots go.
     *
     * @return the bound
     */
    public int maxPending() {
        return maxPending;
    }

    /**
     * Timers (throttle, backoff, linger) run here; a virtual-time scheduler in tests.
     *
     * @return the scheduler (default {@code Schedulers.parallel()})
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * Builds {@link StateOptions}; every setter validates at once and throws {@link IllegalArgumentException} on an
     * out-of-range value (and {@link NullPointerException} on null). Not thread-safe.
     */
    public static final class Builder {
        private Duration minInterval = DEFAULT_MIN_INTERVAL;
        private Duration backoffMin = DEFAULT_BACKOFF_MIN;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private double jitter = DEFAULT_JITTER;
        private Duration linger = DEFAULT_LINGER;
        private int maxPending = DEFAULT_MAX_PENDING;
        private Scheduler scheduler;

        private Builder() {
        }

        /**
         * Least time between the starts of two {@code List} calls of one selection; zero or more (default 50 ms, as
         * Mutagen's own monitor: faster polling slows the daemon down while staging).
         */
        public Builder minInterval(Duration interval) {
            this.minInterval = nonNegative(interval, "minInterval");
            return this;
        }

        /**
         * Retry delays while the daemon is unreachable: the first is {@code min}, each next one doubles up to
         * {@code max} (defaults 100 ms and 5 s).
         *
         * @throws IllegalArgumentException unless {@code 0 < min <= max}
         */
        public Builder backoff(Duration min, Duration max) {
            nonNegative(min, "backoff minimum");
            Objects.requireNonNull(max, "backoff maximum");
            if (min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("backoff needs 0 < min <= max, got " + min + " and " + max);
            }
            this.backoffMin = min;
            this.backoffMax = max;
            return this;
        }

        /** Share of each retry delay taken off at random, from 0 (none) to 1 (default 0.5). */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * How long a selection's loop outlives its last subscriber; zero or more (default 250 ms). Zero stops it at
         * once, which makes a quick re-subscriber start a new loop.
         */
        public Builder linger(Duration linger) {
            this.linger = nonNegative(linger, "linger");
            return this;
        }

        /**
         * Upper bound on signals held for one subscriber that does not read, from 2 to 10000 (default 8); see
         * {@link StateOptions#maxPending()}.
         */
        public Builder maxPending(int signals) {
            if (signals < 2 || signals > 10_000) {
                throw new IllegalArgumentException("maxPending must be between 2 and 10000, got " + signals);
            }
            this.maxPending = signals;
            return this;
        }

        /**
         * Where timers (throttle, backoff, linger) run; default Reactor's parallel scheduler. Tests pass a virtual-time
         * scheduler.
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The options as set; the builder may be reused. */
        public StateOptions build() {
            return new StateOptions(this);
        }

        private static Duration nonNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, got " + d);
            }
            return d;
        }
    }
}
