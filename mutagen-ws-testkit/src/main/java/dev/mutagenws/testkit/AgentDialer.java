package dev.mutagenws.testkit;

import dev.mutagenws.proto.synchronization.Configuration;
import dev.mutagenws.proto.url.URL;

/**
 * Endpoint dialing: what connecting one endpoint of a session does (local endpoint construction, the SSH agent
 * dialer with its host-key, password and agent-install exchanges, Docker), reduced to the error text the daemon
 * reports. Holds no session state; callers decide whether to hold the engine's monitor (background reconnects
 * do, RPCs do not, because prompting blocks on clients).
 */
final class AgentDialer {
    private final Prompters prompters;
    private final SshHosts ssh;
    private final DockerContainers docker;

    AgentDialer(Prompters prompters, SshHosts ssh, DockerContainers docker) {
        this.prompters = prompters;
        this.ssh = ssh;
        this.docker = docker;
    }

    /** Dials one endpoint; throws the daemon's "unable to connect to alpha/beta: ..." error on failure. */
    void connect(Endpoint which, URL url, Configuration base, Configuration specific, String prompter)
            throws DaemonError {
        String prefix = "unable to connect to " + (which == Endpoint.ALPHA ? "alpha" : "beta")
                + ": unable to connect to endpoint: ";
        String error = switch (url.getProtocolValue()) {
            case 0 -> localEndpointError(base, specific);
            // Validation lets SSH parameters through; the SSH protocol handler refuses them before dialing.
            case 1 -> url.getParametersCount() > 0 ? "SSH URL contains internal parameters"
                    : remoteEndpointError(sshError(url, prompter), base, specific);
            default -> remoteEndpointError(docker.dialError(url, () -> agentMessageError(prompter)), base, specific);
        };
        if (error != null) {
            throw new DaemonError(prefix + error);
        }
    }

    /** Local endpoint construction: ignorer, then ownership (see {@link LocalEndpoint}). */
    private static String localEndpointError(Configuration base, Configuration specific) {
        return LocalEndpoint.creationError(base, specific);
    }

    /** After a successful dial the agent builds the endpoint on its side, which can still refuse the ignores. */
    private static String remoteEndpointError(String dialError, Configuration base, Configuration specific) {
        return dialError != null ? dialError : LocalEndpoint.remoteInitializationError(base, specific);
    }

    private static final String DIAL = "unable to dial agent endpoint: ";
    private static final String INSTALL = DIAL + "unable to install agent: ";
    private static final String HANDSHAKE = DIAL + "unable to handshake with agent process: "
            + "unable to receive server magic number: EOF (error output: ";

    private String agentMessageError(String prompter) {
        return dialMessage(prompter, "Connecting to agent (POSIX)...", DIAL);
    }

    /** A message sent while dialing an agent: unlike session-level messages, its failure is fatal. */
    private String dialMessage(String prompter, String text, String prefix) {
        try {
            prompters.message(prompter, text);
            return null;
        } catch (PromptError e) {
            return prefix + "unable to message prompter: " + e.getMessage();
        }
    }

    /**
     * The agent dialer over SSH: one ssh process that runs the agent; when the agent is missing, the install path
     * (probe, extract, copy with scp, install) and a second connection attempt. Every ssh/scp process
     * authenticates on its own, so password hosts prompt once per process; the host key is asked only once.
     */
    private String sshError(URL url, String prompter) {
        String e = agentMessageError(prompter);
        if (e != null) {
            return e;
        }
        SshHost host = ssh.lookup(url.getHost());
        if (host == null) {
            return null;
        }
        int port = url.getPort() == 0 ? 22 : url.getPort();
        if (host.isUnreachable()) {
            return HANDSHAKE + "ssh: connect to host " + host.resolvedAddress() + " port " + port
                    + ": Connection refused)";
        }
        String failure = sshProcess(host, url, prompter);
        if (failure != null) {
            return HANDSHAKE + failure + ")";
        }
        if (host.agentInstalled()) {
            return null;
        }
        // The remote shell reports "command not found": the dialer installs the agent, then connects again.
        e = installAgent(host, url, prompter);
        if (e != null) {
            return e;
        }
        host.markAgentInstalled();
        e = agentMessageError(prompter);
        if (e != null) {
            return e;
        }
        failure = sshProcess(host, url, prompter);
        return failure == null ? null : HANDSHAKE + failure + ")";
    }

