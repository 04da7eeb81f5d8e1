package panthor.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Entry point behind {@code ./panthor}: starts the Panthor Felix container and either opens the
 * interactive Gogo console or runs Gogo commands and exits with their status.
 */
public final class Main {

    static final String USAGE = String.join("\n",
            "usage: panthor [--bundles DIR] [--timeout SECONDS] [-c 'CMD; CMD; ...' | -f FILE]",
            "",
            "Starts the Panthor driver in a Felix OSGi container over the simulated Mali-G610.",
            "",
            "  (no command)   interactive Gogo shell (JLine: history, editing, completion);",
            "                 'help' lists commands, 'exit' or 'stop 0' leaves.",
            "  -c 'CMDS'      wait until the driver is ready, run the Gogo commands in order",
            "                 (separated by ';' or newlines), print each result, and exit:",
            "                 status 0 if all succeeded, 1 on the first failure (its message goes",
            "                 to stderr), 2 on a usage error, 3 if the driver never got ready.",
            "  -f FILE        the same for a script file ('#' starts a comment line).",
            "  --timeout S    how long to wait for the driver to be ready (default 60).",
            "  --bundles DIR  folder of bundles to run (default: the exported distro).",
            "  --help         this text.",
            "",
            "Examples:",
            "  ./panthor -c 'gpu:info'",
            "  ./panthor -c 'lb; scr:list'",
            "");

    private Main() {}

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (UsageException e) {
            System.err.println("panthor: " + e.getMessage());
            System.err.println(USAGE);
            status = 2;
        }
        System.out.flush();
        System.err.flush();
        // Felix and the model leave daemon and non-daemon threads behind; the status is final.
        Runtime.getRuntime().halt(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        Options options = Options.parse(args);
        if (options.help) {
            out.print(USAGE);
            return 0;
        }
        List<String> commands = null;
        if (options.command != null) {
            commands = CommandSplitter.split(options.command);
        } else if (options.file != null) {
            try {
                commands = CommandSplitter.splitScript(Files.readString(Paths.get(options.file), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UsageException("cannot read script " + options.file + ": " + e.getMessage());
            }
        }
        Path bundles = options.bundles != null ? Paths.get(options.bundles) : defaultBundles();
        Container container = new Container(bundles, err);
        try {
            container.start(commands == null);
            if (!container.awaitReady(options.timeoutSeconds * 1000L)) {
                err.println("panthor: driver not ready after " + options.timeoutSeconds + " s: "
                        + container.notReadyReason());
                return 3;
            }
            if (commands == null) {
                container.startConsole();
                container.awaitStop();
                return 0;
            }
            return new ScriptRunner(container, out, err).runAll(commands);
        } catch (ContainerException e) {
            err.println("panthor: " + e.getMessage());
            return 3;
        } finally {
            container.stop();
        }
    }

    private static Path defaultBundles() {
        String root = System.getProperty("panthor.root", ".");
        return Paths.get(root, "distro", "target", "export", "panthor");
    }

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static final class Options {
        String command;
        String file;
        String bundles;
        long timeoutSeconds = 60;
        boolean help;

        static Options parse(String[] args) throws UsageException {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> o.help = true;
                    case "-c" -> o.command = value(args, ++i, a);
                    case "-f" -> o.file = value(args, ++i, a);
                    case "--bundles" -> o.bundles = value(args, ++i, a);
                    case "--timeout" -> {
                        String v = value(args, ++i, a);
                        try {
                            o.timeoutSeconds = Long.parseLong(v);
                        } catch (NumberFormatException e) {
                            throw new UsageException("--timeout needs a number of seconds, not '" + v + "'");
                        }
                    }
                    default -> throw new UsageException("unknown argument '" + a + "'");
                }
            }
            if (o.command != null && o.file != null) {
                throw new UsageException("give -c or -f, not both");
            }
            return o;
        }

        private static String value(String[] args, int i, String option) throws UsageException {
            if (i >= args.length) {
                throw new UsageException(option + " needs a value");
            }
            return args[i];
        }
    }
}
