package hw.model.internal.cs;

import static hw.model.internal.cs.CsInstr.*;

/**
 * Turns v10 command-stream instructions into text, in the spirit of Mesa's decode_csf.c:
 * {@code rN} is a 32-bit register, {@code dN} a 64-bit pair, {@code [dN + off]} memory.
 * Every defined field is shown, so two instructions with the same text encode the same
 * fields. Used by tests, coredumps and the shell.
 */
public final class CsDisassembler {
    private CsDisassembler() {}

    private static final String[] CONDITIONS = {"le", "gt", "eq", "ne", "lt", "ge", "always", "INVALID7",
        "INVALID8", "INVALID9", "INVALID10", "INVALID11", "INVALID12", "INVALID13", "INVALID14", "INVALID15"};
    private static final String[] AXES = {"x", "y", "z", "INVALID3"};
    private static final String[] STATES = {"timestamp", "cycle_count", "disjoint_count", "error_status"};

    /** Mnemonic of a v10 opcode, or null when v10 does not define it. */
    public static String mnemonic(int opcode) {
        switch (opcode) {
            case NOP: return "NOP";
            case MOVE48: return "MOVE48";
            case MOVE32: return "MOVE32";
            case WAIT: return "WAIT";
            case RUN_COMPUTE: return "RUN_COMPUTE";
            case RUN_TILING: return "RUN_TILING";
            case RUN_IDVS: return "RUN_IDVS";
            case RUN_FRAGMENT: return "RUN_FRAGMENT";
            case RUN_FULLSCREEN: return "RUN_FULLSCREEN";
            case FINISH_TILING: return "FINISH_TILING";
            case FINISH_FRAGMENT: return "FINISH_FRAGMENT";
            case ADD_IMMEDIATE32: return "ADD_IMMEDIATE32";
            case ADD_IMMEDIATE64: return "ADD_IMMEDIATE64";
            case COMPARE_SELECT32: return "UMIN32";
            case LOAD_MULTIPLE: return "LOAD_MULTIPLE";
            case STORE_MULTIPLE: return "STORE_MULTIPLE";
            case BRANCH: return "BRANCH";
            case SET_SB_ENTRY: return "SET_SB_ENTRY";
            case PROGRESS_WAIT: return "PROGRESS_WAIT";
            case SET_EXCEPTION_HANDLER: return "SET_EXCEPTION_HANDLER";
            case CALL: return "CALL";
            case JUMP: return "JUMP";
            case REQ_RESOURCE: return "REQ_RESOURCE";
            case FLUSH_CACHE2: return "FLUSH_CACHE2";
            case SYNC_ADD32: return "SYNC_ADD32";
            case SYNC_SET32: return "SYNC_SET32";
            case SYNC_WAIT32: return "SYNC_WAIT32";
            case STORE_STATE: return "STORE_STATE";
            case PROT_REGION: return "PROT_REGION";
            case PROGRESS_STORE: return "PROGRESS_STORE";
            case PROGRESS_LOAD: return "PROGRESS_LOAD";
            case RUN_COMPUTE_INDIRECT: return "RUN_COMPUTE_INDIRECT";
            case ERROR_BARRIER: return "ERROR_BARRIER";
            case HEAP_SET: return "HEAP_SET";
            case HEAP_OPERATION: return "HEAP_OPERATION";
            case TRACE_POINT: return "TRACE_POINT";
            case SYNC_ADD64: return "SYNC_ADD64";
            case SYNC_SET64: return "SYNC_SET64";
            case SYNC_WAIT64: return "SYNC_WAIT64";
            default: return null;
        }
    }

