package dev.mutagenws.server.security;

import dev.mutagenws.internal.server.security.HostNames;
import dev.mutagenws.internal.server.security.Tokens;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may talk to the gateway (docs/protocol.md section 7), immutable.
 *
 * <ul>
 *   <li>Host: every request's {@code Host} must be a loopback name or address, or one of {@link #allowedHosts()}
 *       (defeats DNS rebinding).</li>
 *   <li>Origin: every WebSocket upgrade and every request other than GET/HEAD that carries an {@code Origin}
 *       must come from the server's own origin or one of {@link #allowedOrigins()}; those also get CORS answers.</li>
 *   <li>Token (when {@link #requiresToken()}): every request but {@code /healthz}, {@code GET /} and the dashboard's
 *       static files presents it as {@code Authorization: Bearer}, {@code ?token=} or the {@value #COOKIE} cookie.</li>
 * </ul>
 *
 * <p>Loopback is not private: every user of the machine, and every program they run, can connect to a loopback
 * port. So {@link #localOnly()}, what {@code MutagenGateway} uses unless told otherwise, requires a token too: a
 * fresh 256-bit one, which the embedder reads with {@link #token()} to hand to its clients.
 * {@link #unauthenticatedLocalOnly()} is the explicit opt-out. The builder has no default for the token: call
 * {@link Builder#token(String)}, {@link Builder#generatedToken()} or {@link Builder#noToken()}.
 */
public final class SecurityPolicy {
    /** Name of the cookie that carries the token for the dashboard. */
    public static final String COOKIE = "mutagen_ws_token";

    /** For {@link #token()} only, never logged nor in {@link #toString()}; requests are checked against the digest. */
    private final String token;
    private final byte[] tokenDigest;
    private final String fingerprint;
    private final Set<String> allowedHosts;
    private final Set<String> allowedOrigins;
    private final boolean tls;

    private SecurityPolicy(Builder b) {
        this.token = b.token;
        this.tokenDigest = b.token == null ? null : Tokens.sha256(b.token);
        this.fingerprint = b.token == null ? null : Tokens.fingerprint(b.token);
        this.allowedHosts = Set.copyOf(b.hosts);
        this.allowedOrigins = Set.copyOf(b.origins);
        this.tls = b.tls;
    }

    /**
     * Host and Origin checks and a fresh random token (256 bits, as the launcher generates): the gateway's default.
     * Each call generates a new token; read it with {@link #token()} (e.g. {@code MutagenGateway.token()}) and give
     * it to the clients, e.g. as the dashboard address {@code http://127.0.0.1:PORT/?token=...}.
     */
    public static SecurityPolicy localOnly() {
        return builder().generatedToken().build();
    }

    /**
     * Host and Origin checks only, no token. <strong>Any local user of this machine can drive your daemon</strong>:
     * every user and program that can connect to the loopback port (other accounts, containers sharing the network,
     * a compromised tool) may create sessions that read and write every file you can and open SSH connections as
     * you. Only for an embedder that authenticates every request itself before the gateway sees it, or a machine
     * nobody else uses.
     */
    public static SecurityPolicy unauthenticatedLocalOnly() {
        return builder().noToken().build();
    }

    /**
     * A builder with no token choice yet, no extra hosts or origins, and no TLS.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this policy (its token included), to change some of it.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.token = token;
        b.tokenChosen = true;
        b.hosts.addAll(allowedHosts);
        b.origins.addAll(allowedOrigins);
        b.tls = tls;
        return b;
    }

    /**
     * Whether requests must present a token.
     *
     * @return true unless the policy was built with {@link Builder#noToken()}
     */
    public boolean requiresToken() {
        return tokenDigest != null;
    }

    /**
     * The token clients must present, to hand to them (a URL with {@code ?token=}, an {@code Authorization: Bearer}
     * header); empty when the policy requires none. It is a secret: never log it or put it in an error message.
     */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /** Whether the presented token is the right one; constant time. False when no token is configured. */
    public boolean matchesToken(String presented) {
        return tokenDigest != null && Tokens.matches(tokenDigest, presented);
    }

    /** The token's fingerprint (see {@link Tokens#fingerprint}) or null without a token; safe to log. */
    public String tokenFingerprint() {
        return fingerprint;
    }

    /** Host names and addresses accepted besides loopback ones (lower case, without port). */
    public Set<String> allowedHosts() {
        return allowedHosts;
    }

    /** Origins accepted besides the server's own, which also get CORS answers (lower case). */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Served over TLS: the own origin is {@code https://...} and the cookie is {@code Secure}. */
    public boolean tls() {
        return tls;
    }

    @Override
    public String toString() {
        // Never the token: its fingerprint at most.
        return "SecurityPolicy{token=" + (fingerprint == null ? "none" : "sha256:" + fingerprint + "...")
                + ", allowedHosts=" + allowedHosts + ", allowedOrigins=" + allowedOrigins + ", tls=" + tls + "}";
    }

    /** Builds a {@link SecurityPolicy}; the token must be chosen explicitly. */
    public static final class Builder {
        private String token;
        private boolean tokenChosen;
        private final Set<String> hosts = new LinkedHashSet<>();
        private final Set<String> origins = new LinkedHashSet<>();
        private boolean tls;

        private Builder() {
        }

        /**
         * Requires this token.
         *
         * @param token the token (see {@link Tokens#validate})
         * @return this builder
         */
        public Builder token(String token) {
            this.token = Tokens.validate(Objects.requireNonNull(token, "token"));
            this.tokenChosen = true;
            return this;
        }

        /**
         * Requires a fresh random token ({@link Tokens#generate()}, 256 bits); read it back with
         * {@link SecurityPolicy#token()}.
         */
        public Builder generatedToken() {
            return token(Tokens.generate());
        }

        /**
         * Requires no token; Host and Origin are still checked. <strong>Any local user of this machine can then drive
         * your daemon</strong> (see {@link SecurityPolicy#unauthenticatedLocalOnly()}): only for an embedder that
         * authenticates every request itself, or a single-user machine.
         */
        public Builder noToken() {
            this.token = null;
            this.tokenChosen = true;
            return this;
        }

        /**
         * Accepts this host name or address in {@code Host}.
         *
         * @param host a name or address; a port, if given, is ignored
         * @return this builder
         */
        public Builder allowHost(String host) {
            hosts.add(HostNames.validateAllowed(Objects.requireNonNull(host, "host")));
            return this;
        }

        /**
         * Accepts each of these host names or addresses, as {@link #allowHost(String)}.
         *
         * @param hosts names or addresses
         * @return this builder
         */
        public Builder allowHosts(Collection<String> hosts) {
            Objects.requireNonNull(hosts, "hosts").forEach(this::allowHost);
            return this;
        }

        /**
         * Accepts this origin.
         *
         * @param origin {@code scheme://host[:port]}, no path, never {@code *}
         * @return this builder
         */
        public Builder allowOrigin(String origin) {
            origins.add(validateOrigin(origin));
            return this;
        }

        /**
         * Accepts each of these origins, as {@link #allowOrigin(String)}.
         *
         * @param origins the origins
         * @return this builder
         */
        public Builder allowOrigins(Collection<String> origins) {
            Objects.requireNonNull(origins, "origins").forEach(this::allowOrigin);
            return this;
        }

        /**
         * Whether the server is reached over TLS (see {@link SecurityPolicy#tls()}).
         *
         * @param tls true when served over HTTPS/WSS
         * @return this builder
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return an immutable policy
         * @throws IllegalStateException when none of {@link #token(String)}, {@link #generatedToken()} and
         *                               {@link #noToken()} was called
         */
        public SecurityPolicy build() {
            if (!tokenChosen) {
                throw new IllegalStateException("choose token(...), generatedToken() or noToken() explicitly");
            }
            return new SecurityPolicy(this);
        }

        static String validateOrigin(String origin) {
            Objects.requireNonNull(origin, "origin");
            String o = origin.strip().toLowerCase(Locale.ROOT);
            if (o.endsWith("/")) {
                o = o.substring(0, o.length() - 1);
            }
            int scheme = o.indexOf("://");
            String rest = scheme < 0 ? "" : o.substring(scheme + 3);
            if (o.equals("*") || o.equals("null") || scheme < 0
                    || !(o.startsWith("http://") || o.startsWith("https://"))
                    || rest.isEmpty() || rest.contains("/") || rest.contains("?") || rest.contains("#")
                    || rest.contains("@") || rest.contains("*")) {
                throw new IllegalArgumentException("expected an origin like http://localhost:3000 (scheme, host and"
                        + " optional port; no path, no wildcard), got \"" + origin + "\"");
            }
            return o;
        }
    }
}
