package panthor.launcher;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Runs Gogo commands one by one in a session of the container's command processor and prints
 * each result as the console would (Converter.INSPECT). The first failure stops the script:
 * its message goes to stderr and the status is 1. Gogo's classes live inside the framework,
 * so the session is driven through reflection on the public CommandProcessor API.
 */
final class ScriptRunner {

    private static final int INSPECT = 0;

    private final Container container;
    private final PrintStream out;
    private final PrintStream err;

    ScriptRunner(Container container, PrintStream out, PrintStream err) {
        this.container = container;
        this.out = out;
        this.err = err;
    }

    int runAll(List<String> commands) {
        Object processor = container.commandProcessor();
        if (processor == null) {
            err.println("panthor: Gogo command processor is gone");
            return 3;
        }
        Object session;
        try {
            session = processor.getClass()
                    .getMethod("createSession", InputStream.class, java.io.OutputStream.class, java.io.OutputStream.class)
                    .invoke(processor, InputStream.nullInputStream(), out, err);
        } catch (ReflectiveOperationException e) {
            err.println("panthor: cannot open a Gogo session: " + e);
            return 3;
        }
        try {
            Method execute = session.getClass().getMethod("execute", CharSequence.class);
            Method format = session.getClass().getMethod("format", Object.class, int.class);
            for (String command : commands) {
                if (container.stopping()) {
                    return 0; // 'stop 0' or 'shutdown' ended the container: a normal exit.
                }
                try {
                    Object result = execute.invoke(session, command);
                    if (result != null && !container.stopping()) {
                        CharSequence text = (CharSequence) format.invoke(session, result, INSPECT);
                        if (text != null && text.length() > 0) {
                            out.println(text);
                        }
                    }
                    out.flush();
                } catch (InvocationTargetException e) {
                    if (container.stopping()) {
                        return 0;
                    }
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    out.flush();
                    err.println("panthor: " + command + ": " + message(cause));
                    return 1;
                }
            }
            return 0;
        } catch (ReflectiveOperationException e) {
            err.println("panthor: Gogo session failed: " + e);
            return 3;
        } finally {
            try {
                session.getClass().getMethod("close").invoke(session);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // The framework may already be gone.
            }
        }
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return m;
    }
}