    /** One instruction as text. */
    public static String decode(long ins) {
        int op = opcode(ins);
        switch (op) {
            case NOP:
                return field(ins, 0, 56) == 0 ? "NOP" : String.format("NOP #0x%x", field(ins, 0, 56));
            case MOVE48:
                return String.format("MOVE48 d%d, #0x%x", ufield(ins, 48, 8), field(ins, 0, 48));
            case MOVE32:
                return String.format("MOVE32 r%d, #0x%x", ufield(ins, 48, 8), field(ins, 0, 32));
            case WAIT:
                return String.format("WAIT%s #0x%x", progress(ins), ufield(ins, 16, 8));
            case RUN_COMPUTE:
                return String.format("RUN_COMPUTE%s.%s%s #%d", progress(ins), AXES[ufield(ins, 14, 2)], selects(ins),
                        ufield(ins, 0, 14));
            case RUN_COMPUTE_INDIRECT:
                return String.format("RUN_COMPUTE_INDIRECT%s%s #%d", progress(ins), selects(ins), ufield(ins, 0, 16));
            case RUN_TILING:
                return String.format("RUN_TILING%s%s #0x%x", progress(ins), selects(ins), field(ins, 0, 32));
            case RUN_IDVS:
                return String.format("RUN_IDVS%s.flags_%x r%d, #0x%x", progress(ins), ufield(ins, 33, 7),
                        ufield(ins, 40, 8), field(ins, 0, 32));
            case RUN_FRAGMENT:
                return String.format("RUN_FRAGMENT%s%s.tile_order%d", progress(ins),
                        field(ins, 0, 1) != 0 ? ".tem" : "", ufield(ins, 4, 4));
            case RUN_FULLSCREEN:
                return String.format("RUN_FULLSCREEN%s d%d, #0x%x", progress(ins), ufield(ins, 40, 8), field(ins, 0, 32));
            case FINISH_TILING:
                return "FINISH_TILING" + progress(ins);
            case FINISH_FRAGMENT:
                return String.format("FINISH_FRAGMENT%s d%d, d%d, #0x%x, #%d", field(ins, 0, 1) != 0 ? ".frag_end" : "",
                        ufield(ins, 32, 8), ufield(ins, 40, 8), ufield(ins, 16, 16), ufield(ins, 48, 4));
            case ADD_IMMEDIATE32:
                return String.format("ADD_IMMEDIATE32 r%d, r%d, #%d", ufield(ins, 48, 8), ufield(ins, 40, 8),
                        sfield(ins, 0, 32));
            case ADD_IMMEDIATE64:
                return String.format("ADD_IMMEDIATE64 d%d, d%d, #%d", ufield(ins, 48, 8), ufield(ins, 40, 8),
                        sfield(ins, 0, 32));
            case COMPARE_SELECT32:
                return String.format("UMIN32 r%d, r%d, r%d", ufield(ins, 48, 8), ufield(ins, 40, 8), ufield(ins, 32, 8));
            case LOAD_MULTIPLE:
                return String.format("LOAD_MULTIPLE %s, %s", tuple(ufield(ins, 48, 8), ufield(ins, 16, 16)),
                        indirect(ufield(ins, 40, 8), sfield(ins, 0, 16)));
            case STORE_MULTIPLE:
                return String.format("STORE_MULTIPLE %s, %s", indirect(ufield(ins, 40, 8), sfield(ins, 0, 16)),
                        tuple(ufield(ins, 48, 8), ufield(ins, 16, 16)));
            case BRANCH:
                return String.format("BRANCH.%s r%d, #%d", CONDITIONS[ufield(ins, 28, 3)], ufield(ins, 40, 8),
                        sfield(ins, 0, 16));
            case SET_SB_ENTRY:
                return String.format("SET_SB_ENTRY #%d, #%d", ufield(ins, 0, 4), ufield(ins, 4, 4));
            case PROGRESS_WAIT:
                return String.format("PROGRESS_WAIT d%d, #%d", ufield(ins, 40, 8), ufield(ins, 0, 5));
            case SET_EXCEPTION_HANDLER:
                return String.format("SET_EXCEPTION_HANDLER.type%d d%d, r%d", ufield(ins, 0, 8), ufield(ins, 40, 8),
                        ufield(ins, 32, 8));
            case CALL:
                return String.format("CALL d%d, r%d", ufield(ins, 40, 8), ufield(ins, 32, 8));
            case JUMP:
                return String.format("JUMP d%d, r%d", ufield(ins, 40, 8), ufield(ins, 32, 8));
            case REQ_RESOURCE:
                return "REQ_RESOURCE" + (field(ins, 0, 1) != 0 ? ".compute" : "") + (field(ins, 1, 1) != 0 ? ".fragment" : "")
                        + (field(ins, 2, 1) != 0 ? ".tiler" : "") + (field(ins, 3, 1) != 0 ? ".idvs" : "");
            case FLUSH_CACHE2:
                return String.format("FLUSH_CACHE2.l2_%s.lsc_%s.other_%s r%d, #0x%x, #%d", flushMode(ufield(ins, 0, 4)),
                        flushMode(ufield(ins, 4, 4)), otherFlushMode(ufield(ins, 8, 4)), ufield(ins, 40, 8),
                        ufield(ins, 16, 16), ufield(ins, 48, 4));
            case SYNC_ADD32:
            case SYNC_SET32:
            case SYNC_ADD64:
            case SYNC_SET64: {
                boolean is64 = op == SYNC_ADD64 || op == SYNC_SET64;
                return String.format("%s%s.%s [d%d], %s%d, #0x%x, #%d", mnemonic(op),
                        field(ins, 0, 1) != 0 ? ".propagate" : "", scope(ufield(ins, 1, 2)), ufield(ins, 40, 8),
                        is64 ? "d" : "r", ufield(ins, 32, 8), ufield(ins, 16, 16), ufield(ins, 48, 4));
            }
            case SYNC_WAIT32:
            case SYNC_WAIT64:
                return String.format("%s.%s%s [d%d], %s%d", mnemonic(op), CONDITIONS[ufield(ins, 28, 4)],
                        field(ins, 0, 1) != 0 ? ".reject" : ".inherit", ufield(ins, 40, 8), op == SYNC_WAIT64 ? "d" : "r",
                        ufield(ins, 32, 8));
            case STORE_STATE:
                return String.format("STORE_STATE.%s %s, #0x%x, #%d", STATES[ufield(ins, 32, 2)],
                        indirect(ufield(ins, 40, 8), sfield(ins, 0, 16)), ufield(ins, 16, 16), ufield(ins, 48, 4));
            case PROT_REGION:
                return String.format("PROT_REGION #%d", field(ins, 0, 16) << 3);
            case PROGRESS_STORE:
                return String.format("PROGRESS_STORE d%d", ufield(ins, 40, 8));
            case PROGRESS_LOAD:
                return String.format("PROGRESS_LOAD d%d", ufield(ins, 48, 8));
            case ERROR_BARRIER:
                return "ERROR_BARRIER";
            case HEAP_SET:
                return String.format("HEAP_SET d%d", ufield(ins, 40, 8));
            case HEAP_OPERATION:
                return String.format("HEAP_OPERATION.op%d #0x%x, #%d", ufield(ins, 32, 2), ufield(ins, 16, 16),
                        ufield(ins, 48, 4));
            case TRACE_POINT:
                return String.format("TRACE_POINT r%d, #%d, #0x%x, #%d", ufield(ins, 32, 8), ufield(ins, 40, 8),
                        ufield(ins, 16, 16), ufield(ins, 48, 4));
            default:
                return String.format("UNKNOWN_%d 0x%x", op, field(ins, 0, 56));
        }
    }

