package dev.mutagenws.internal.actions;

import dev.mutagenws.daemon.SessionSelection;
import java.util.Objects;

/**
 * A live-state subscription, over any transport (WebSocket {@code subscribe}, SSE, NDJSON): the selection,
 * where to resume, and whether change events are wanted.
 */
public record Subscribe(SessionSelection selection, ResumePoint resume, boolean events) {
    public Subscribe {
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(resume, "resume");
    }
}
