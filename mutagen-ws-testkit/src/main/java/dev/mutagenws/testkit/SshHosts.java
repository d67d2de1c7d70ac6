package dev.mutagenws.testkit;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Scripted behaviour of SSH hosts, keyed by the URL's host. An unscripted host behaves like key authentication
 * with a known host key and an installed agent: it connects at once after {@code Connecting to agent (POSIX)...}.
 */
public final class SshHosts {
    private final ConcurrentHashMap<String, SshHost> hosts = new ConcurrentHashMap<>();

    SshHosts() {
    }

    /** The script for {@code host} (created on first use). */
    public SshHost host(String host) {
        return hosts.computeIfAbsent(host, SshHost::new);
    }

    SshHost lookup(String host) {
        return hosts.get(host);
    }

    /** Forgets every script. */
    public void clear() {
        hosts.clear();
    }
}
