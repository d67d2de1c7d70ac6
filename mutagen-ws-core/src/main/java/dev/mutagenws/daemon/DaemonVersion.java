package dev.mutagenws.daemon;

import java.util.Objects;

/** The daemon binary's version, e.g. 0.18.1 with an empty tag (development builds say "dev"). */
public final class DaemonVersion {
    private final long major;
    private final long minor;
    private final long patch;
    private final String tag;

    /**
     * A version as the daemon reports it ({@code Daemon.Version}).
     *
     * @param major major version, e.g. 0 of 0.18.1
     * @param minor minor version, e.g. 18 of 0.18.1
     * @param patch patch version, e.g. 1 of 0.18.1
     * @param tag pre-release tag such as {@code dev}; empty (not null) for a release
     */
    public DaemonVersion(long major, long minor, long patch, String tag) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.tag = Objects.requireNonNull(tag, "tag");
    }

    /** The major version, e.g. 0 of 0.18.1. */
    public long major() {
        return major;
    }

    /** The minor version, e.g. 18 of 0.18.1. */
    public long minor() {
        return minor;
    }

    /** The patch version, e.g. 1 of 0.18.1. */
    public long patch() {
        return patch;
    }

    /** The pre-release tag, e.g. {@code dev}; empty (never null) for a release build. */
    public String tag() {
        return tag;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DaemonVersion)) {
            return false;
        }
        DaemonVersion v = (DaemonVersion) o;
        return major == v.major && minor == v.minor && patch == v.patch && tag.equals(v.tag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(major, minor, patch, tag);
    }

    /** {@code 0.18.1}, or {@code 0.19.0-dev} with a tag. */
    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (tag.isEmpty() ? "" : "-" + tag);
    }
}
