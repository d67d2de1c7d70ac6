package dev.mutagenws.server;

import java.time.Duration;

/** Limits of the gateway, immutable; defaults follow docs/protocol.md section 7. */
public final class GatewayOptions {
    public static final int DEFAULT_MAX_FRAME_SIZE = 1024 * 1024;
    public static final int DEFAULT_MAX_IN_FLIGHT = 64;
    public static final Duration DEFAULT_PROMPT_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_LONG_POLL_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration MAX_LONG_POLL_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 16;
    /** Mutagen's own {@code sync monitor} interval; faster polling slows the daemon's transfers. */
    public static final Duration DEFAULT_MIN_POLL_INTERVAL = Duration.ofMillis(50);
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);

    private final int maxFrameSize;
    private final int maxInFlight;
    private final Duration promptTimeout;
    private final int maxSubscriptions;
    private final Duration minPollInterval;
    private final Duration keepAlive;

    private GatewayOptions(Builder b) {
        this.maxFrameSize = b.maxFrameSize;
        this.maxInFlight = b.maxInFlight;
        this.promptTimeout = b.promptTimeout;
        this.maxSubscriptions = b.maxSubscriptions;
        this.minPollInterval = b.minPollInterval;
        this.keepAlive = b.keepAlive;
    }

    public static GatewayOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Largest WebSocket message or request body, in bytes (larger ones are answered 2008). */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** Requests one connection may have running at once (more are answered 2008). */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** How long a daemon question waits for an answer before the request fails with 2007. */
    public Duration promptTimeout() {
        return promptTimeout;
    }

    /** State subscriptions one WebSocket connection may hold at once (more are answered 2008). */
    public int maxSubscriptions() {
        return maxSubscriptions;
    }

    /** Least time between two {@code List} calls of one selection's live-state loop (default 50 ms). */
    public Duration minPollInterval() {
        return minPollInterval;
    }

    /** How often an idle event stream (SSE, NDJSON) sends a keep-alive (default 15 s). */
    public Duration keepAlive() {
        return keepAlive;
    }

    public Builder toBuilder() {
        return new Builder().maxFrameSize(maxFrameSize).maxInFlight(maxInFlight).promptTimeout(promptTimeout)
                .maxSubscriptions(maxSubscriptions).minPollInterval(minPollInterval).keepAlive(keepAlive);
    }

    public static final class Builder {
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private Duration promptTimeout = DEFAULT_PROMPT_TIMEOUT;
        private int maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS;
        private Duration minPollInterval = DEFAULT_MIN_POLL_INTERVAL;
        private Duration keepAlive = DEFAULT_KEEP_ALIVE;

        private Builder() {
        }

        public Builder maxSubscriptions(int subscriptions) {
            if (subscriptions < 1 || subscriptions > 10_000) {
                throw new IllegalArgumentException("max subscriptions must be between 1 and 10000, got " + subscriptions);
            }
            this.maxSubscriptions = subscriptions;
            return this;
        }

        public Builder minPollInterval(Duration interval) {
            if (interval.isNegative() || interval.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("min poll interval must be between 0 and 10s, got " + interval);
            }
            this.minPollInterval = interval;
            return this;
        }

        public Builder keepAlive(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("keep-alive interval must be positive, got " + interval);
            }
            this.keepAlive = interval;
            return this;
        }

        public Builder maxFrameSize(int bytes) {
            if (bytes < 1024 || bytes > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("max frame size must be between 1 KiB and 64 MiB, got " + bytes);
            }
            this.maxFrameSize = bytes;
            return this;
        }

        public Builder maxInFlight(int requests) {
            if (requests < 1 || requests > 100_000) {
                throw new IllegalArgumentException("max in-flight requests must be between 1 and 100000, got "
                        + requests);
            }
            this.maxInFlight = requests;
            return this;
        }

        public Builder promptTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("prompt timeout must be positive, got " + timeout);
            }
            this.promptTimeout = timeout;
            return this;
        }

        public GatewayOptions build() {
            return new GatewayOptions(this);
        }
    }
}
