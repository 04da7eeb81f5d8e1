package conformance.internal;

/** A case's expectation did not hold; the message is the report's reason. */
public final class CaseFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CaseFailure(String message) {
        super(message, null, false, false);
    }
}
