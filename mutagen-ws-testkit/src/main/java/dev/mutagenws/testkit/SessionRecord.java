package dev.mutagenws.testkit;

import dev.mutagenws.proto.synchronization.EndpointState;
import dev.mutagenws.proto.synchronization.Session;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.core.Change;
import dev.mutagenws.proto.synchronization.core.Conflict;
import dev.mutagenws.proto.synchronization.core.Entry;
import dev.mutagenws.proto.synchronization.core.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One session and its live state. Guarded by the {@link Engine} lock. */
final class SessionRecord {
    static final int LIST_LIMIT = 10;

    Session session;
    final long ordinal;
    Status status = Status.Disconnected;
    String lastError = "";
    long successfulCycles;
    List<Conflict> conflicts = new ArrayList<>();
    final EndpointState.Builder alpha = EndpointState.newBuilder();
    final EndpointState.Builder beta = EndpointState.newBuilder();
    /** True while a run loop holds both endpoints (what makes Flush possible and Resume a no-op). */
    boolean loopConnected;
    boolean removed;

    /** Pending lifecycle steps, one state write each (or a completion marker). */
    final ArrayDeque<LifecycleSteps.Step> steps = new ArrayDeque<>();
    int generation;
    boolean pumpScheduled;
    final List<CompletableFuture<Void>> flushWaiters = new ArrayList<>();

    SessionRecord(Session session, long ordinal) {
        this.session = session;
        this.ordinal = ordinal;
    }

    String id() {
        return session.getIdentifier();
    }

    EndpointState.Builder endpoint(Endpoint e) {
        return e == Endpoint.ALPHA ? alpha : beta;
    }

    /** What a run-loop reset leaves behind (Pause, Terminate, failures). */
    void resetState() {
        status = Status.Disconnected;
        lastError = "";
        successfulCycles = 0;
        conflicts = new ArrayList<>();
        alpha.clear();
        beta.clear();
    }

    /** The List view: deep copy, conflicts and problems sorted and truncated to 10, slim conflict entries. */
    State snapshot() {
        State.Builder b = State.newBuilder()
                .setSession(session)
                .setStatus(status)
                .setLastError(lastError)
                .setSuccessfulCycles(successfulCycles);
        List<Conflict> sorted = new ArrayList<>(conflicts);
        sorted.sort(Comparator.comparing(Conflict::getRoot, PATH_ORDER));
        for (int i = 0; i < Math.min(LIST_LIMIT, sorted.size()); i++) {
            b.addConflicts(slim(sorted.get(i)));
        }
        b.setExcludedConflicts(Math.max(0, sorted.size() - LIST_LIMIT));
        b.setAlphaState(endpointView(alpha));
        b.setBetaState(endpointView(beta));
        return b.build();
    }

    private static EndpointState endpointView(EndpointState.Builder e) {
        EndpointState.Builder v = e.clone();
        List<Problem> scan = sortedProblems(e.getScanProblemsList());
        List<Problem> transition = sortedProblems(e.getTransitionProblemsList());
        v.clearScanProblems().addAllScanProblems(scan.subList(0, Math.min(LIST_LIMIT, scan.size())))
                .setExcludedScanProblems(Math.max(0, scan.size() - LIST_LIMIT));
        v.clearTransitionProblems()
                .addAllTransitionProblems(transition.subList(0, Math.min(LIST_LIMIT, transition.size())))
                .setExcludedTransitionProblems(Math.max(0, transition.size() - LIST_LIMIT));
        return v.build();
    }

    private static List<Problem> sortedProblems(List<Problem> problems) {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing(Problem::getPath, PATH_ORDER));
        return sorted;
    }

    private static Conflict slim(Conflict c) {
        Conflict.Builder b = c.toBuilder().clearAlphaChanges().clearBetaChanges();
        c.getAlphaChangesList().forEach(ch -> b.addAlphaChanges(slim(ch)));
        c.getBetaChangesList().forEach(ch -> b.addBetaChanges(slim(ch)));
        return b.build();
    }

    private static Change slim(Change c) {
        Change.Builder b = c.toBuilder();
        if (c.hasOld()) {
            b.setOld(slim(c.getOld()));
        }
        if (c.hasNew()) {
            b.setNew(slim(c.getNew()));
        }
        return b.build();
    }

    private static Entry slim(Entry e) {
        return e.toBuilder().clearContents().build();
    }

    /** Mutagen's path order: depth-first, comparing '/'-separated components byte-wise ("" = root first). */
    static final Comparator<String> PATH_ORDER = (x, y) -> {
        String[] a = x.split("/", -1);
        String[] b = y.split("/", -1);
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int c = compareBytes(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    };

    private static int compareBytes(String x, String y) {
        byte[] a = x.getBytes(StandardCharsets.UTF_8);
        byte[] b = y.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int c = Integer.compare(a[i] & 0xff, b[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    }
}
