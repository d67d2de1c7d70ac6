package dev.mutagenws.server.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
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
 * <p>The builder has no default for the token: call {@link Builder#token(String)} or {@link Builder#noToken()}.
 * {@link #localOnly()} (what {@code MutagenGateway} uses unless told otherwise) checks Host and Origin but asks for
 * no token, which suits an embedder on loopback with its own authentication; anything reachable by other users
 * of the machine should require a token.
 */
public final class SecurityPolicy {
    /** Name of the cookie that carries the token for the dashboard. */
    public static final String COOKIE = "mutagen_ws_token";

    private final byte[] tokenDigest;
    private final String fingerprint;
    private final Set<String> allowedHosts;
    private final Set<String> allowedOrigins;
    private final boolean tls;

    private SecurityPolicy(Builder b) {
        this.tokenDigest = b.token == null ? null : Tokens.sha256(b.token);
        this.fingerprint = b.token == null ? null : Tokens.fingerprint(b.token);
        this.allowedHosts = Set.copyOf(b.hosts);
        this.allowedOrigins = Set.copyOf(b.origins);
        this.tls = b.tls;
    }

    /** Host and Origin checks, no token: the gateway's default for embedders. */
    public static SecurityPolicy localOnly() {
        return builder().noToken().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean requiresToken() {
        return tokenDigest != null;
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

    public static final class Builder {
        private String token;
        private boolean tokenChosen;
        private final Set<String> hosts = new LinkedHashSet<>();
        private final Set<String> origins = new LinkedHashSet<>();
        private boolean tls;

        private Builder() {
        }

        /** Requires this token (see {@link Tokens#validate}). */
        public Builder token(String token) {
            this.token = Tokens.validate(token);
            this.tokenChosen = true;
            return this;
        }

        /** Requires no token; Host and Origin are still checked. */
        public Builder noToken() {
            this.token = null;
            this.tokenChosen = true;
            return this;
        }

        /** Accepts this host name or address in {@code Host} (a port, if given, is ignored). */
        public Builder allowHost(String host) {
            hosts.add(HostNames.validateAllowed(host));
            return this;
        }

        public Builder allowHosts(Collection<String> hosts) {
            hosts.forEach(this::allowHost);
            return this;
        }

        /** Accepts this origin ({@code scheme://host[:port]}, no path, never {@code *}). */
        public Builder allowOrigin(String origin) {
            origins.add(validateOrigin(origin));
            return this;
        }

        public Builder allowOrigins(Collection<String> origins) {
            origins.forEach(this::allowOrigin);
            return this;
        }

        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** @throws IllegalStateException when neither {@link #token(String)} nor {@link #noToken()} was called */
        public SecurityPolicy build() {
            if (!tokenChosen) {
                throw new IllegalStateException("choose token(...) or noToken() explicitly");
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
