package conformance.internal;

import java.util.Locale;

/**
 * The outcome of one conformance case: its IGT-style name, pass/fail/skip, the reason of a
 * failure or skip, and the wall time the case took (the report's figure, not a pass criterion).
 */
public record CaseResult(String name, Outcome outcome, String reason, long wallNanos) {

    public enum Outcome { PASS, FAIL, SKIP }

    public boolean passed() {
        return outcome == Outcome.PASS;
    }

    public boolean failed() {
        return outcome == Outcome.FAIL;
    }

    /** The report line: {@code ok   name  0.4 ms}, {@code FAIL name: reason}, {@code skip name: reason}. */
    public String line() {
        return switch (outcome) {
            case PASS -> String.format(Locale.ROOT, "ok   %s  %.1f ms", name, wallNanos / 1e6);
            case FAIL -> "FAIL " + name + ": " + reason;
            case SKIP -> "skip " + name + ": " + reason;
        };
    }
}
