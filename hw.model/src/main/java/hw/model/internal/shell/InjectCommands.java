package hw.model.internal.shell;

import hw.model.api.FaultInjection;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * DOC: hw:inject.
 *
 * One shell verb per {@link FaultInjection} method: {@code hw:inject <fault> <args...>}, plus
 * {@code hw:inject list} (the faults, their arguments and what is armed now) and
 * {@code hw:inject clear}. Numbers are decimal or 0x-hex; switches are on/off (default on).
 */
@Component(service = InjectCommands.class, property = {
        "osgi.command.scope=hw",
        "osgi.command.function=inject"})
public final class InjectCommands {

    /** name, arguments, effect. */
    static final List<String[]> FAULTS = List.of(
            new String[] {"page-fault", "<as> <va>", "translation fault in address space <as> at GPU VA <va>"},
            new String[] {"hang-queue", "<csg> <cs> [on|off]", "queue <cs> of CSG slot <csg> makes no progress"},
            new String[] {"stall-flush", "[on|off]", "GPU_CMD cache flushes never complete"},
            new String[] {"fail-fw-boot", "[on|off]", "enabling the MCU does not boot the firmware"},
            new String[] {"cs-fatal", "<csg> <cs> <type>", "CS_FATAL on a queue (0x41 CS_UNRECOVERABLE, 0x49 CS_INSTR_INVALID)"},
            new String[] {"stick-as-active", "<as> [on|off]", "AS_STATUS.AS_ACTIVE of <as> stays set"});

    private final FaultInjection faults;

    @Activate
    public InjectCommands(@Reference FaultInjection faults) {
        this.faults = faults;
    }

    @Descriptor("inject a hardware fault; 'hw:inject list' shows the faults and what is armed, 'hw:inject clear' disarms all")
    public String inject(@Descriptor("list, clear, stall-flush or fail-fw-boot") String fault) {
        return dispatch(fault);
    }

    @Descriptor("inject a hardware fault (see hw:inject list)")
    public String inject(
            @Descriptor("fault name") String fault,
            @Descriptor("first argument") String a) {
        return dispatch(fault, a);
    }

    @Descriptor("inject a hardware fault (see hw:inject list)")
    public String inject(
            @Descriptor("fault name") String fault,
            @Descriptor("first argument") String a,
            @Descriptor("second argument") String b) {
        return dispatch(fault, a, b);
    }

    @Descriptor("inject a hardware fault (see hw:inject list)")
    public String inject(
            @Descriptor("fault name") String fault,
            @Descriptor("first argument") String a,
            @Descriptor("second argument") String b,
            @Descriptor("third argument") String c) {
        return dispatch(fault, a, b, c);
    }

    String dispatch(String fault, String... args) {
        String name = fault.toLowerCase(Locale.ROOT);
        switch (name) {
            case "list":
                expect(name, args, 0, 0);
                return list();
            case "clear":
                expect(name, args, 0, 0);
                faults.clearAll();
                return "all injected faults disarmed";
            case "page-fault": {
                expect(name, args, 2, 2);
                int as = integer("as", args[0]);
                long va = number("va", args[1]);
                faults.pageFault(as, va);
                return String.format(Locale.ROOT, "page fault raised in AS %d at 0x%x", as, va);
            }
            case "hang-queue": {
                expect(name, args, 2, 3);
                int csg = integer("csg", args[0]);
                int cs = integer("cs", args[1]);
                boolean on = onOff(args, 2);
                faults.hangQueue(csg, cs, on);
                return "queue " + csg + "/" + cs + (on ? " hung" : " released");
            }
            case "stall-flush": {
                expect(name, args, 0, 1);
                boolean on = onOff(args, 0);
                faults.stallCacheFlush(on);
                return on ? "cache flushes stalled" : "cache flushes complete again";
            }
            case "fail-fw-boot": {
                expect(name, args, 0, 1);
                boolean on = onOff(args, 0);
                faults.failFirmwareBoot(on);
                return on ? "firmware boot will fail" : "firmware boots normally";
            }
            case "cs-fatal": {
                expect(name, args, 3, 3);
                int csg = integer("csg", args[0]);
                int cs = integer("cs", args[1]);
                int type = integer("type", args[2]);
                faults.csFatal(csg, cs, type);
                return String.format(Locale.ROOT, "CS_FATAL 0x%02x injected on queue %d/%d (a queue that is not running ignores it)", type, csg, cs);
            }
            case "stick-as-active": {
                expect(name, args, 1, 2);
                int as = integer("as", args[0]);
                boolean on = onOff(args, 1);
                faults.stickAsActive(as, on);
                return "AS " + as + " AS_ACTIVE " + (on ? "stuck" : "released");
            }
            default:
                throw new IllegalArgumentException("unknown fault '" + fault + "'; hw:inject list shows the faults");
        }
    }

    private String list() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-16s %-20s %s%n", "FAULT", "ARGUMENTS", "EFFECT"));
        for (String[] f : FAULTS) {
            sb.append(String.format(Locale.ROOT, "%-16s %-20s %s%n", f[0], f[1], f[2]));
        }
        List<String> armed = faults.armed();
        sb.append(String.format("%narmed:")).append(armed.isEmpty() ? " none" : "");
        for (String a : armed) {
            sb.append(String.format("%n  ")).append(a);
        }
        return sb.toString();
    }

    private static void expect(String fault, String[] args, int min, int max) {
        if (args.length < min || args.length > max) {
            String usage = fault;
            for (String[] f : FAULTS) {
                if (f[0].equals(fault)) {
                    usage = fault + " " + f[1];
                }
            }
            throw new IllegalArgumentException("wrong number of arguments: hw:inject " + usage);
        }
    }

    private static boolean onOff(String[] args, int index) {
        if (args.length <= index) {
            return true;
        }
        switch (args[index].toLowerCase(Locale.ROOT)) {
            case "on":
            case "true":
            case "1":
                return true;
            case "off":
            case "false":
            case "0":
                return false;
            default:
                throw new IllegalArgumentException("expected on or off, got '" + args[index] + "'");
        }
    }

    private static long number(String what, String text) {
        try {
            return Long.decode(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number (decimal or 0x-hex), got '" + text + "'");
        }
    }

    private static int integer(String what, String text) {
        long v = number(what, text);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " out of range: " + text);
        }
        return (int) v;
    }
}
