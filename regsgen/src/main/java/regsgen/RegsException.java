package regsgen;

import java.util.List;

/** The description has errors; each message is {@code file:line: message}. */
public final class RegsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    public RegsException(List<String> errors) {
        super(errors.size() + " error(s) in register description:\n" + String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
