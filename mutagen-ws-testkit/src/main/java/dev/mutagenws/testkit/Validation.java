package dev.mutagenws.testkit;

import dev.mutagenws.proto.selection.Selection;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.synchronization.Configuration;
import dev.mutagenws.proto.url.URL;
import dev.mutagenws.testkit.labels.LabelValidation;
import dev.mutagenws.testkit.labels.NameValidation;
import java.util.Set;
import java.util.regex.Pattern;

/** Request validation with the exact texts and check order of Mutagen v0.18.1 (facts §4.2-4.6). */
final class Validation {
    private Validation() {
    }

    /** Reason after {@code invalid selection specification: }, or null when valid. */
    static String selectionError(boolean present, Selection s) {
        if (!present) {
            return "nil selection";
        }
        int mechanisms = (s.getAll() ? 1 : 0) + (s.getSpecificationsCount() > 0 ? 1 : 0)
                + (s.getLabelSelector().isEmpty() ? 0 : 1);
        if (mechanisms > 1) {
            return "multiple selection mechanisms present";
        }
        if (mechanisms == 0) {
            return "no selection mechanisms present";
        }
        for (String spec : s.getSpecificationsList()) {
            if (spec.isEmpty()) {
                return "empty specification";
            }
        }
        return null;
    }

    /** Reason after {@code invalid creation specification: }, or null when valid. */
    static String creationError(boolean present, CreationSpecification s) {
        if (!present) {
            return "nil creation specification";
        }
        String e = urlError(s.hasAlpha(), s.getAlpha());
        if (e != null) {
            return "invalid alpha URL: " + e;
        }
        if (s.getAlpha().getKindValue() != 0) {
            return "alpha URL is not a synchronization URL";
        }
        e = urlError(s.hasBeta(), s.getBeta());
        if (e != null) {
            return "invalid beta URL: " + e;
        }
        if (s.getBeta().getKindValue() != 0) {
            return "beta URL is not a synchronization URL";
        }
        e = configurationError(s.hasConfiguration(), s.getConfiguration(), false);
        if (e != null) {
            return "invalid session configuration: " + e;
        }
        e = configurationError(s.hasConfigurationAlpha(), s.getConfigurationAlpha(), true);
        if (e != null) {
            return "invalid alpha-specific configuration: " + e;
        }
        e = configurationError(s.hasConfigurationBeta(), s.getConfigurationBeta(), true);
        if (e != null) {
            return "invalid beta-specific configuration: " + e;
        }
        e = NameValidation.nameError(s.getName());
        if (e != null) {
            return "invalid name: " + e;
        }
        return LabelValidation.labelError(s.getLabelsMap());
    }

    private static final Set<String> FORWARDING_PROTOCOLS = Set.of("tcp", "tcp4", "tcp6", "unix", "npipe");
    private static final Pattern WINDOWS_PATH = Pattern.compile("^[a-zA-Z]:[\\\\/].*");

    static String urlError(boolean present, URL u) {
        if (!present) {
            return "nil URL";
        }
        int kind = u.getKindValue();
        if (kind != 0 && kind != 1) {
            return "unsupported URL kind";
        }
        switch (u.getProtocolValue()) {
            case 0 -> {
                if (!u.getUser().isEmpty()) {
                    return "local URL with non-empty username";
                }
                if (!u.getHost().isEmpty()) {
                    return "local URL with non-empty hostname";
                }
                if (u.getPort() != 0) {
                    return "local URL with non-zero port";
                }
                if (u.getEnvironmentCount() > 0) {
                    return "local URL with environment variables";
                }
                if (u.getParametersCount() > 0) {
                    return "local URL with parameters";
                }
            }
            case 1 -> {
                if (u.getHost().isEmpty()) {
                    return "SSH URL with empty hostname";
                }
                if (Integer.toUnsignedLong(u.getPort()) > 65535) {
                    return "SSH URL with invalid port";
                }
                if (u.getEnvironmentCount() > 0) {
                    return "SSH URL with environment variables";
                }
            }
            case 11 -> {
                if (u.getHost().isEmpty()) {
                    return "Docker URL with empty container identifier";
                }
                if (u.getPort() != 0) {
                    return "Docker URL with non-zero port";
                }
            }
            default -> {
                return "unknown or unsupported protocol";
            }
        }
        String path = u.getPath();
        if (kind == 0) {
            if (path.isEmpty()) {
                return "empty path";
            }
            // The real daemon checks absoluteness in its own (here: a POSIX) process.
            if (u.getProtocolValue() == 0 && !path.startsWith("/")) {
                return "local URL with relative path";
            }
            if (u.getProtocolValue() == 11 && !path.startsWith("/") && !path.startsWith("~")
                    && !WINDOWS_PATH.matcher(path).matches()) {
                return "incorrect first path character";
            }
            return null;
        }
        if (path.isEmpty()) {
            return "invalid forwarding endpoint URL: empty URL";
        }
        int colon = path.indexOf(':');
        if (colon < 0) {
            return "invalid forwarding endpoint URL: incorrectly formatted URL";
        }
        String protocol = path.substring(0, colon);
        String address = path.substring(colon + 1);
        if (!FORWARDING_PROTOCOLS.contains(protocol)) {
            return "invalid forwarding endpoint URL: invalid protocol: " + protocol;
        }
        if (address.isEmpty()) {
            return "invalid forwarding endpoint URL: empty address";
        }
        if (u.getProtocolValue() == 0 && protocol.equals("unix") && !address.startsWith("/")) {
            return "local Unix domain socket URL with relative path";
        }
        return null;
    }

