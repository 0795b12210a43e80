package vectorlstm.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --name=value} flags of one command, and switches without a value
 * ({@code --quick}). Unknown flags, missing values and malformed numbers are
 * {@link UsageException}s that name the flag.
 */
final class Flags {
    private final Map<String, String> values = new LinkedHashMap<>();

    static Flags parse(String[] args, int from, Set<String> allowed) {
        return parse(args, from, allowed, Set.of());
    }

    /** As {@link #parse(String[], int, Set)}; the names in {@code switches} take no value (see {@link #isSet}). */
    static Flags parse(String[] args, int from, Set<String> allowed, Set<String> switches) {
        Flags f = new Flags();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) throw new UsageException("unexpected argument '" + a + "'");
            String name = a.substring(2), value;
            int eq = name.indexOf('=');
            if (switches.contains(name)) {
                value = "true";
            } else if (eq >= 0 && switches.contains(name.substring(0, eq))) {
                throw new UsageException("--" + name.substring(0, eq) + " takes no value");
            } else if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) throw new UsageException("--" + name + " needs a value");
                value = args[++i];
            }
            if (value.isBlank()) throw new UsageException("--" + name + " needs a non-empty value");
            if (!allowed.contains(name) && !switches.contains(name)) {
                List<String> all = new ArrayList<>(allowed);
                all.addAll(switches);
                throw new UsageException("unknown flag --" + name + " (allowed: --" + String.join(", --", all) + ")");
            }
            if (f.values.put(name, value) != null) throw new UsageException("--" + name + " given twice");
        }
        return f;
    }

    String string(String name) { return values.get(name); }

    /** True when the switch {@code --name} was given. */
    boolean isSet(String name) { return values.containsKey(name); }

    int positiveInt(String name, int fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v.trim());
            if (n <= 0) throw new UsageException("--" + name + " must be a positive integer, got " + v);
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a positive integer, got '" + v + "'");
        }
    }

    /** A positive integer of at most {@code max} (sizes that would only end in an out-of-memory error). */
    int boundedInt(String name, int fallback, int max) {
        int n = positiveInt(name, fallback);
        if (n > max) throw new UsageException("--" + name + " must be at most " + max + ", got " + n);
        return n;
    }

    /** A number in the open interval (low, high). */
    double number(String name, double fallback, double low, double high) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d > low && d < high)) throw new UsageException("--" + name + " must be between " + low + " and " + high + " (exclusive), got " + v);
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    boolean bool(String name, boolean fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new UsageException("--" + name + " must be true or false, got '" + v + "'");
        };
    }

    long longValue(String name, long fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + v + "'");
        }
    }
}
