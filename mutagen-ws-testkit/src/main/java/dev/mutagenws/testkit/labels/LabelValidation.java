package dev.mutagenws.testkit.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Label key/value validation as the daemon does it at Create (facts §4.4): keys must be Kubernetes
 * qualified names, values Kubernetes label values (apimachinery v0.21.3 {@code IsQualifiedName} /
 * {@code IsValidLabelValue}); Mutagen joins several failing rules with {@code ", "}.
 */
public final class LabelValidation {
    private LabelValidation() {
    }

    private static final String QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern QNAME = Pattern.compile(QNAME_FMT);
    private static final String QNAME_ERR_MSG = "must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character";
    private static final int QNAME_MAX_LENGTH = 63;

    private static final String LABEL_VALUE_FMT = "(" + QNAME_FMT + ")?";
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
    private static final String LABEL_VALUE_ERR_MSG = "a valid label must be an empty string or consist of "
            + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private static final int LABEL_VALUE_MAX_LENGTH = 63;

    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
    private static final String DNS1123_SUBDOMAIN_ERR_MSG = "a lowercase RFC 1123 subdomain must consist of lower "
            + "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

    /**
     * The daemon's text for the first invalid entry, or {@code null} when all are valid. Go iterates
     * the map in random order; we use sorted key order so results are deterministic.
     */
    public static String labelError(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return null;
        }
        Map<String, String> sorted = new TreeMap<>(GoText.BYTE_ORDER);
        sorted.putAll(labels);
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            List<String> keyErrors = keyErrors(e.getKey());
            if (!keyErrors.isEmpty()) {
                return "invalid label key: " + String.join(", ", keyErrors);
            }
            List<String> valueErrors = valueErrors(e.getValue() == null ? "" : e.getValue());
            if (!valueErrors.isEmpty()) {
                return "invalid label value: " + String.join(", ", valueErrors);
            }
        }
        return null;
    }

    /** k8s {@code IsQualifiedName}: empty list when valid. */
    public static List<String> keyErrors(String key) {
        List<String> errs = new ArrayList<>();
        String[] parts = key.split("/", -1);
        String name;
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                String prefix = parts[0];
                name = parts[1];
                if (prefix.isEmpty()) {
                    errs.add("prefix part " + emptyError());
                } else {
                    for (String msg : dns1123SubdomainErrors(prefix)) {
                        errs.add("prefix part " + msg);
                    }
                }
            }
            default -> {
                errs.add("a qualified name " + regexError(QNAME_ERR_MSG, QNAME_FMT, "MyName", "my.name", "123-abc")
                        + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errs;
            }
        }
        if (name.isEmpty()) {
            errs.add("name part " + emptyError());
        } else if (GoText.utf8Length(name) > QNAME_MAX_LENGTH) {
            errs.add("name part " + maxLenError(QNAME_MAX_LENGTH));
        }
        if (!QNAME.matcher(name).matches()) {
            errs.add("name part " + regexError(QNAME_ERR_MSG, QNAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    /** k8s {@code IsValidLabelValue}: empty list when valid (the empty string is valid). */
    public static List<String> valueErrors(String value) {
        List<String> errs = new ArrayList<>();
        if (GoText.utf8Length(value) > LABEL_VALUE_MAX_LENGTH) {
            errs.add(maxLenError(LABEL_VALUE_MAX_LENGTH));
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errs.add(regexError(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    /** k8s {@code IsDNS1123Subdomain}, used for the prefix part of a key. */
    static List<String> dns1123SubdomainErrors(String value) {
        List<String> errs = new ArrayList<>();
        if (GoText.utf8Length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errs.add(regexError(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    private static String emptyError() {
        return "must be non-empty";
    }

    private static String maxLenError(int length) {
        return "must be no more than " + length + " characters";
    }

    // k8s builds "(e.g. 'a',  or 'b', ...": each example ends with ", " and the separator is " or ",
    // hence the two spaces before each "or".
    private static String regexError(String msg, String fmt, String... examples) {
        if (examples.length == 0) {
            return msg + " (regex used for validation is '" + fmt + "')";
        }
        StringBuilder sb = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                sb.append(" or ");
            }
            sb.append('\'').append(examples[i]).append("', ");
        }
        return sb.append("regex used for validation is '").append(fmt).append("')").toString();
    }
}
