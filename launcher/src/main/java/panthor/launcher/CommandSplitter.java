package panthor.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Gogo script into top-level commands at ';' and newlines, leaving separators inside
 * quotes, braces, brackets and parentheses alone, so each command's result can be printed and
 * its failure reported on its own.
 */
final class CommandSplitter {
    private CommandSplitter() {}

    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                cur.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    cur.append(text.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '\'', '"' -> {
                    quote = c;
                    cur.append(c);
                }
                case '{', '(', '[' -> {
                    depth++;
                    cur.append(c);
                }
                case '}', ')', ']' -> {
                    depth = Math.max(0, depth - 1);
                    cur.append(c);
                }
                case ';', '\n' -> {
                    if (depth == 0) {
                        add(out, cur);
                    } else {
                        cur.append(c);
                    }
                }
                default -> cur.append(c);
            }
        }
        add(out, cur);
        return out;
    }

    /** Like {@link #split} but drops lines starting with '#'. */
    static List<String> splitScript(String script) {
        StringBuilder kept = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            if (!line.strip().startsWith("#")) {
                kept.append(line).append('\n');
            }
        }
        return split(kept.toString());
    }

    private static void add(List<String> out, StringBuilder cur) {
        String cmd = cur.toString().strip();
        if (!cmd.isEmpty()) {
            out.add(cmd);
        }
        cur.setLength(0);
    }
}
