package dev.mutagenws.bench;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with right-aligned columns (the first column left-aligned). */
final class Table {
    private final String title;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Table(String title, String... header) {
        this.title = title;
        rows.add(header);
    }

    Table row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    Table note(String note) {
        notes.add(note);
        return this;
    }

    @Override
    public String toString() {
        int cols = 0;
        for (String[] r : rows) {
            cols = Math.max(cols, r.length);
        }
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("== ").append(title).append(" ==\n");
        for (int ri = 0; ri < rows.size(); ri++) {
            String[] r = rows.get(ri);
            for (int i = 0; i < r.length; i++) {
                String cell = r[i];
                String pad = " ".repeat(width[i] - cell.length());
                b.append(i == 0 ? cell + pad : pad + cell);
                b.append(i + 1 < r.length ? "  " : "");
            }
            b.append('\n');
            if (ri == 0) {
                int total = 0;
                for (int w : width) {
                    total += w + 2;
                }
                b.append("-".repeat(Math.max(0, total - 2))).append('\n');
            }
        }
        for (String n : notes) {
            b.append("  * ").append(n).append('\n');
        }
        return b.toString();
    }

    static String ms(double micros) {
        return String.format("%.3f", micros / 1000.0);
    }

    static String ratio(double r) {
        return String.format("%.2fx", r);
    }

    static String mib(long bytes) {
        return String.format("%.1f", bytes / (1024.0 * 1024.0));
    }
}
