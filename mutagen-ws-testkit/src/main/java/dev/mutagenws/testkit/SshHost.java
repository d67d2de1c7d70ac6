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
    private volatile boolean agentInstalled = true;

    SshHost(String host) {
        this.host = host;
    }

    /**
     * Password authentication only: OpenSSH asks {@code <user>@<address>'s password: } up to 3 times per ssh/scp
     * process. {@code <user>} is the URL's user, or the local user name ({@code user.name}) when the URL has none.
     */
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

    /**
     * Whether the Mutagen agent is already installed on the remote (default true). With {@code false} the first
     * connection takes the real daemon's install path: {@code Probing endpoint (POSIX)...}, {@code Extracting
     * agent...}, {@code Copying agent...} (scp), {@code Installing agent...} (ssh), then {@code Connecting to agent
     * (POSIX)...} again; each ssh/scp process authenticates on its own (one password prompt each, up to 3 on wrong
     * answers). After a successful install the host counts as installed, like the real remote.
     */
    public SshHost agentInstalled(boolean installed) {
        this.agentInstalled = installed;
        return this;
    }

    /** Whether the agent is installed now: as scripted, or true after a successful install by the fake. */
    public boolean agentInstalled() {
        return agentInstalled;
    }

    /**
     * Whether the host key is known now: false after {@link #unknownHostKey(String)} until a connection's host-key
     * question was answered yes.
     */
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

    void markAgentInstalled() {
        agentInstalled = true;
    }
}