    /** A listing: one line per instruction with its byte offset from {@code base}. */
    public static String listing(long base, long[] code) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < code.length; i++) {
            sb.append(String.format("%016x: %016x  %s%n", base + 8L * i, code[i], decode(code[i])));
        }
        return sb.toString();
    }

    private static String flushMode(int mode) {
        switch (mode) {
            case FLUSH_NONE: return "none";
            case FLUSH_CLEAN: return "clean";
            case FLUSH_CLEAN_INVALIDATE: return "clean_invalidate";
            default: return "INVALID" + mode;
        }
    }

    private static String otherFlushMode(int mode) {
        switch (mode) {
            case FLUSH_OTHER_NONE: return "none";
            case FLUSH_OTHER_INVALIDATE: return "invalidate";
            default: return "INVALID" + mode;
        }
    }

    private static String progress(long ins) {
        return field(ins, 32, 1) != 0 ? ".progress_inc" : "";
    }

    private static String selects(long ins) {
        return String.format(".srt%d.spd%d.tsd%d.fau%d", ufield(ins, 40, 2), ufield(ins, 42, 2), ufield(ins, 44, 2),
                ufield(ins, 46, 2));
    }

    private static String scope(int scope) {
        return scope == SCOPE_SYSTEM ? "system" : scope == SCOPE_CSG ? "csg" : "scope" + scope;
    }

    private static String indirect(int reg, long offset) {
        return offset == 0 ? "[d" + reg + "]" : "[d" + reg + (offset < 0 ? " - " + -offset : " + " + offset) + "]";
    }

    /** Register tuple as base/mask ("r4..r7" style lists would lose the base when the mask has leading zeros). */
    private static String tuple(int base, int mask) {
        if (mask == 0) {
            return "r" + base + "{}";
        }
        StringBuilder sb = new StringBuilder();
        for (int m = mask; m != 0; m &= m - 1) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append('r').append(base + Integer.numberOfTrailingZeros(m));
        }
        if ((mask & 1) == 0) {
            sb.append(" (base r").append(base).append(')');
        }
        return sb.toString();
    }
}
