package dev.mutagenws.testkit.labels;

/**
 * A label selector that Kubernetes (apimachinery v0.21.3) would reject. {@link #getMessage()} is
 * the exact k8s text, i.e. what the daemon puts after {@code "unable to parse label selector: "}.
 */
public final class LabelSelectorException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A rejection with the exact k8s error text. */
    public LabelSelectorException(String message) {
        super(message);
    }
}
