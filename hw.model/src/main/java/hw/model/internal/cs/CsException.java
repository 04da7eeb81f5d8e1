package hw.model.internal.cs;

import hw.model.regs.MaliRegs;
import hw.model.regs.typed.ExceptionType;

/**
 * Exception types a command stream reports in CS_FATAL / CS_FAULT (low 8 bits). The values
 * come from the register description (mali-g610.regs, enum EXCEPTION_TYPE, generated as
 * {@code MaliRegs.EXCEPTION_*}: Linux's {@code enum drm_panthor_exception_type}); these are
 * short aliases for the ones the interpreter raises. MMU faults keep the type the MMU
 * reported (TRANSLATION_FAULT_n 0xC0+n, PERM_FAULT_n 0xC8+n, ...).
 */
public final class CsException {
    private CsException() {}

    public static final int OK = MaliRegs.EXCEPTION_OK;
    public static final int CS_CONFIG_FAULT = MaliRegs.EXCEPTION_CS_CONFIG_FAULT;
    public static final int CS_UNRECOVERABLE = MaliRegs.EXCEPTION_CS_UNRECOVERABLE;
    public static final int CS_ENDPOINT_FAULT = MaliRegs.EXCEPTION_CS_ENDPOINT_FAULT;
    public static final int CS_BUS_FAULT = MaliRegs.EXCEPTION_CS_BUS_FAULT;
    public static final int CS_INSTR_INVALID = MaliRegs.EXCEPTION_CS_INSTR_INVALID;
    public static final int CS_CALL_STACK_OVERFLOW = MaliRegs.EXCEPTION_CS_CALL_STACK_OVERFLOW;
    public static final int CS_INHERIT_FAULT = MaliRegs.EXCEPTION_CS_INHERIT_FAULT;
    public static final int INSTR_INVALID_PC = MaliRegs.EXCEPTION_INSTR_INVALID_PC;
    public static final int INSTR_INVALID_ENC = MaliRegs.EXCEPTION_INSTR_INVALID_ENC;
    public static final int INSTR_BARRIER_FAULT = MaliRegs.EXCEPTION_INSTR_BARRIER_FAULT;
    public static final int DATA_INVALID_FAULT = MaliRegs.EXCEPTION_DATA_INVALID_FAULT;
    public static final int ADDR_RANGE_FAULT = MaliRegs.EXCEPTION_ADDR_RANGE_FAULT;

    /** Name of an exception type as panthor prints it, or UNKNOWN_0xNN. */
    public static String name(int type) {
        ExceptionType t = ExceptionType.of(type & 0xff);
        return t != null ? t.name() : String.format("UNKNOWN_0x%02x", type & 0xff);
    }
}
