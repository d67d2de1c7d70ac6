package dev.mutagenws.daemon;

import dev.mutagenws.proto.selection.Selection;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Which sessions an operation applies to: all of them, those whose identifier or name equals one
 * of the specifications, or those matching a Kubernetes-style label selector. Immutable.
 */
public final class SessionSelection {
    private static final SessionSelection ALL = new SessionSelection(true, List.of(), "");

    private final boolean all;
    private final List<String> specifications;
    private final String labelSelector;

    private SessionSelection(boolean all, List<String> specifications, String labelSelector) {
        this.all = all;
        this.specifications = specifications;
        this.labelSelector = labelSelector;
    }

    /** Every session the daemon has. Never fails for want of sessions: with none, a list is simply empty. */
    public static SessionSelection all() {
        return ALL;
    }

    /**
     * Sessions whose identifier or name equals one of these; each must match at least one session, else the daemon
     * fails the call ({@link DaemonOperationException}).
     *
     * @throws IllegalArgumentException when no specification is given or one is empty
     */
    public static SessionSelection of(String... specifications) {
        return of(List.of(specifications));
    }

    /**
     * Sessions whose identifier or name equals one of these; each must match at least one session, else the daemon
     * fails the call ({@link DaemonOperationException}). The collection is copied.
     *
     * @throws IllegalArgumentException when the collection is empty or one specification is empty
     * @throws NullPointerException when the collection or one of its elements is null
     */
    public static SessionSelection of(Collection<String> specifications) {
        List<String> copy = List.copyOf(specifications);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a selection needs at least one session identifier or name");
        }
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).isEmpty()) {
                throw new IllegalArgumentException("session identifier or name " + i + " is empty");
            }
        }
        return new SessionSelection(false, copy, "");
    }

    /**
     * Sessions matching a label selector such as {@code env=prod,tier in (web,api)}; may match none. The syntax is
     * checked by the daemon: a malformed selector fails the call with its {@code unable to parse label selector} text
     * ({@link DaemonOperationException}).
     *
     * @throws IllegalArgumentException when the selector is blank (use {@link #all()} to select everything)
     */
    public static SessionSelection labels(String labelSelector) {
        Objects.requireNonNull(labelSelector, "labelSelector");
        if (labelSelector.isBlank()) {
            throw new IllegalArgumentException("the label selector is empty");
        }
        return new SessionSelection(false, List.of(), labelSelector);
    }

    /** True for {@link #all()}; {@link #specifications()} and {@link #labelSelector()} are then empty. */
    public boolean isAll() {
        return all;
    }

    /**
     * The identifiers or names given to {@code of}, in their order (duplicates kept); empty for the other kinds of
     * selection. Unmodifiable.
     */
    public List<String> specifications() {
        return specifications;
    }

    /**
     * The selector text given to {@link #labels(String)}, as given; empty (never null) for the other kinds of
     * selection.
     */
    public String labelSelector() {
        return labelSelector;
    }

    /**
     * This selection as the daemon's {@code selection.Selection} message, for callers that talk to the daemon's gRPC
     * API directly.
     */
    public Selection toProto() {
        return Selection.newBuilder().setAll(all).addAllSpecifications(specifications)
                .setLabelSelector(labelSelector).build();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SessionSelection)) {
            return false;
        }
        SessionSelection other = (SessionSelection) o;
        return all == other.all && specifications.equals(other.specifications)
                && labelSelector.equals(other.labelSelector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(all, specifications, labelSelector);
    }

    @Override
    public String toString() {
        if (all) {
            return "all";
        }
        return specifications.isEmpty() ? "labels(" + labelSelector + ")" : "sessions" + specifications;
    }
}
