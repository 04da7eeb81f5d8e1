package hw.model.csf;

/**
 * DOC: CSF firmware interface layout.
 *
 * Field offsets and bit definitions of the host/firmware interfaces, as declared in Linux
 * {@code drivers/gpu/drm/panthor/panthor_fw.h} (struct panthor_fw_*_iface) and
 * {@code panthor_fw.c} (CSF_MCU_SHARED_REGION_START, CSF_GROUP_CONTROL_OFFSET,
 * CSF_STREAM_CONTROL_OFFSET, CSF_IFACE_VERSION). Offsets are in bytes from the start of each
 * struct; all fields are little-endian.
 *
 * The second half ("this firmware's placement") is the model firmware's own choice of where
 * in the shared section it puts the input/output areas; a driver finds those through the
 * input_va/output_va fields of the control interfaces, exactly as panthor_fw_init_ifaces()
 * does, and must not hard-code them.
 */
public final class CsfLayout {
    private CsfLayout() {}

    // --- MCU address map (panthor_fw.c) ---
    public static final long CSF_MCU_SHARED_REGION_START = 0x0400_0000L;
    public static final long CSF_MCU_SHARED_REGION_SIZE = 0x0400_0000L;
    public static final int CSF_GROUP_CONTROL_OFFSET = 0x1000;
    public static final int CSF_STREAM_CONTROL_OFFSET = 0x40;
    public static final int MAX_CSGS = 31;
    public static final int MAX_CS_PER_CSG = 32;
    public static final int MIN_CSGS = 3;
    public static final int MIN_CS_PER_CSG = 8;

    public static int ifaceVersion(int major, int minor, int patch) {
        return (major << 24) | (minor << 16) | patch;
    }

    // --- struct panthor_fw_global_control_iface ---
    public static final int GLB_CONTROL_VERSION = 0x00;
    public static final int GLB_CONTROL_FEATURES = 0x04;
    public static final int GLB_CONTROL_INPUT_VA = 0x08;
    public static final int GLB_CONTROL_OUTPUT_VA = 0x0C;
    public static final int GLB_CONTROL_GROUP_NUM = 0x10;
    public static final int GLB_CONTROL_GROUP_STRIDE = 0x14;
    public static final int GLB_CONTROL_PERFCNT_SIZE = 0x18;
    public static final int GLB_CONTROL_INSTR_FEATURES = 0x1C;

    // --- struct panthor_fw_global_input_iface ---
    public static final int GLB_INPUT_REQ = 0x00;
    public static final int GLB_INPUT_ACK_IRQ_MASK = 0x04;
    public static final int GLB_INPUT_DOORBELL_REQ = 0x08;
    public static final int GLB_INPUT_PROGRESS_TIMER = 0x10;
    public static final int GLB_INPUT_POWEROFF_TIMER = 0x14;
    public static final int GLB_INPUT_CORE_EN_MASK = 0x18;
    public static final int GLB_INPUT_PERFCNT_AS = 0x24;
    public static final int GLB_INPUT_PERFCNT_BASE = 0x28;
    public static final int GLB_INPUT_PERFCNT_EXTRACT = 0x30;
    public static final int GLB_INPUT_PERFCNT_CONFIG = 0x40;
    public static final int GLB_INPUT_PERFCNT_CSG_SELECT = 0x44;
    public static final int GLB_INPUT_PERFCNT_FW_ENABLE = 0x48;
    public static final int GLB_INPUT_PERFCNT_CSG_ENABLE = 0x4C;
    public static final int GLB_INPUT_PERFCNT_CSF_ENABLE = 0x50;
    public static final int GLB_INPUT_PERFCNT_SHADER_ENABLE = 0x54;
    public static final int GLB_INPUT_PERFCNT_TILER_ENABLE = 0x58;
    public static final int GLB_INPUT_PERFCNT_MMU_L2_ENABLE = 0x5C;
    public static final int GLB_INPUT_IDLE_TIMER = 0x80;
    public static final int GLB_INPUT_SIZE = 0x84;

    // --- struct panthor_fw_global_output_iface ---
    public static final int GLB_OUTPUT_ACK = 0x00;
    public static final int GLB_OUTPUT_DOORBELL_ACK = 0x08;
    public static final int GLB_OUTPUT_HALT_STATUS = 0x10;
    public static final int GLB_OUTPUT_PERFCNT_STATUS = 0x14;
    public static final int GLB_OUTPUT_PERFCNT_INSERT = 0x18;
    public static final int GLB_OUTPUT_SIZE = 0x1C;

    // --- global req/ack bits ---
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
    /** GLB_TIMER_VAL(x): bits 30:0 in units of 1024 timer ticks. */
    public static final int GLB_TIMER_VAL_MASK = 0x7FFF_FFFF;
    public static final int GLB_TIMER_SOURCE_GPU_COUNTER = 1 << 31;

