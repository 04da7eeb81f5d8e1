package conformance.internal;

/** A case cannot run here (a service it needs is absent); the message says which. */
public final class CaseSkipped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CaseSkipped(String message) {
        super(message, null, false, false);
    }
}
