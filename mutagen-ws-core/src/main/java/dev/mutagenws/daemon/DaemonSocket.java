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

    /**
     * A socket at an explicit location: a path, optionally prefixed {@code unix:} or {@code unix://}, with a leading
     * {@code ~} standing for the user's home directory; a relative path is resolved against the working directory. A
     * null or blank location means {@link #fromEnvironment()}.
     *
     * @throws IllegalArgumentException when the location names no path (a bare {@code unix:}), or, for a blank
     *     location, when {@code MUTAGEN_DATA_DIRECTORY} is unusable
     */
    public static DaemonSocket of(String location) {
        return resolve(location, System.getenv(), Paths.get(System.getProperty("user.home")));
    }

    /**
     * A socket at an explicit path, made absolute against the working directory. Whether a socket exists there is only
     * found out by the first call.
     */
    public static DaemonSocket of(Path path) {
        return new DaemonSocket(Objects.requireNonNull(path, "path").toAbsolutePath().normalize());
    }

    /**
     * The socket the local Mutagen CLI would use: {@code $MUTAGEN_DATA_DIRECTORY/daemon/daemon.sock} when that variable
     * is set, else {@code ~/.mutagen/daemon/daemon.sock}.
     *
     * @throws IllegalArgumentException when {@code MUTAGEN_DATA_DIRECTORY} is set but empty or relative (with Mutagen's
     *     own wording)
     */
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

    /**
     * The socket file's path, normalized; absolute except when {@link #resolve resolve} was given a relative home
     * directory. Resolution never checks that the file exists.
     */
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
