package dev.mutagenws.daemon;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Objects;

/**
 * Where the daemon's Unix domain socket is. Resolution order, as the Mutagen CLI does it:
 * an explicit path (optionally prefixed {@code unix:} or {@code unix://}, {@code ~} expanded);
 * else {@code $MUTAGEN_DATA_DIRECTORY/daemon/daemon.sock}; else {@code ~/.mutagen/daemon/daemon.sock}.
 */
public final class DaemonSocket {
    /** Name of the environment variable that relocates Mutagen's data directory. */
    public static final String DATA_DIRECTORY_VARIABLE = "MUTAGEN_DATA_DIRECTORY";

    private final Path path;

    private DaemonSocket(Path path) {
        this.path = path;
    }

    /** A socket at an explicit location, given as a path or a {@code unix:} target. */
    public static DaemonSocket of(String location) {
        return resolve(location, System.getenv(), Paths.get(System.getProperty("user.home")));
    }

    /** A socket at an explicit path. */
    public static DaemonSocket of(Path path) {
        return new DaemonSocket(Objects.requireNonNull(path, "path").toAbsolutePath().normalize());
    }

    /** The socket the local Mutagen CLI would use, from the environment and home directory. */
    public static DaemonSocket fromEnvironment() {
        return resolve(null, System.getenv(), Paths.get(System.getProperty("user.home")));
    }

    /**
     * Resolves a socket location against an environment and a home directory (both passed in so
     * that resolution is testable without touching the process environment).
     *
     * @param location explicit location, or null/blank to use the environment
     * @throws IllegalArgumentException when the location or the data directory variable is unusable
     */
    public static DaemonSocket resolve(String location, Map<String, String> environment, Path home) {
        if (location != null && !location.isBlank()) {
            return new DaemonSocket(explicit(location.strip(), home));
        }
        String dataDirectory = environment.get(DATA_DIRECTORY_VARIABLE);
        if (dataDirectory != null) {
            // Mutagen itself refuses an empty or relative data directory; so do we, with its own texts.
            if (dataDirectory.isEmpty()) {
                throw new IllegalArgumentException("provided data directory path is empty");
            }
            Path data = Paths.get(dataDirectory);
            if (!data.isAbsolute()) {
                throw new IllegalArgumentException("provided data directory path is not absolute");
            }
            return new DaemonSocket(data.resolve("daemon").resolve("daemon.sock").normalize());
        }
        return new DaemonSocket(home.resolve(".mutagen").resolve("daemon").resolve("daemon.sock").normalize());
    }

    private static Path explicit(String location, Path home) {
        String raw = location;
        if (raw.startsWith("unix://")) {
            raw = raw.substring("unix://".length());
        } else if (raw.startsWith("unix:")) {
            raw = raw.substring("unix:".length());
        }
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("daemon socket location has no path: " + location);
        }
        if (raw.equals("~")) {
            return home.normalize();
        }
        if (raw.startsWith("~/")) {
            return home.resolve(raw.substring(2)).normalize();
        }
        return Paths.get(raw).toAbsolutePath().normalize();
    }

    public Path path() {
        return path;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DaemonSocket && ((DaemonSocket) other).path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
