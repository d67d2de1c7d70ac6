package dev.mutagenws.testkit;

/** The script of one SSH host; see {@link SshHosts}. Setters return this for chaining. */
public final class SshHost {
    private final String host;
    private volatile String address;
    private volatile String password;
    private volatile String fingerprint;
    private volatile String keyType = "ED25519";
    private volatile boolean hostKeyKnown = true;
    private volatile boolean unreachable;

    SshHost(String host) {
        this.host = host;
    }

    /** Password authentication only: OpenSSH asks {@code <user>@<address>'s password: } up to 3 times. */
    public SshHost password(String expected) {
        this.password = expected;
        return this;
    }

    /** The host key is not in known_hosts: the first connection asks the host-key question. */
    public SshHost unknownHostKey(String fingerprint) {
        this.fingerprint = fingerprint;
        this.hostKeyKnown = false;
        return this;
    }

    /** Key type in the host-key prompt (default {@code ED25519}). */
    public SshHost keyType(String keyType) {
        this.keyType = keyType;
        return this;
    }

    /** The resolved address OpenSSH prints (prompts show it instead of an alias); default: the host itself. */
    public SshHost address(String address) {
        this.address = address;
        return this;
    }

    /** Connections are refused. */
    public SshHost unreachable(boolean unreachable) {
        this.unreachable = unreachable;
        return this;
    }

    public boolean hostKeyKnown() {
        return hostKeyKnown;
    }

    String host() {
        return host;
    }

    String resolvedAddress() {
        return address != null ? address : host;
    }

    String expectedPassword() {
        return password;
    }

    String fingerprint() {
        return fingerprint;
    }

    String keyTypeName() {
        return keyType;
    }

    boolean isUnreachable() {
        return unreachable;
    }

    void markHostKeyKnown() {
        hostKeyKnown = true;
    }
}
