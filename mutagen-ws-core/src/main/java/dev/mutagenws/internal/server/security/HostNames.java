package dev.mutagenws.internal.server.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Host header parsing and loopback recognition, without any name resolution (this runs on event loops). */
public final class HostNames {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");

    private HostNames() {
    }

    /**
     * The host part of a {@code Host} header or {@code host:port} text, lower case, without brackets and trailing
     * dot; null when it is not a well-formed host.
     */
    public static String hostOf(String hostAndPort) {
        if (hostAndPort == null) {
            return null;
        }
        String h = hostAndPort.strip().toLowerCase(Locale.ROOT);
        String host;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0 || !(end == h.length() - 1 || h.charAt(end + 1) == ':')) {
                return null;
            }
            host = h.substring(1, end);
            if (!host.contains(":") || parseLiteral(host) == null) {
                return null;
            }
            return host;
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && h.indexOf(':', colon + 1) >= 0) {
            // A bare IPv6 literal (not valid in Host, but accepted in allow lists).
            return parseLiteral(h) == null ? null : h;
        }
        host = colon < 0 ? h : h.substring(0, colon);
        if (colon >= 0 && !h.substring(colon + 1).matches("\\d{1,5}")) {
            return null;
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || !NAME.matcher(host).matches()) {
            return null;
        }
        return host;
    }

    /** Whether a host (as returned by {@link #hostOf}) is {@code localhost}, a {@code *.localhost} name or a loopback address. */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        InetAddress literal = parseLiteral(host);
        return literal != null && literal.isLoopbackAddress();
    }

    /** An IP literal, parsed without DNS; null for names and malformed literals. */
    static InetAddress parseLiteral(String host) {
        try {
            if (IPV4.matcher(host).matches()) {
                String[] parts = host.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(parts[i]);
                    if (octet > 255) {
                        return null;
                    }
                    bytes[i] = (byte) octet;
                }
                return InetAddress.getByAddress(bytes);
            }
            if (host.contains(":") && host.matches("[0-9a-f:.]+")) {
                // Bracketed, so the JDK parses it as an IPv6 literal or fails; it never resolves a name.
                return InetAddress.getByName("[" + host + "]");
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    public static String validateAllowed(String host) {
        String h = hostOf(host);
        if (h == null) {
            throw new IllegalArgumentException("expected a host name or address, got \"" + host + "\"");
        }
        return h;
    }
}
