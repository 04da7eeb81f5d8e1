package conformance.internal;

/**
 * One conformance case: an IGT-style name ({@code panthor_<area>@<scenario>}) and a body that
 * runs against a fresh {@link CaseContext}. A body fails by throwing (a {@link CaseFailure}
 * from the context's checks, or an unexpected ioctl error); it returns normally when the
 * scenario behaved as the UABI says.
 */
public record Case(String name, Body body) {

    /** The scenario. */
    @FunctionalInterface
    public interface Body {
        void run(CaseContext ctx) throws Exception;
    }

    public Case {
        if (!name.matches("panthor_[a-z0-9_]+@[a-z0-9-]+")) {
            throw new IllegalArgumentException("not an IGT-style case name: " + name);
        }
    }
}
