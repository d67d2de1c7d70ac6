package dev.mutagenws.testkit;

import dev.mutagenws.proto.url.URL;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Docker as the fake's Docker transport sees it, keyed by container name (the URL's host). With no container
 * scripted there is no reachable Docker daemon: every docker endpoint fails probing the way Mutagen v0.18.1 reports
 * docker's "Cannot connect to the Docker daemon at …" (once per probing hypothesis, POSIX then Windows). Once a
 * container is scripted the daemon counts as reachable: scripted running containers connect at once after
 * {@code Connecting to agent (POSIX)...} (agent installed), stopped ones fail with {@code container not running}
 * and unscripted names with {@code container does not exist}.
 */
public final class DockerContainers {
    private final ConcurrentHashMap<String, DockerContainer> containers = new ConcurrentHashMap<>();

    DockerContainers() {
    }

    /** The script for {@code name} (created on first use, running). */
    public DockerContainer container(String name) {
        return containers.computeIfAbsent(name, DockerContainer::new);
    }

    /** Forgets every script (Docker is unreachable again). */
    public void clear() {
        containers.clear();
    }

    private static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    /**
     * The Docker protocol handler up to a dialed agent ({@code pkg/synchronization/protocols/docker/protocol.go},
     * {@code pkg/agent/transport/docker/transport.go}, {@code pkg/agent/dial.go}): URL parameters become daemon
     * flags, the dialer messages the prompter, then creating the agent command probes the container. Null when
     * the agent is reached; {@code connecting} sends the dialer's message and returns its (fatal) error text.
     */
    String dialError(URL url, Supplier<String> connecting) {
        String e = flagsError(new TreeMap<>(url.getParametersMap())); // Go visits the map in random order
        if (e != null) {
            return "unable to create Docker transport: unable to compute Docker daemon connection flags: " + e;
        }
        e = connecting.get();
        if (e != null) {
            return e;
        }
        e = probeError(url);
        return e == null ? null : "unable to dial agent endpoint: unable to create agent command: "
                + "unable to probe container: " + e;
    }

    /** {@code docker.LoadDaemonConnectionFlagsFromURLParameters} (pkg/docker/flags.go). */
    private static String flagsError(Map<String, String> parameters) {
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "context", "host", "tlscert", "tlskey" -> {
                    if (value.isEmpty()) {
                        return p.getKey() + " parameter has empty value";
                    }
                }
                case "tlscacert" -> {
                    if (value.isEmpty()) {
                        return "tlacacert parameter has empty value"; // sic
                    }
                }
                case "tls", "tlsverify" -> {
                    if (!value.isEmpty()) {
                        return p.getKey() + " parameter has non-empty value";
                    }
                }
                default -> {
                    return "unknown parameter: " + p.getKey();
                }
            }
        }
        return null;
    }

    /** probeContainer: {@code docker exec … env} (POSIX hypothesis), then {@code cmd /c set} (Windows). */
    private String probeError(URL url) {
        if (containers.isEmpty()) {
            // docker's own stderr, trimmed, for both hypotheses; the --host flag wins over DOCKER_HOST.
            String host = url.getParametersOrDefault("host", url.getEnvironmentOrDefault("DOCKER_HOST", DEFAULT_HOST));
            String output = "Cannot connect to the Docker daemon at " + host + ". Is the docker daemon running?";
            return "container probing failed under POSIX hypothesis (" + output + ") and Windows hypothesis ("
                    + output + ")";
        }
        DockerContainer c = containers.get(url.getHost());
        if (c == null) {
            return "container does not exist"; // "Error response from daemon: No such container: …"
        }
        if (!c.running()) {
            return "container not running"; // "… is not running"
        }
        return null;
    }
}