    // --- enum panthor_fw_halt_status ---
    public static final int HALT_OK = 0;
    public static final int HALT_ON_PANIC = 0x4e;
    public static final int HALT_ON_WATCHDOG_EXPIRATION = 0x4f;

    // --- struct panthor_fw_csg_control_iface ---
    public static final int CSG_CONTROL_FEATURES = 0x00;
    public static final int CSG_CONTROL_INPUT_VA = 0x04;
    public static final int CSG_CONTROL_OUTPUT_VA = 0x08;
    public static final int CSG_CONTROL_SUSPEND_SIZE = 0x0C;
    public static final int CSG_CONTROL_PROTM_SUSPEND_SIZE = 0x10;
    public static final int CSG_CONTROL_STREAM_NUM = 0x14;
    public static final int CSG_CONTROL_STREAM_STRIDE = 0x18;

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
    public static final int CSG_INPUT_SIZE = 0x58;

    // --- struct panthor_fw_csg_output_iface ---
    public static final int CSG_OUTPUT_ACK = 0x00;
    public static final int CSG_OUTPUT_DOORBELL_ACK = 0x08;
    public static final int CSG_OUTPUT_CS_IRQ_REQ = 0x0C;
    public static final int CSG_OUTPUT_STATUS_EP_CURRENT = 0x10;
    public static final int CSG_OUTPUT_STATUS_EP_REQ = 0x14;
    public static final int CSG_OUTPUT_STATUS_STATE = 0x18;
    public static final int CSG_OUTPUT_RESOURCE_DEP = 0x1C;
    public static final int CSG_OUTPUT_SIZE = 0x20;

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
    public static final int CSG_STATUS_STATE_IS_IDLE = 1 << 0;

    // --- endpoint_req fields (CSG_EP_REQ_*) ---
    public static int epReqCompute(int ep) { return ep & 0xFF; }
    public static int epReqFragment(int ep) { return (ep >>> 8) & 0xFF; }
    public static int epReqTiler(int ep) { return (ep >>> 16) & 0xF; }
    public static int epReqPriority(int ep) { return (ep >>> 28) & 0xF; }
    public static final int CSG_EP_REQ_EXCL_COMPUTE = 1 << 20;
    public static final int CSG_EP_REQ_EXCL_FRAGMENT = 1 << 21;
    public static final int CSG_EP_REQ_PRIORITY_MASK = 0xF000_0000;

    // --- struct panthor_fw_cs_control_iface ---
    public static final int CS_CONTROL_FEATURES = 0x00;
    public static final int CS_CONTROL_INPUT_VA = 0x04;
    public static final int CS_CONTROL_OUTPUT_VA = 0x08;
    public static final int CS_FEATURES_COMPUTE = 1 << 16;
    public static final int CS_FEATURES_FRAGMENT = 1 << 17;
    public static final int CS_FEATURES_TILER = 1 << 18;

    /** CS_FEATURES value for {@code workRegs} registers and {@code scoreboards} scoreboards. */
    public static int csFeatures(int workRegs, int scoreboards) {
        return ((workRegs - 1) & 0xFF) | ((scoreboards & 0xFF) << 8)
                | CS_FEATURES_COMPUTE | CS_FEATURES_FRAGMENT | CS_FEATURES_TILER;
    }

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
    public static final int CS_INPUT_INSTR_CONFIG = 0x40;
    public static final int CS_INPUT_INSTRBUF_SIZE = 0x44;
    public static final int CS_INPUT_INSTRBUF_BASE = 0x48;
    public static final int CS_INPUT_INSTRBUF_OFFSET_PTR = 0x50;
    public static final int CS_INPUT_SIZE = 0x58;

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
    public static final int CS_OUTPUT_HEAP_VT_START = 0xC0;
    public static final int CS_OUTPUT_HEAP_VT_END = 0xC4;
    public static final int CS_OUTPUT_HEAP_FRAG_END = 0xCC;
    public static final int CS_OUTPUT_HEAP_ADDRESS = 0xD0;
    public static final int CS_OUTPUT_SIZE = 0xD8;

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

    /** CS_CONFIG_PRIORITY (3:0) and CS_CONFIG_DOORBELL (15:8). */
    public static int csConfigPriority(int config) { return config & 0xF; }
    public static int csConfigDoorbell(int config) { return (config >>> 8) & 0xFF; }

