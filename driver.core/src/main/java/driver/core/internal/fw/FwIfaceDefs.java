package driver.core.internal.fw;

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
    public static final long CSF_MCU_SHARED_REGION_START = 0x0400_0000L;
    public static final long CSF_MCU_SHARED_REGION_SIZE = 0x0400_0000L;
    public static final int CSF_GROUP_CONTROL_OFFSET = 0x1000;
    public static final int CSF_STREAM_CONTROL_OFFSET = 0x40;
    public static final int CSF_UNPRESERVED_REG_COUNT = 4;
    public static final int MAX_CSGS = 31;
    public static final int MAX_CS_PER_CSG = 32;
    public static final int MIN_CSGS = 3;
    public static final int MIN_CS_PER_CSG = 8;
    public static final int MAX_CSG_PRIO = 0xf;

    public static int csfIfaceVersion(int major, int minor, int patch) {
        return (major << 24) | (minor << 16) | patch;
    }

    public static int versionMajor(int v) { return v >>> 24; }
    public static int versionMinor(int v) { return (v >>> 16) & 0xff; }
    public static int versionPatch(int v) { return v & 0xffff; }

    // --- struct panthor_fw_global_control_iface ---
    public static final int GLB_CONTROL_VERSION = 0x00;
    public static final int GLB_CONTROL_FEATURES = 0x04;
    public static final int GLB_CONTROL_INPUT_VA = 0x08;
    public static final int GLB_CONTROL_OUTPUT_VA = 0x0C;
    public static final int GLB_CONTROL_GROUP_NUM = 0x10;
    public static final int GLB_CONTROL_GROUP_STRIDE = 0x14;
    public static final int GLB_CONTROL_PERFCNT_SIZE = 0x18;
    public static final int GLB_CONTROL_INSTR_FEATURES = 0x1C;
    public static final int GLB_CONTROL_SIZE = 0x20;

    // --- struct panthor_fw_global_input_iface ---
    public static final int GLB_INPUT_REQ = 0x00;
    public static final int GLB_INPUT_ACK_IRQ_MASK = 0x04;
    public static final int GLB_INPUT_DOORBELL_REQ = 0x08;
    public static final int GLB_INPUT_PROGRESS_TIMER = 0x10;
    public static final int GLB_INPUT_POWEROFF_TIMER = 0x14;
    public static final int GLB_INPUT_CORE_EN_MASK = 0x18;
    public static final int GLB_INPUT_IDLE_TIMER = 0x80;
    public static final int GLB_INPUT_SIZE = 0x84;

    // --- struct panthor_fw_global_output_iface ---
    public static final int GLB_OUTPUT_ACK = 0x00;
    public static final int GLB_OUTPUT_DOORBELL_ACK = 0x08;
    public static final int GLB_OUTPUT_HALT_STATUS = 0x10;
    public static final int GLB_OUTPUT_SIZE = 0x1C;

    // --- GLB req/ack bits ---
    public static final int GLB_HALT = 1 << 0;
    public static final int GLB_CFG_PROGRESS_TIMER = 1 << 1;
    public static final int GLB_CFG_ALLOC_EN = 1 << 2;
    public static final int GLB_CFG_POWEROFF_TIMER = 1 << 3;
    public static final int GLB_PROTM_ENTER = 1 << 4;
    public static final int GLB_PERFCNT_EN = 1 << 5;
    public static final int GLB_PERFCNT_SAMPLE = 1 << 6;
    public static final int GLB_COUNTER_EN = 1 << 7;
    public static final int GLB_PING = 1 << 8;
    public static final int GLB_FWCFG_UPDATE = 1 << 9;
    public static final int GLB_IDLE_EN = 1 << 10;
    public static final int GLB_SLEEP = 1 << 12;
    public static final int GLB_INACTIVE_COMPUTE = 1 << 20;
    public static final int GLB_INACTIVE_FRAGMENT = 1 << 21;
    public static final int GLB_INACTIVE_TILER = 1 << 22;
    public static final int GLB_PROTM_EXIT = 1 << 23;
    public static final int GLB_PERFCNT_THRESHOLD = 1 << 24;
    public static final int GLB_PERFCNT_OVERFLOW = 1 << 25;
    public static final int GLB_IDLE = 1 << 26;
    public static final int GLB_DBG_CSF = 1 << 30;
    public static final int GLB_DBG_HOST = 1 << 31;
    public static final int GLB_REQ_MASK = 0x7FF;
    public static final int GLB_EVT_MASK = 0x7F0_0000;

    /** GLB_TIMER_VAL(x): bits 30:0. */
    public static int glbTimerVal(long x) {
        return (int) (x & 0x7FFF_FFFFL);
    }

    public static final int GLB_TIMER_SOURCE_GPU_COUNTER = 1 << 31;

    // --- struct panthor_fw_csg_control_iface ---
    public static final int CSG_CONTROL_FEATURES = 0x00;
    public static final int CSG_CONTROL_INPUT_VA = 0x04;
    public static final int CSG_CONTROL_OUTPUT_VA = 0x08;
    public static final int CSG_CONTROL_SUSPEND_SIZE = 0x0C;
    public static final int CSG_CONTROL_PROTM_SUSPEND_SIZE = 0x10;
    public static final int CSG_CONTROL_STREAM_NUM = 0x14;
    public static final int CSG_CONTROL_STREAM_STRIDE = 0x18;
    public static final int CSG_CONTROL_SIZE = 0x1C;

    // --- struct panthor_fw_csg_input_iface ---
    public static final int CSG_INPUT_REQ = 0x00;
    public static final int CSG_INPUT_ACK_IRQ_MASK = 0x04;
    public static final int CSG_INPUT_DOORBELL_REQ = 0x08;
    public static final int CSG_INPUT_CS_IRQ_ACK = 0x0C;
    public static final int CSG_INPUT_ALLOW_COMPUTE = 0x20;
    public static final int CSG_INPUT_ALLOW_FRAGMENT = 0x28;
    public static final int CSG_INPUT_ALLOW_OTHER = 0x30;
    public static final int CSG_INPUT_ENDPOINT_REQ = 0x34;
    public static final int CSG_INPUT_SUSPEND_BUF = 0x40;
    public static final int CSG_INPUT_PROTM_SUSPEND_BUF = 0x48;
    public static final int CSG_INPUT_CONFIG = 0x50;
    public static final int CSG_INPUT_ITER_TRACE_CONFIG = 0x54;

    // --- struct panthor_fw_csg_output_iface ---
    public static final int CSG_OUTPUT_ACK = 0x00;
    public static final int CSG_OUTPUT_DOORBELL_ACK = 0x08;
    public static final int CSG_OUTPUT_CS_IRQ_REQ = 0x0C;
    public static final int CSG_OUTPUT_STATUS_EP_CURRENT = 0x10;
    public static final int CSG_OUTPUT_STATUS_EP_REQ = 0x14;
    public static final int CSG_OUTPUT_STATUS_STATE = 0x18;
    public static final int CSG_OUTPUT_RESOURCE_DEP = 0x1C;

    // --- CSG req/ack bits ---
    public static final int CSG_STATE_MASK = 0x7;
    public static final int CSG_STATE_TERMINATE = 0;
    public static final int CSG_STATE_START = 1;
    public static final int CSG_STATE_SUSPEND = 2;
    public static final int CSG_STATE_RESUME = 3;
    public static final int CSG_ENDPOINT_CONFIG = 1 << 4;
    public static final int CSG_STATUS_UPDATE = 1 << 5;
    public static final int CSG_SYNC_UPDATE = 1 << 28;
    public static final int CSG_IDLE = 1 << 29;
    public static final int CSG_DOORBELL = 1 << 30;
    public static final int CSG_PROGRESS_TIMER_EVENT = 1 << 31;
    public static final int CSG_REQ_MASK = CSG_STATE_MASK | CSG_ENDPOINT_CONFIG | CSG_STATUS_UPDATE;
    public static final int CSG_EVT_MASK = CSG_SYNC_UPDATE | CSG_IDLE | CSG_PROGRESS_TIMER_EVENT;

    // --- struct panthor_fw_cs_control_iface ---
    public static final int CS_CONTROL_FEATURES = 0x00;
    public static final int CS_CONTROL_INPUT_VA = 0x04;
    public static final int CS_CONTROL_OUTPUT_VA = 0x08;
    public static final int CS_CONTROL_SIZE = 0x0C;

    /** CS_FEATURES_WORK_REGS(x): bits 7:0 + 1. */
    public static int csFeaturesWorkRegs(int features) {
        return (features & 0xff) + 1;
    }

    /** CS_FEATURES_SCOREBOARDS(x): bits 15:8. */
    public static int csFeaturesScoreboards(int features) {
        return (features >>> 8) & 0xff;
    }

    public static final int CS_FEATURES_COMPUTE = 1 << 16;
    public static final int CS_FEATURES_FRAGMENT = 1 << 17;
    public static final int CS_FEATURES_TILER = 1 << 18;

    // --- struct panthor_fw_cs_input_iface ---
    public static final int CS_INPUT_REQ = 0x00;
    public static final int CS_INPUT_CONFIG = 0x04;
    public static final int CS_INPUT_ACK_IRQ_MASK = 0x0C;
    public static final int CS_INPUT_RINGBUF_BASE = 0x10;
    public static final int CS_INPUT_RINGBUF_SIZE = 0x18;
    public static final int CS_INPUT_HEAP_START = 0x20;
    public static final int CS_INPUT_HEAP_END = 0x28;
    public static final int CS_INPUT_RINGBUF_INPUT = 0x30;
    public static final int CS_INPUT_RINGBUF_OUTPUT = 0x38;

    // --- struct panthor_fw_cs_output_iface ---
    public static final int CS_OUTPUT_ACK = 0x00;
    public static final int CS_OUTPUT_STATUS_CMD_PTR = 0x40;
    public static final int CS_OUTPUT_STATUS_WAIT = 0x48;
    public static final int CS_OUTPUT_STATUS_REQ_RESOURCE = 0x4C;
    public static final int CS_OUTPUT_STATUS_WAIT_SYNC_PTR = 0x50;
    public static final int CS_OUTPUT_STATUS_WAIT_SYNC_VALUE = 0x58;
    public static final int CS_OUTPUT_STATUS_SCOREBOARDS = 0x5C;
    public static final int CS_OUTPUT_STATUS_BLOCKED_REASON = 0x60;
    public static final int CS_OUTPUT_STATUS_WAIT_SYNC_VALUE_HI = 0x64;
    public static final int CS_OUTPUT_FAULT = 0x80;
    public static final int CS_OUTPUT_FATAL = 0x84;
    public static final int CS_OUTPUT_FAULT_INFO = 0x88;
    public static final int CS_OUTPUT_FATAL_INFO = 0x90;

    // --- CS req/ack bits ---
    public static final int CS_STATE_MASK = 0x7;
    public static final int CS_STATE_STOP = 0;
    public static final int CS_STATE_START = 1;
    public static final int CS_EXTRACT_EVENT = 1 << 4;
    public static final int CS_IDLE_SYNC_WAIT = 1 << 8;
    public static final int CS_IDLE_PROTM_PENDING = 1 << 9;
    public static final int CS_IDLE_EMPTY = 1 << 10;
    public static final int CS_IDLE_RESOURCE_REQ = 1 << 11;
    public static final int CS_TILER_OOM = 1 << 26;
    public static final int CS_PROTM_PENDING = 1 << 27;
    public static final int CS_FATAL = 1 << 30;
    public static final int CS_FAULT = 1 << 31;
    public static final int CS_REQ_MASK = CS_STATE_MASK | CS_EXTRACT_EVENT | CS_IDLE_SYNC_WAIT
            | CS_IDLE_PROTM_PENDING | CS_IDLE_EMPTY | CS_IDLE_RESOURCE_REQ;
    public static final int CS_EVT_MASK = CS_TILER_OOM | CS_PROTM_PENDING | CS_FATAL | CS_FAULT;

    // --- queue user I/O pages (panthor_fw_ringbuf_{input,output}_iface) ---
    public static final int RINGBUF_INPUT_INSERT = 0x00;
    public static final int RINGBUF_INPUT_EXTRACT = 0x08;
    public static final int RINGBUF_OUTPUT_EXTRACT = 0x00;
    public static final int RINGBUF_OUTPUT_ACTIVE = 0x08;

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