    /** Rules of §4.6 in table order; {@code endpoint} selects the endpoint-specific variant. */
    static String configurationError(boolean present, Configuration c, boolean endpoint) {
        if (!present) {
            return "nil configuration";
        }
        if (endpoint && c.getSynchronizationModeValue() != 0) {
            return "synchronization mode cannot be specified on an endpoint-specific basis";
        } else if (!inRange(c.getSynchronizationModeValue(), 4)) {
            return "unknown or unsupported synchronization mode";
        }
        if (endpoint && c.getHashingAlgorithmValue() != 0) {
            return "hashing algorithm cannot be specified on an endpoint-specific basis";
        } else if (!inRange(c.getHashingAlgorithmValue(), 2)) {
            // XXH128 (3) exists only in builds with the mutagensspl tag.
            return "unknown or unsupported hashing algorithm";
        }
        if (!inRange(c.getProbeModeValue(), 2)) {
            return "unknown or unsupported probe mode";
        }
        if (!inRange(c.getScanModeValue(), 2)) {
            return "unknown or unsupported scan mode";
        }
        if (!inRange(c.getStageModeValue(), 3)) {
            return "unknown or unsupported staging mode";
        }
        if (endpoint && c.getSymbolicLinkModeValue() != 0) {
            return "symbolic link mode cannot be specified on an endpoint-specific basis";
        } else if (!inRange(c.getSymbolicLinkModeValue(), 3)) {
            return "unknown or unsupported symbolic link mode";
        }
        if (!inRange(c.getWatchModeValue(), 3)) {
            return "unknown or unsupported watch mode";
        }
        if (endpoint && c.getIgnoreSyntaxValue() != 0) {
            return "ignore syntax cannot be specified on an endpoint-specific basis";
        } else if (!inRange(c.getIgnoreSyntaxValue(), 2)) {
            return "unknown or unsupported ignore syntax";
        }
        if (endpoint && c.getDefaultIgnoresCount() > 0) {
            return "default ignores cannot be specified on an endpoint-specific basis (and are deprecated)";
        }
        if (endpoint && c.getIgnoresCount() > 0) {
            return "ignores cannot be specified on an endpoint-specific basis";
        }
        if (endpoint && c.getIgnoreVCSModeValue() != 0) {
            return "VCS ignore mode cannot be specified on an endpoint-specific basis";
        } else if (!inRange(c.getIgnoreVCSModeValue(), 2)) {
            return "unknown or unsupported VCS ignore mode";
        }
        if (endpoint && c.getPermissionsModeValue() != 0) {
            return "permissions mode cannot be specified on an endpoint-specific basis";
        } else if (!inRange(c.getPermissionsModeValue(), 2)) {
            return "unknown or unsupported permissions mode";
        }
        int fileMode = c.getDefaultFileMode();
        if (fileMode != 0) {
            if ((fileMode & ~0777) != 0) {
                return "invalid default file permission mode specified: non-permission bits detected in file mode";
            }
            // Portable is the effective default; endpoint configs are checked with mode "default" (no exec check).
            boolean portable = c.getPermissionsModeValue() == 0 || c.getPermissionsModeValue() == 1;
            if (!endpoint && portable && (fileMode & 0111) != 0) {
                return "invalid default file permission mode specified: "
                        + "executability bits detected in file mode in portable permissions propagation mode";
            }
        }
        int dirMode = c.getDefaultDirectoryMode();
        if (dirMode != 0 && (dirMode & ~0777) != 0) {
            return "invalid default directory permission mode specified: non-permission bits detected in directory mode";
        }
        if (!c.getDefaultOwner().isEmpty() && !validOwner(c.getDefaultOwner())) {
            return "invalid default owner specification";
        }
        if (!c.getDefaultGroup().isEmpty() && !validOwner(c.getDefaultGroup())) {
            return "invalid default group specification";
        }
        if (!inRange(c.getCompressionAlgorithmValue(), 2)) {
            // Zstandard (3) exists only in builds with the mutagensspl tag.
            return "unknown or unsupported compression algorithm";
        }
        return null;
    }

    private static boolean inRange(int value, int max) {
        return value >= 0 && value <= max;
    }

    private static final Pattern NUMERIC_ID = Pattern.compile("0|[1-9][0-9]*");

    private static boolean validOwner(String spec) {
        if (spec.startsWith("id:")) {
            return NUMERIC_ID.matcher(spec.substring(3)).matches();
        }
        if (spec.startsWith("sid:")) {
            return spec.length() > 4;
        }
        return true;
    }

    /** The key used for per-selection List counters: {@code all}, the label selector, or the comma-joined specs. */
    static String selectionText(Selection s) {
        if (s.getAll()) {
            return "all";
        }
        if (!s.getLabelSelector().isEmpty()) {
            return s.getLabelSelector();
        }
        return String.join(",", s.getSpecificationsList());
    }
}
