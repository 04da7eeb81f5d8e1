package driver.core.internal.device;

import java.util.ArrayDeque;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * DOC: Kernel log of the device.
 *
 * {@code drm_info()}, {@code drm_warn()}, {@code drm_err()}: messages go to
 * {@code java.util.logging} (logger {@code driver.core.panthor}; info at FINE, so the console
 * shows warnings and errors only, as a quiet kernel console does) prefixed with the device name
 * as the kernel prints them ("panthor fb000000.gpu: ..."), and the last {@value #KEEP} stay in
 * memory so tests and the shell can read them ({@link #recent}).
 */
public final class DrmLog {

    public static final String DEVICE_NAME = "panthor fb000000.gpu";
    static final int KEEP = 512;

    public enum Severity { INFO, WARN, ERR }

    /** One logged line. */
    public record Line(Severity severity, String message) {
        @Override
        public String toString() {
            return severity + " " + message;
        }
    }

    private static final Logger LOG = Logger.getLogger("driver.core.panthor");

    private final ArrayDeque<Line> lines = new ArrayDeque<>();

    public void info(String format, Object... args) {
        log(Severity.INFO, format, args);
    }

    public void warn(String format, Object... args) {
        log(Severity.WARN, format, args);
    }

    public void err(String format, Object... args) {
        log(Severity.ERR, format, args);
    }

    private void log(Severity severity, String format, Object... args) {
        String msg = args.length == 0 ? format : String.format(format, args);
        synchronized (lines) {
            lines.addLast(new Line(severity, msg));
            while (lines.size() > KEEP) {
                lines.removeFirst();
            }
        }
        Level level = switch (severity) {
            case INFO -> Level.FINE;
            case WARN -> Level.WARNING;
            case ERR -> Level.SEVERE;
        };
        LOG.log(level, DEVICE_NAME + ": [drm] " + msg);
    }

    /** The kept lines, oldest first. */
    public List<Line> recent() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Whether a kept line contains {@code text}. */
    public boolean contains(String text) {
        for (Line l : recent()) {
            if (l.message().contains(text)) {
                return true;
            }
        }
        return false;
    }
}
