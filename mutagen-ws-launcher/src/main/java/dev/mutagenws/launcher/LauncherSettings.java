package dev.mutagenws.launcher;

import dev.mutagenws.daemon.DaemonSocket;
import dev.mutagenws.internal.server.security.Tokens;
import dev.mutagenws.server.GatewayOptions;
import dev.mutagenws.server.security.SecurityPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.tcp.SslProvider;

/**
 * What the flags and environment ask for, checked in one place before anything starts: every problem is a
 * {@link BadFlag} naming its flag (exit status 2).
 *
 * @param listen         where to serve
 * @param socket         the daemon's socket; null with {@code --demo}, which starts its own
 * @param demo           serve an in-process fake daemon
 * @param logLevel       a level of {@link Logging#LEVELS}
 * @param options        the gateway's limits
 * @param policy         the gateway's security policy
 * @param token          the token clients present; null with {@code --no-auth}. A secret: never logged
 * @param generatedToken whether the token was generated now, to be written to {@code tokenFile}
 * @param tokenFile      the token file read or to write; null when the token is not in a file
 * @param tokenLine      the start-up line that says where the token comes from
 * @param ssl            TLS for the server; null for plain HTTP
 */
record LauncherSettings(ListenAddress listen, DaemonSocket socket, boolean demo, String logLevel,
        GatewayOptions options, SecurityPolicy policy, String token, boolean generatedToken, Path tokenFile,
        String tokenLine, SslProvider ssl) {

    /** A flag or variable with a value that cannot be served; the message names the flag. */
    static final class BadFlag extends RuntimeException {
        BadFlag(String message) {
            super(message);
        }
    }

    /** Checks the flags and builds what they ask for; the only place that turns a value into a {@link BadFlag}. */
    static LauncherSettings from(LauncherFlags f) {
        if (!Logging.LEVELS.contains(f.logLevel.toLowerCase(Locale.ROOT))) {
            throw new BadFlag("Invalid value for option '--log-level': expected one of "
                    + String.join(", ", Logging.LEVELS) + ", got '" + f.logLevel + "'");
        }
        int tokenSources = (f.token != null ? 1 : 0) + (f.tokenFile != null ? 1 : 0) + (f.noAuth ? 1 : 0);
        if (tokenSources > 1) {
            throw new BadFlag("--token, --token-file and --no-auth exclude each other; give at most one");
        }
        if (f.noAuth && !f.listen.isLoopback()) {
            throw new BadFlag("--no-auth is refused with a non-loopback --listen (" + f.listen + "): anyone who can"
                    + " reach it could read and write your files through Mutagen");
        }
        if (f.demo && f.sock != null) {
            throw new BadFlag("--demo runs its own fake daemon; it cannot be combined with --sock");
        }
        GatewayOptions options = options(f);
        DaemonSocket socket = null;
        if (!f.demo) {
            try {
                socket = f.sock == null ? DaemonSocket.fromEnvironment() : DaemonSocket.of(f.sock);
            } catch (RuntimeException e) {
                throw invalid("--sock", e.getMessage());
            }
        }

        SecurityPolicy.Builder policy = SecurityPolicy.builder();
        String token = null;
        boolean generated = false;
        Path tokenFile = null;
        String tokenLine;
        if (f.noAuth) {
            policy.noToken();
            tokenLine = "token: none (--no-auth): any local program or user can use the API";
        } else if (f.token != null) {
            token = f.token;
            set("--token", () -> policy.token(f.token));
            tokenLine = "token: from --token/MUTAGEN_WS_TOKEN";
        } else if (f.tokenFile != null) {
            try {
                token = TokenFile.read(f.tokenFile);
            } catch (IOException e) {
                throw invalid("--token-file", "cannot read " + f.tokenFile + ": " + Launcher.oneLine(e));
            }
            String read = token;
            set("--token-file", f.tokenFile + ": ", () -> policy.token(read));
            tokenFile = f.tokenFile.toAbsolutePath();
            tokenLine = "token file: " + tokenFile;
        } else {
            token = Tokens.generate();
            policy.token(token);
            generated = true;
            tokenFile = TokenFile.defaultPath(System.getenv(), Path.of(System.getProperty("user.home")));
            tokenLine = "token file: " + tokenFile;
        }
        for (String origin : f.allowOrigins) {
            set("--allow-origin", () -> policy.allowOrigin(origin));
        }
        for (String host : f.allowHosts) {
            set("--allow-host", () -> policy.allowHost(host));
        }
        if (!f.listen.isWildcard() && !f.listen.isLoopback()) {
            // The address we were told to serve on is an address clients will use.
            policy.allowHost(f.listen.host());
        }
        SslProvider ssl = ssl(f);
        policy.tls(ssl != null);
        return new LauncherSettings(f.listen, socket, f.demo, f.logLevel, options, policy.build(), token, generated,
                tokenFile, tokenLine, ssl);
    }

    /**
     * The address to open, with the token for the dashboard.
     *
     * @param port the port the server got
     */
    String url(int port) {
        return (ssl == null ? "http" : "https") + "://" + listen.urlHost() + ":" + port + "/"
                + (token == null ? "" : "?token=" + token);
    }

    /** The server as these settings want it: with TLS when given. */
    HttpServer secure(HttpServer http) {
        return ssl == null ? http : http.secure(ssl);
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "LauncherSettings[listen=" + listen + ", socket=" + socket + ", demo=" + demo + ", policy=" + policy
                + ", tls=" + (ssl != null) + "]";
    }

    private static GatewayOptions options(LauncherFlags f) {
        GatewayOptions.Builder options = GatewayOptions.builder();
        set("--max-frame-size", () -> options.maxFrameSize(f.maxFrameSize));
        set("--max-in-flight", () -> options.maxInFlight(f.maxInFlight));
        set("--prompt-timeout", () -> options.promptTimeout(f.promptTimeout));
        return options.build();
    }

    private static SslProvider ssl(LauncherFlags f) {
        if ((f.tlsCert == null) != (f.tlsKey == null)) {
            throw new BadFlag(f.tlsCert == null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
        }
        if (f.tlsCert == null) {
            return null;
        }
        requireReadable(f.tlsCert, "--tls-cert");
        requireReadable(f.tlsKey, "--tls-key");
        PrivateKey key;
        try {
            key = PemKeys.read(f.tlsKey);
        } catch (IOException e) {
            throw invalid("--tls-key", f.tlsKey + ": " + e.getMessage());
        }
        List<X509Certificate> chain;
        try (InputStream in = Files.newInputStream(f.tlsCert)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> (X509Certificate) c).toList();
        } catch (IOException | GeneralSecurityException e) {
            throw invalid("--tls-cert", f.tlsCert + ": not a PEM certificate chain (" + Launcher.oneLine(e) + ")");
        }
        if (chain.isEmpty()) {
            throw invalid("--tls-cert", f.tlsCert + ": no certificate in it");
        }
        if (!PemKeys.belongTogether(key, chain.get(0))) {
            throw invalid("--tls-key", f.tlsKey + " is not the key of the certificate in " + f.tlsCert);
        }
        try {
            // Built now, so that a key that does not fit the certificate is a flag error, not a failed start.
            return SslProvider.builder().sslContext(Http11SslContextSpec.forServer(key, chain)).build();
        } catch (RuntimeException e) {
            throw new BadFlag("Invalid value for option '--tls-cert'/'--tls-key': "
                    + Launcher.oneLine(Launcher.rootCause(e)));
        }
    }

    private static void requireReadable(Path file, String flag) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw invalid(flag, "cannot read " + file);
        }
    }

    /** Runs a builder step; its refusal becomes a {@link BadFlag} for {@code flag}. */
    private static void set(String flag, Runnable step) {
        set(flag, "", step);
    }

    private static void set(String flag, String prefix, Runnable step) {
        try {
            step.run();
        } catch (IllegalArgumentException e) {
            throw invalid(flag, prefix + e.getMessage());
        }
    }

    private static BadFlag invalid(String flag, String problem) {
        return new BadFlag("Invalid value for option '" + flag + "': " + problem);
    }
}
