package workload.internal.shell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DOC: Arguments of the workload's shell commands, options anywhere.
 *
 * Gogo binds {@code @Parameter} options only before the positional arguments, but the commands
 * are written {@code gpu:load run --clients 8}: so they take the raw words and parse them here.
 * Numeric options only ({@code --name N}); {@code --help}/{@code -h} asks for the usage. Every
 * mistake is one line naming the command, the word and the usage.
 */
public final class CommandArgs {

    private final String command;
    private final List<String> positional;
    private final Map<String, Long> numbers;
    private final boolean help;

    private CommandArgs(String command, List<String> positional, Map<String, Long> numbers, boolean help) {
        this.command = command;
        this.positional = positional;
        this.numbers = numbers;
        this.help = help;
    }

    /** Parses {@code words}; {@code options} are the accepted numeric options ("--clients", ...). */
    public static CommandArgs parse(String command, String usage, Set<String> options, List<?> words) {
        List<String> positional = new ArrayList<>();
        Map<String, Long> numbers = new HashMap<>();
        boolean help = false;
        for (int i = 0; i < words.size(); i++) {
            String w = String.valueOf(words.get(i));
            if (w.equals("--help") || w.equals("-h")) {
                help = true;
            } else if (options.contains(w)) {
                if (++i >= words.size()) {
                    throw new IllegalArgumentException(command + ": " + w + " needs a number");
                }
                String v = String.valueOf(words.get(i));
                try {
                    numbers.put(w, Long.parseLong(v));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(command + ": " + w + " needs a number, not '" + v + "'");
                }
            } else if (w.startsWith("-")) {
                throw new IllegalArgumentException(command + ": unknown option '" + w + "'; " + usage);
            } else {
                positional.add(w);
            }
        }
        return new CommandArgs(command, List.copyOf(positional), Map.copyOf(numbers), help);
    }

    public boolean help() {
        return help;
    }

    /** The one positional argument (a verb, a subsystem); fails when there is none or more. */
    public String single(String what) {
        if (positional.size() != 1) {
            throw new IllegalArgumentException(command + ": " + (positional.isEmpty() ? "which " + what + "?"
                    : "unexpected '" + positional.get(1) + "'"));
        }
        return positional.get(0);
    }

    public long number(String option, long absent) {
        return numbers.getOrDefault(option, absent);
    }
}