    /**
     * Mutagen's install step. Texts not in the captures (failures after the first ssh process) follow the
     * v0.18 dialer's error wrapping: probe output is discarded ("exhausted probing methods" after the POSIX and
     * the Windows probe), scp failures carry ssh's error output, a failed install command its exit status.
     */
    private String installAgent(SshHost host, URL url, String prompter) {
        String probe = INSTALL + "unable to probe remote platform: ";
        String e = dialMessage(prompter, "Probing endpoint (POSIX)...", probe);
        if (e != null) {
            return e;
        }
        if (sshProcess(host, url, prompter) != null) { // uname -s -m
            e = dialMessage(prompter, "Probing endpoint (Windows)...", probe);
            if (e != null) {
                return e;
            }
            sshProcess(host, url, prompter); // cmd /c set: even if it runs, a POSIX remote is no Windows one
            return probe + "exhausted probing methods";
        }
        e = dialMessage(prompter, "Extracting agent...", INSTALL);
        if (e == null) {
            e = dialMessage(prompter, "Copying agent...", INSTALL);
        }
        if (e != null) {
            return e;
        }
        String failure = sshProcess(host, url, prompter); // scp
        if (failure != null) {
            return INSTALL + "unable to copy agent binary: unable to run SCP process: " + failure;
        }
        e = dialMessage(prompter, "Installing agent...", INSTALL);
        if (e != null) {
            return e;
        }
        if (sshProcess(host, url, prompter) != null) { // ./.mutagen-agent<uuid> install
            return INSTALL + "unable to invoke agent installation: exit status 255";
        }
        return null;
    }

    /**
     * One OpenSSH client process getting to the point of running its command: the host-key question (only while
     * the key is unknown), then up to 3 password questions. Null when authenticated, else ssh's error output.
     */
    private String sshProcess(SshHost host, URL url, String prompter) {
        if (!host.hostKeyKnown()) {
            if (!confirmHostKey(host, url, prompter)) {
                return "Host key verification failed.";
            }
            host.markHostKeyKnown();
        }
        String password = host.expectedPassword();
        if (password == null) {
            return null;
        }
        String login = sshUser(url) + "@" + host.resolvedAddress();
        for (int attempt = 0; attempt < 3; attempt++) { // OpenSSH's NumberOfPasswordPrompts
            String answer = promptOrNull(prompter, login + "'s password: ");
            if (password.equals(answer)) {
                return null;
            }
        }
        // Mutagen neutralizes control characters: "\r" arrives as backslash + r.
        return "Permission denied, please try again.\\r\nPermission denied, please try again.\\r\n"
                + login + ": Permission denied (publickey,password).";
    }

    /** OpenSSH with no user in the destination logs in as the local user. */
    private static String sshUser(URL url) {
        return url.getUser().isEmpty() ? System.getProperty("user.name") : url.getUser();
    }

    /**
     * OpenSSH's confirmation loop: "yes" (any case) or the exact fingerprint accepts; "no" (any case), an empty
     * answer or no answer at all rejects; anything else is asked again with the short re-prompt.
     */
    private boolean confirmHostKey(SshHost host, URL url, String prompter) {
        int port = url.getPort() == 0 ? 22 : url.getPort();
        String name = port == 22 ? url.getHost() + " (" + host.resolvedAddress() + ")"
                : "[" + url.getHost() + "]:" + port + " ([" + host.resolvedAddress() + "]:" + port + ")";
        String text = "The authenticity of host '" + name + "' can't be established.\n"
                + host.keyTypeName() + " key fingerprint is " + host.fingerprint() + ".\n"
                + "This key is not known by any other names.\n"
                + "Are you sure you want to continue connecting (yes/no/[fingerprint])? ";
        while (true) {
            String answer = promptOrNull(prompter, text);
            if (answer == null) {
                return false;
            }
            int newline = answer.indexOf('\n');
            if (newline >= 0) {
                answer = answer.substring(0, newline);
            }
            if (answer.isEmpty() || answer.equalsIgnoreCase("no")) {
                return false;
            }
            if (answer.equalsIgnoreCase("yes") || answer.equals(host.fingerprint())) {
                return true;
            }
            text = "Please type 'yes', 'no' or the fingerprint: ";
        }
    }

    /** The askpass helper's view: a failed prompt gives ssh nothing usable. */
    private String promptOrNull(String prompter, String text) {
        try {
            return prompters.prompt(prompter, text);
        } catch (PromptError e) {
            return null;
        }
    }
}