    // --- status_wait / status_blocked_reason ---
    public static final int CS_STATUS_WAIT_SB_MASK = 0xFFFF;
    public static final int CS_STATUS_WAIT_SB_SRC_WAIT = 8 << 16;
    public static final int CS_STATUS_WAIT_SYNC_COND_LE = 0;
    public static final int CS_STATUS_WAIT_SYNC_COND_GT = 1 << 24;
    public static final int CS_STATUS_WAIT_PROGRESS = 1 << 28;
    public static final int CS_STATUS_WAIT_PROTM = 1 << 29;
    public static final int CS_STATUS_WAIT_SYNC_64B = 1 << 30;
    public static final int CS_STATUS_WAIT_SYNC = 1 << 31;
    public static final int CS_STATUS_BLOCKED_REASON_UNBLOCKED = 0;
    public static final int CS_STATUS_BLOCKED_REASON_SB_WAIT = 1;
    public static final int CS_STATUS_BLOCKED_REASON_PROGRESS_WAIT = 2;
    public static final int CS_STATUS_BLOCKED_REASON_SYNC_WAIT = 3;
    public static final int CS_STATUS_BLOCKED_REASON_DEFERRED = 4;
    public static final int CS_STATUS_BLOCKED_REASON_RESOURCE = 5;
    public static final int CS_STATUS_BLOCKED_REASON_FLUSH = 6;

    /** fault/fatal: CS_EXCEPTION_TYPE (7:0) and CS_EXCEPTION_DATA (31:8). */
    public static int exception(int type, int data) {
        return (type & 0xFF) | ((data & 0xFF_FFFF) << 8);
    }

    // --- user I/O pages of a queue (panthor_fw_ringbuf_{input,output}_iface) ---
    public static final int RINGBUF_INPUT_INSERT = 0x00;
    public static final int RINGBUF_INPUT_EXTRACT = 0x08;
    public static final int RINGBUF_OUTPUT_EXTRACT = 0x00;
    public static final int RINGBUF_OUTPUT_ACTIVE = 0x08;

    // =====================================================================================
    // This firmware's placement of the interfaces (offsets from CSF_MCU_SHARED_REGION_START).
    // =====================================================================================

    /** Interface version the model firmware reports: 1.1.0 (instr_features valid from 1.1). */
    public static final int FW_VERSION = ifaceVersion(1, 1, 0);
    public static final int FW_GLB_FEATURES = 0;
    public static final int FW_INSTR_FEATURES = 0;
    public static final int FW_GROUP_STRIDE = 0x1000;
    public static final int FW_STREAM_STRIDE = 0x40;
    public static final int FW_SUSPEND_SIZE = 0x4000;
    public static final int FW_PROTM_SUSPEND_SIZE = 0x4000;
    public static final int FW_CSG_FEATURES = 0;

    /** Global input at +0x9000 and output at +0xA000 (one page each). */
    public static final int FW_GLB_INPUT_OFFSET = 0x9000;
    public static final int FW_GLB_OUTPUT_OFFSET = 0xA000;
    /** CSG n: input page at +0xB000 + n*0x2000, output page 0x1000 above it. */
    public static final int FW_CSG_IO_OFFSET = 0xB000;
    public static final int FW_CSG_IO_STRIDE = 0x2000;
    /** Within a CSG's input/output page: the CS m area starts at 0x100 + m*stride. */
    public static final int FW_CS_INPUT_BASE = 0x100;
    public static final int FW_CS_INPUT_STRIDE = 0x80;
    public static final int FW_CS_OUTPUT_BASE = 0x100;
    public static final int FW_CS_OUTPUT_STRIDE = 0x100;

    /**
     * Bytes of the shared section the firmware touches, rounded up to 64 KiB: the driver must map
     * at least this much (read/write) at CSF_MCU_SHARED_REGION_START in the MCU VM (AS0) before it
     * enables the MCU, or the firmware faults while writing its interfaces.
     */
    public static final int FW_SHARED_SECTION_SIZE = 0x2_0000;

    public static int csgControlOffset(int csg) {
        return CSF_GROUP_CONTROL_OFFSET + csg * FW_GROUP_STRIDE;
    }

    public static int csControlOffset(int csg, int cs) {
        return csgControlOffset(csg) + CSF_STREAM_CONTROL_OFFSET + cs * FW_STREAM_STRIDE;
    }

    public static int csgInputOffset(int csg) {
        return FW_CSG_IO_OFFSET + csg * FW_CSG_IO_STRIDE;
    }

    public static int csgOutputOffset(int csg) {
        return csgInputOffset(csg) + 0x1000;
    }

    public static int csInputOffset(int csg, int cs) {
        return csgInputOffset(csg) + FW_CS_INPUT_BASE + cs * FW_CS_INPUT_STRIDE;
    }

    public static int csOutputOffset(int csg, int cs) {
        return csgOutputOffset(csg) + FW_CS_OUTPUT_BASE + cs * FW_CS_OUTPUT_STRIDE;
    }
}
