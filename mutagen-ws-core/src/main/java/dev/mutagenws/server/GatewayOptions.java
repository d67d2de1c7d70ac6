package dev.mutagenws.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timings of a {@link MutagenGateway}, immutable; defaults follow docs/protocol.md section 7. How the
 * live state polls the daemon is set apart, with {@link MutagenGateway.Builder#stateOptions}.
 */
public final class GatewayOptions {
    /** Default of {@link #maxFrameSize()}: 1 MiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 1024 * 1024;
    /** Default of {@link #maxInFlight()}. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 64;
    /** Default of {@link #promptTimeout()}: 120 s. */
    public static final Duration DEFAULT_PROMPT_TIMEOUT = Duration.ofSeconds(120);
    /** Default of {@link #longPollTimeout()}: 30 s. */
    public static final Duration DEFAULT_LONG_POLL_TIMEOUT = Duration.ofSeconds(30);
    /** Default of {@link #maxLongPollTimeout()}: 10 minutes. */
    public static final Duration MAX_LONG_POLL_TIMEOUT = Duration.ofMinutes(10);
    /** Default of {@link #maxSubscriptions()}. */
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 16;
    /** Default of {@link #keepAlive()}: 15 s. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);
    /** Default of {@link #availabilityWait()}: 5 s. */
    public static final Duration DEFAULT_AVAILABILITY_WAIT = Duration.ofSeconds(5);
    /** Default of {@link #shutdownGrace()}: 2 s, which leaves a process stopped by SIGTERM time to exit. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final int maxFrameSize;
    private final int maxInFlight;
    private final Duration promptTimeout;
    private final Duration longPollTimeout;
    private final Duration maxLongPollTimeout;
    private final int maxSubscriptions;
    private final Duration keepAlive;
    private final Duration availabilityWait;
    private final Duration shutdownGrace;

    private GatewayOptions(Builder b) {
        this.maxFrameSize = b.maxFrameSize;
        this.maxInFlight = b.maxInFlight;
        this.promptTimeout = b.promptTimeout;
        this.longPollTimeout = b.longPollTimeout;
        this.maxLongPollTimeout = b.maxLongPollTimeout;
        this.maxSubscriptions = b.maxSubscriptions;
        this.keepAlive = b.keepAlive;
        this.availabilityWait = b.availabilityWait;
        this.shutdownGrace = b.shutdownGrace;
    }

    /**
     * Every option at its default.
     *
     * @return the default options
     */
    public static GatewayOptions defaults() {
        return builder().build();
    }

    /**
     * A builder with every option at its default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder().maxFrameSize(maxFrameSize).maxInFlight(maxInFlight).promptTimeout(promptTimeout)
                .longPollTimeout(longPollTimeout).maxLongPollTimeout(maxLongPollTimeout)
                .maxSubscriptions(maxSubscriptions).keepAlive(keepAlive).availabilityWait(availabilityWait)
                .shutdownGrace(shutdownGrace);
    }

    /**
     * Largest WebSocket message or request body, in bytes (larger ones are answered 2008).
     *
     * @return the limit in bytes
     */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /**
     * Requests one connection may have running at once (more are answered 2008).
     *
     * @return the limit
     */
    public int maxInFlight() {
        return maxInFlight;
    }

    /**
     * How long a daemon question waits for an answer before the request fails with 2007.
     *
     * @return the timeout
     */
    public Duration promptTimeout() {
        return promptTimeout;
    }

    /**
     * How long a REST long-poll ({@code ?stateIndex=N}) waits for a change when the request names no
     * {@code timeout}; it then answers the unchanged state.
     *
     * @return the timeout, at most {@link #maxLongPollTimeout()}
     */
    public Duration longPollTimeout() {
        return longPollTimeout;
    }

    /**
     * The longest {@code timeout} a REST long-poll may ask for (longer ones are refused as invalid).
     *
     * @return the limit
     */
    public Duration maxLongPollTimeout() {
        return maxLongPollTimeout;
    }

    /**
     * State subscriptions one WebSocket connection may hold at once (more are answered 2008).
     *
     * @return the limit
     */
    public int maxSubscriptions() {
        return maxSubscriptions;
    }

    /**
     * How often an idle event stream (SSE, NDJSON) sends a keep-alive.
     *
     * @return the interval
     */
    public Duration keepAlive() {
        return keepAlive;
    }

    /**
     * How long a request about the daemon itself ({@code /api/daemon}, {@code /readyz}) waits for the daemon to
     * answer before reporting it unreachable.
     *
     * @return the wait
     */
    public Duration availabilityWait() {
        return availabilityWait;
    }

    /**
     * How long stopping the gateway waits for its WebSockets to close (after sending them 1001) before it goes on
     * regardless; see {@link GatewayServer#close()} and {@link MutagenGateway#shutdown()}.
     *
     * @return the grace period
     */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** Builds {@link GatewayOptions}; every setter checks its value at once. */
    public static final class Builder {
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private Duration promptTimeout = DEFAULT_PROMPT_TIMEOUT;
        private Duration longPollTimeout = DEFAULT_LONG_POLL_TIMEOUT;
        private Duration maxLongPollTimeout = MAX_LONG_POLL_TIMEOUT;
        private int maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS;
        private Duration keepAlive = DEFAULT_KEEP_ALIVE;
        private Duration availabilityWait = DEFAULT_AVAILABILITY_WAIT;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;

        private Builder() {
        }

        /**
         * Sets {@link GatewayOptions#maxFrameSize()}.
         *
         * @param bytes between 1 KiB and 64 MiB
         * @return this builder
         */
        public Builder maxFrameSize(int bytes) {
            if (bytes < 1024 || bytes > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("max frame size must be between 1 KiB and 64 MiB, got " + bytes);
            }
            this.maxFrameSize = bytes;
            return this;
        }

        /**
         * Sets {@link GatewayOptions#maxInFlight()}.
         *
         * @param requests between 1 and 100000
         * @return this builder
         */
        public Builder maxInFlight(int requests) {
            if (requests < 1 || requests > 100_000) {
                throw new IllegalArgumentException("max in-flight requests must be between 1 and 100000, got "
                        + requests);
            }
            this.maxInFlight = requests;
            return this;
        }

        /**
         * Sets {@link GatewayOptions#promptTimeout()}.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder promptTimeout(Duration timeout) {
            this.promptTimeout = positive(Objects.requireNonNull(timeout, "promptTimeout"), "prompt timeout");
            return this;
        }

        /**
         * Sets {@link GatewayOptions#longPollTimeout()}.
         *
         * @param timeout positive, at most {@link GatewayOptions#maxLongPollTimeout()} (checked by {@link #build()})
         * @return this builder
         */
        public Builder longPollTimeout(Duration timeout) {
            this.longPollTimeout = positive(Objects.requireNonNull(timeout, "longPollTimeout"), "long-poll timeout");
            return this;
        }

        /**
         * Sets {@link GatewayOptions#maxLongPollTimeout()}.
         *
         * @param max positive, at least {@link GatewayOptions#longPollTimeout()} (checked by {@link #build()})
         * @return this builder
         */
        public Builder maxLongPollTimeout(Duration max) {
            this.maxLongPollTimeout = positive(Objects.requireNonNull(max, "maxLongPollTimeout"),
                    "maximum long-poll timeout");
            return this;
        }

        /**
         * Sets {@link GatewayOptions#maxSubscriptions()}.
         *
         * @param subscriptions between 1 and 10000
         * @return this builder
         */
        public Builder maxSubscriptions(int subscriptions) {
            if (subscriptions < 1 || subscriptions > 10_000) {
                throw new IllegalArgumentException("max subscriptions must be between 1 and 10000, got "
                        + subscriptions);
            }
            this.maxSubscriptions = subscriptions;
            return this;
        }

        /**
         * Sets {@link GatewayOptions#keepAlive()}.
         *
         * @param interval positive
         * @return this builder
         */
        public Builder keepAlive(Duration interval) {
            this.keepAlive = positive(Objects.requireNonNull(interval, "keepAlive"), "keep-alive interval");
            return this;
        }

        /**
         * Sets {@link GatewayOptions#availabilityWait()}.
         *
         * @param wait positive
         * @return this builder
         */
        public Builder availabilityWait(Duration wait) {
            this.availabilityWait = positive(Objects.requireNonNull(wait, "availabilityWait"), "availability wait");
            return this;
        }

        /**
         * Sets {@link GatewayOptions#shutdownGrace()}.
         *
         * @param grace zero (close WebSockets without waiting) or positive
         * @return this builder
         */
        public Builder shutdownGrace(Duration grace) {
            Objects.requireNonNull(grace, "shutdownGrace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("shutdown grace must not be negative, got " + grace);
            }
            this.shutdownGrace = grace;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         * @throws IllegalArgumentException when the long-poll timeout exceeds its maximum
         */
        public GatewayOptions build() {
            if (longPollTimeout.compareTo(maxLongPollTimeout) > 0) {
                throw new IllegalArgumentException("long-poll timeout " + longPollTimeout + " exceeds the maximum "
                        + maxLongPollTimeout);
            }
            return new GatewayOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
