package dev.mutagenws.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition in tests (never in production code). */
public final class Await {
    public static final Duration WAIT = Duration.ofSeconds(10);

    private Await() {
    }

    /** True as soon as the condition holds; false if it still does not after {@link #WAIT}. */
    public static boolean until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
