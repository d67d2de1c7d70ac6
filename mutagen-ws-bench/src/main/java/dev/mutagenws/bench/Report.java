package dev.mutagenws.bench;

import java.util.ArrayList;
import java.util.List;

/** What one benchmark found: tables for people, target checks for the summary. */
final class Report {
    final String name;
    final List<Table> tables = new ArrayList<>();
    final List<String> checks = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    boolean failed;

    Report(String name) {
        this.name = name;
    }

    Report table(Table t) {
        tables.add(t);
        return this;
    }

    /** A target: {@code PASS}/{@code MISS} with the figure and by how much it was missed. */
    void target(String what, boolean met, String detail) {
        checks.add((met ? "PASS " : "MISS ") + what + ": " + detail);
    }

    /** The benchmark could not run (or found a correctness problem). */
    void fail(String problem) {
        failed = true;
        problems.add(problem);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Table t : tables) {
            b.append(t).append('\n');
        }
        for (String c : checks) {
            b.append("  target ").append(c).append('\n');
        }
        for (String p : problems) {
            b.append("  FAILED ").append(p).append('\n');
        }
        return b.toString();
    }
}
