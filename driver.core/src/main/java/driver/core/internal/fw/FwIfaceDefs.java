package driver.core.internal.fw;

import static hw.model.csf.CsfLayout.*;

/**
 * DOC: Firmware interface definitions ({@code panthor_fw.h}, {@code panthor_fw.c}).
 *
 * The shared-section layout the driver and the CSF firmware agree on: the control interfaces
 * at fixed offsets of the shared section (global at 0, CSG n at CSF_GROUP_CONTROL_OFFSET +
 * n * group_stride, CS m inside it at CSF_STREAM_CONTROL_OFFSET + m * stream_stride), and the
 * input/output structures the control interfaces point to by MCU address (input_va,
 * output_va). Offsets are byte offsets inside each structure; values are little-endian.
 */
public final class FwIfaceDefs {
    private FwIfaceDefs() {}

    // --- MCU address map ---
    public static final int CSF_UNPRESERVED_REG_COUNT = 4;
    public static final int MAX_CSG_PRIO = 0xf;

    public static int csfIfaceVersion(int major, int minor, int patch) {
        return (major << 24) | (minor << 16) | patch;
    }

    public static int versionMajor(int v) { return v >>> 24; }
    public static int versionMinor(int v) { return (v >>> 16) & 0xff; }
    public static int versionPatch(int v) { return v & 0xffff; }

    // --- struct panthor_fw_global_control_iface ---
    public static final int GLB_CONTROL_SIZE = 0x20;

    // --- struct panthor_fw_global_input_iface ---

    // --- struct panthor_fw_global_output_iface ---

    // --- GLB req/ack bits ---

    /** GLB_TIMER_VAL(x): bits 30:0. */
    public static int glbTimerVal(long x) {
        return (int) (x & 0x7FFF_FFFFL);
    }


    // --- struct panthor_fw_csg_control_iface ---
    public static final int CSG_CONTROL_SIZE = 0x1C;

    // --- struct panthor_fw_csg_input_iface ---

    // --- struct panthor_fw_csg_output_iface ---

    // --- CSG req/ack bits ---

    // --- struct panthor_fw_cs_control_iface ---
    public static final int CS_CONTROL_SIZE = 0x0C;

    /** CS_FEATURES_WORK_REGS(x): bits 7:0 + 1. */
    public static int csFeaturesWorkRegs(int features) {
        return (features & 0xff) + 1;
    }

    /** CS_FEATURES_SCOREBOARDS(x): bits 15:8. */
    public static int csFeaturesScoreboards(int features) {
        return (features >>> 8) & 0xff;
    }


    // --- struct panthor_fw_cs_input_iface ---

    // --- struct panthor_fw_cs_output_iface ---

    // --- CS req/ack bits ---
    public static final int CS_REQ_MASK = CS_STATE_MASK | CS_EXTRACT_EVENT | CS_IDLE_SYNC_WAIT
            | CS_IDLE_PROTM_PENDING | CS_IDLE_EMPTY | CS_IDLE_RESOURCE_REQ;

    // --- queue user I/O pages (panthor_fw_ringbuf_{input,output}_iface) ---

    // --- panthor_fw.c timing ---
    public static final long PING_INTERVAL_MS = 12_000;
    public static final long PROGRESS_TIMEOUT_CYCLES = 5L * 500 * 1024 * 1024;
    public static final int PROGRESS_TIMEOUT_SCALE_SHIFT = 10;
    public static final long IDLE_HYSTERESIS_US = 800;
    public static final long PWROFF_HYSTERESIS_US = 10_000;
    /** panthor_fw_start(): wait for the boot IRQ. */
    public static final long FW_BOOT_TIMEOUT_MS = 1000;
    /** MCU_STATUS polls (halt, disable): 10 µs period, 100 ms timeout. */
    public static final long MCU_STATUS_TIMEOUT_MS = 100;
}
