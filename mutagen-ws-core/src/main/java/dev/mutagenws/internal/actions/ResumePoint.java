package dev.mutagenws.internal.actions;

import dev.mutagenws.internal.protocol.ProtocolException;
import dev.mutagenws.internal.state.Epochs;

/**
 * Where a live-state client resumes, on every transport: the last state index it got (0 for none) and, when it
 * has it, the epoch (daemon run) that index belongs to (null when it gave none). Streams write it
 * {@code N@EPOCH} (the SSE {@code id:}), so that {@code Last-Event-ID} brings both back; a bare {@code N} lets
 * the index alone decide.
 */
public record ResumePoint(long index, String epoch) {
    public static final ResumePoint NONE = new ResumePoint(0, null);

    /**
     * An index and an epoch given apart (a subscribe's {@code data}); {@code shownEpoch} is how the epoch
     * appeared in the input, for the error message.
     */
    public static ResumePoint of(long index, String epoch, String shownEpoch, String epochWhere, String indexWhere) {
        if (epoch == null) {
            return new ResumePoint(index, null);
        }
        if (!Epochs.isWellFormed(epoch)) {
            throw badEpoch(epochWhere, shownEpoch);
        }
        if (index == 0) {
            throw ProtocolException.invalid(epochWhere + ": only meaningful together with " + indexWhere);
        }
        return new ResumePoint(index, epoch);
    }

    /** {@code N} or {@code N@EPOCH} from a header or the query, plus an optional {@code ?epoch=} that must agree. */
    public static ResumePoint parse(String text, String epochParam, String where) {
        String indexText = text;
        String epoch = null;
        int at = text == null ? -1 : text.indexOf('@');
        if (at >= 0) {
            indexText = text.substring(0, at);
            epoch = text.substring(at + 1);
            if (!Epochs.isWellFormed(epoch)) {
                throw badEpoch(where, "\"" + epoch + "\"");
            }
        }
        if (epochParam != null) {
            if (epoch != null && !epoch.equals(epochParam)) {
                throw ProtocolException.invalid("query.epoch: \"" + epochParam + "\" differs from the epoch in " + where);
            }
            epoch = epochParam;
        }
        return of(index(indexText, where), epoch, "\"" + epoch + "\"", "query.epoch", where);
    }

    /** A state index (a uint64) written as text, 0 when null; {@code where} names it in the error. */
    public static long index(String text, String where) {
        if (text == null) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw ProtocolException.invalid(where + ": expected a non-negative integer, got \"" + text + "\"");
        }
    }

    private static ProtocolException badEpoch(String where, String shown) {
        return ProtocolException.invalid(where + ": expected the epoch of a state (a string such as \"k3x9a1qz-1\"),"
                + " got " + shown);
    }
}
