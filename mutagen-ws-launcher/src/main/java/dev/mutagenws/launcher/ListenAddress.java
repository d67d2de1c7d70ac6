package dev.mutagenws.launcher;

import dev.mutagenws.internal.server.security.HostNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import picocli.CommandLine;

/** {@code HOST:PORT} as the reference server takes it ({@code :8081} means every interface), immutable. */
final class ListenAddress {
    private final String host;
    private final int port;

    private ListenAddress(String host, int port) {
        this.host = host;
        this.port = port;
    }

    static ListenAddress parse(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected HOST:PORT, e.g. 127.0.0.1:8081, got \"" + text + "\"");
        }
        String host = t.substring(0, colon);
        String portText = t.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("put an IPv6 address in brackets, e.g. [::1]:8081, got \"" + text + "\"");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected HOST:PORT with a numeric port, got \"" + text + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the port must be between 0 and 65535, got " + port);
        }
        if (!host.isEmpty() && HostNames.hostOf(host.contains(":") ? "[" + host + "]" : host) == null) {
            throw new IllegalArgumentException("\"" + host + "\" is not a host name or address");
        }
        return new ListenAddress(host.isEmpty() ? "0.0.0.0" : host, port);
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    boolean isWildcard() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** Whether only this machine can connect; resolves names (called from main, never on an event loop). */
    boolean isLoopback() {
        if (isWildcard()) {
            return false;
        }
        if (HostNames.isLoopback(HostNames.hostOf(host.contains(":") ? "[" + host + "]" : host))) {
            return true;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    /** The host as it goes into a URL: a wildcard becomes 127.0.0.1, IPv6 gets brackets. */
    String urlHost() {
        if (isWildcard()) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** picocli: a bad value becomes "Invalid value for option '--listen': ...", exit code 2. */
    static final class Converter implements CommandLine.ITypeConverter<ListenAddress> {
        @Override
        public ListenAddress convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
