package panthor.itest;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;

/** Runs Gogo commands in the container the way the console does, and reads their output. */
final class GogoShell {
    private GogoShell() {}

    /**
     * Runs {@code command}; returns what it printed plus its formatted result. A failing command
     * throws an exception whose message holds the command's own message and everything it
     * printed before failing (a failing gpu:conformance shows its FAIL lines).
     */
    static String run(CommandProcessor processor, String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out);
        try {
            Object result = session.execute(command);
            if (result != null) {
                out.println(session.format(result, 0));
            }
        } catch (Exception e) {
            throw new Exception(command + " failed: " + e.getMessage() + "\n"
                    + bytes.toString(StandardCharsets.UTF_8), e);
        } finally {
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The number after {@code key=} in {@code line}, e.g. {@code lost} in a load summary; fails if absent. */
    static long field(String line, String key) {
        Matcher m = Pattern.compile("\\b" + Pattern.quote(key) + "=(-?\\d+)").matcher(line);
        if (!m.find()) {
            throw new AssertionError("no " + key + "= in: " + line);
        }
        return Long.parseLong(m.group(1));
    }

    /** The last non-empty line of {@code out}. */
    static String lastLine(String out) {
        String[] lines = out.strip().split("\\R");
        return lines[lines.length - 1].strip();
    }
}
