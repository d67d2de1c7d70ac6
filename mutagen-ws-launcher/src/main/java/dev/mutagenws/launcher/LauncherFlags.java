package dev.mutagenws.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The flags of {@link ServeCommand} as picocli parsed them, each with its environment variable as default: raw
 * values, checked by {@link LauncherSettings#from(LauncherFlags)}.
 */
final class LauncherFlags {
    @Option(names = {"--listen", "-listen"}, paramLabel = "HOST:PORT", converter = ListenAddress.Converter.class,
            defaultValue = "${env:MUTAGEN_WS_LISTEN:-127.0.0.1:8081}",
            description = "Address to serve on [MUTAGEN_WS_LISTEN] (default: ${DEFAULT-VALUE}).")
    ListenAddress listen;

    @Option(names = {"--sock", "-sock"}, paramLabel = "PATH", defaultValue = "${env:MUTAGEN_WS_SOCK}",
            description = "The daemon's Unix socket, 'unix:' prefix and '~' accepted [MUTAGEN_WS_SOCK] (default:"
                    + " $MUTAGEN_DATA_DIRECTORY/daemon/daemon.sock, else ~/.mutagen/daemon/daemon.sock).")
    String sock;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:MUTAGEN_WS_TOKEN}",
            description = "Require this token (16+ characters of A-Z a-z 0-9 . _ ~ -) [MUTAGEN_WS_TOKEN]. Prefer the"
                    + " variable or --token-file: flags are visible to other users in the process list."
                    + " Default: a random 256-bit token written to a file only you can read.")
    String token;

    @Option(names = "--token-file", paramLabel = "PATH", defaultValue = "${env:MUTAGEN_WS_TOKEN_FILE}",
            description = "Read the token from this file [MUTAGEN_WS_TOKEN_FILE].")
    Path tokenFile;

    @Option(names = "--no-auth", defaultValue = "${env:MUTAGEN_WS_NO_AUTH:-false}",
            description = "Require no token; refused unless --listen is a loopback address [MUTAGEN_WS_NO_AUTH].")
    boolean noAuth;

    @Option(names = "--allow-origin", paramLabel = "ORIGIN", split = ",",
            defaultValue = "${env:MUTAGEN_WS_ALLOW_ORIGIN}",
            description = "Also accept WebSocket upgrades and non-GET requests from this origin, e.g."
                    + " http://localhost:3000, and answer it with CORS headers; repeatable"
                    + " [MUTAGEN_WS_ALLOW_ORIGIN, comma-separated].")
    List<String> allowOrigins = new ArrayList<>();

    @Option(names = "--allow-host", paramLabel = "HOST", split = ",", defaultValue = "${env:MUTAGEN_WS_ALLOW_HOST}",
            description = "Also accept this name or address in the Host header (loopback ones always are);"
                    + " repeatable [MUTAGEN_WS_ALLOW_HOST, comma-separated].")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--tls-cert", paramLabel = "PEM", defaultValue = "${env:MUTAGEN_WS_TLS_CERT}",
            description = "Serve HTTPS/WSS with this certificate chain (PEM); needs --tls-key [MUTAGEN_WS_TLS_CERT].")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", defaultValue = "${env:MUTAGEN_WS_TLS_KEY}",
            description = "The certificate's private key, unencrypted PEM (PKCS#8, or OpenSSL's RSA and EC forms)"
                    + " [MUTAGEN_WS_TLS_KEY].")
    Path tlsKey;

    @Option(names = "--max-frame-size", paramLabel = "BYTES", converter = Values.SizeConverter.class,
            defaultValue = "${env:MUTAGEN_WS_MAX_FRAME_SIZE:-1MiB}",
            description = "Largest WebSocket message or request body, e.g. 1MiB [MUTAGEN_WS_MAX_FRAME_SIZE]"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxFrameSize;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "${env:MUTAGEN_WS_MAX_IN_FLIGHT:-64}",
            description = "Requests one WebSocket may have running at once [MUTAGEN_WS_MAX_IN_FLIGHT]"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--prompt-timeout", paramLabel = "DURATION", converter = Values.DurationConverter.class,
            defaultValue = "${env:MUTAGEN_WS_PROMPT_TIMEOUT:-120s}",
            description = "How long a daemon question waits for an answer, e.g. 90s, 2m [MUTAGEN_WS_PROMPT_TIMEOUT]"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration promptTimeout;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "${env:MUTAGEN_WS_LOG_LEVEL:-info}",
            description = "error, warn, info, debug, trace or off; logs go to stderr. Netty, gRPC and Reactor stay at"
                    + " info or quieter, since their debug output can contain raw traffic [MUTAGEN_WS_LOG_LEVEL]"
                    + " (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--demo", defaultValue = "${env:MUTAGEN_WS_DEMO:-false}",
            description = "Run against an in-process fake daemon with a few moving sessions; no Mutagen needed"
                    + " [MUTAGEN_WS_DEMO].")
    boolean demo;
}
