package hw.model.internal.cs;

/**
 * Exception types a command stream reports in CS_FATAL / CS_FAULT (low 8 bits), with the
 * values of Linux's {@code enum drm_panthor_exception_type} (panthor_device.h). MMU faults
 * keep the type the MMU reported (TRANSLATION_FAULT_n 0xC0+n, PERM_FAULT_n 0xC8+n, ...).
 */
public final class CsException {
    private CsException() {}

    public static final int OK = 0x00;
    public static final int CS_CONFIG_FAULT = 0x40;
    public static final int CS_UNRECOVERABLE = 0x41;
    public static final int CS_ENDPOINT_FAULT = 0x44;
    public static final int CS_BUS_FAULT = 0x48;
    public static final int CS_INSTR_INVALID = 0x49;
    public static final int CS_CALL_STACK_OVERFLOW = 0x4a;
    public static final int CS_INHERIT_FAULT = 0x4b;
    public static final int INSTR_INVALID_PC = 0x50;
    public static final int INSTR_INVALID_ENC = 0x51;
    public static final int INSTR_BARRIER_FAULT = 0x55;
    public static final int DATA_INVALID_FAULT = 0x58;
    public static final int ADDR_RANGE_FAULT = 0x5a;

    public static String name(int type) {
        switch (type) {
            case OK: return "OK";
            case CS_CONFIG_FAULT: return "CS_CONFIG_FAULT";
            case CS_UNRECOVERABLE: return "CS_UNRECOVERABLE";
            case CS_ENDPOINT_FAULT: return "CS_ENDPOINT_FAULT";
            case CS_BUS_FAULT: return "CS_BUS_FAULT";
            case CS_INSTR_INVALID: return "CS_INSTR_INVALID";
            case CS_CALL_STACK_OVERFLOW: return "CS_CALL_STACK_OVERFLOW";
            case CS_INHERIT_FAULT: return "CS_INHERIT_FAULT";
            case INSTR_INVALID_PC: return "INSTR_INVALID_PC";
            case INSTR_INVALID_ENC: return "INSTR_INVALID_ENC";
            case INSTR_BARRIER_FAULT: return "INSTR_BARRIER_FAULT";
            case DATA_INVALID_FAULT: return "DATA_INVALID_FAULT";
            case ADDR_RANGE_FAULT: return "ADDR_RANGE_FAULT";
            default:
                if (type >= 0xc0 && type <= 0xc4) return "TRANSLATION_FAULT_" + (type - 0xc0);
                if (type >= 0xc8 && type <= 0xcb) return "PERM_FAULT_" + (type - 0xc8);
                if (type >= 0xd9 && type <= 0xdb) return "ACCESS_FLAG_" + (type - 0xd8);
                return String.format("UNKNOWN_0x%02x", type);
        }
    }
}
