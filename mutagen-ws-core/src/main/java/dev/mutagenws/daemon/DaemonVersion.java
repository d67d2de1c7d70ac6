package dev.mutagenws.daemon;

import java.util.Objects;

/** The daemon binary's version, e.g. 0.18.1 with an empty tag (development builds say "dev"). */
public final class DaemonVersion {
    private final long major;
    private final long minor;
    private final long patch;
    private final String tag;

    public DaemonVersion(long major, long minor, long patch, String tag) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.tag = Objects.requireNonNull(tag, "tag");
    }

    public long major() {
        return major;
    }

    public long minor() {
        return minor;
    }

    public long patch() {
        return patch;
    }

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
