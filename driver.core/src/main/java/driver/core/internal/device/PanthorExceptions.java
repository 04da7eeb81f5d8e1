package driver.core.internal.device;

import static hw.model.regs.MaliRegs.*;

import java.util.Map;
import java.util.TreeMap;

/** {@code panthor_exception_name()}: the DRM_PANTHOR_EXCEPTION_* names of exception codes. */
public final class PanthorExceptions {
    private PanthorExceptions() {}

    /** Codes above this are faults ({@code panthor_exception_is_fault()}). */
    public static final int MAX_NON_FAULT = 0x3f;

    private static final Map<Integer, String> NAMES = new TreeMap<>();

    static {
        for (var f : hw.model.regs.MaliRegs.class.getFields()) {
            if (f.getName().startsWith("EXCEPTION_") && f.getType() == int.class) {
                try {
                    NAMES.put(f.getInt(null), f.getName().substring("EXCEPTION_".length()));
                } catch (IllegalAccessException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }
        }
        if (!NAMES.containsKey(EXCEPTION_OK)) {
            throw new ExceptionInInitializerError("MaliRegs without EXCEPTION_OK");
        }
    }

    public static String name(int code) {
        String n = NAMES.get(code);
        return n != null ? n : "Unknown exception type";
    }

    public static boolean isFault(int code) {
        return code > MAX_NON_FAULT;
    }
}
