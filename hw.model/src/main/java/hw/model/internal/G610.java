package hw.model.internal;

/**
 * DOC: The Mali-G610 fixture.
 *
 * Identification values of the GPU this model implements: a Mali-G610 MC4 as found on
 * RK3588 boards. Everything except GPU_ID comes from the register dump in Mesa's
 * drm-shim ({@code src/panfrost/drm-shim/panfrost_noop.c}, "Dumped from a G610").
 * GPU_ID is product 0xa867 (arch 10.8.6, product major 7) at r0p0; its status nibble (5)
 * is what RK3588 boards are reported to print and is not confirmed by a primary source.
 */
public final class G610 {
    private G610() {}

    public static final int GPU_ID = 0xa867_0005;
    public static final int CSF_ID = 0x040a_0412;
    public static final int L2_FEATURES = 0x0712_0306;
    public static final int CORE_FEATURES = 0x0000_0000;
    public static final int TILER_FEATURES = 0x0000_0809;
    public static final int MEM_FEATURES = 0x0000_0301;
    public static final int MMU_FEATURES = 0x0000_2830;
    public static final int AS_PRESENT = 0x0000_00ff;
    public static final int THREAD_MAX_THREADS = 2048;
    public static final int THREAD_MAX_WORKGROUP_SIZE = 1024;
    public static final int THREAD_MAX_BARRIER_SIZE = 1024;
    public static final int THREAD_FEATURES = 0x0401_0000;
    public static final int[] TEXTURE_FEATURES = {0xc1ff_ff9e, 0, 0, 0};
    public static final int COHERENCY_FEATURES = 0x0000_0000;
    public static final int GPU_REVID = 0;
    public static final long SHADER_PRESENT = 0x5_0005L;
    public static final long TILER_PRESENT = 0x1L;
    public static final long L2_PRESENT = 0x1L;

    /** CSIF values the firmware reports (drm-shim fixture). */
    public static final int CSG_SLOT_COUNT = 8;
    public static final int CS_SLOT_COUNT = 8;
    public static final int CS_REG_COUNT = 96;
    public static final int SCOREBOARD_SLOT_COUNT = 8;
    public static final int UNPRESERVED_CS_REG_COUNT = 4;

    /** Size of the register window Tyr maps (2 MiB), enough for GPU_CONTROL through the doorbells. */
    public static final int IOMEM_SIZE = 2 << 20;

    public static int vaBits() { return MMU_FEATURES & 0xff; }
    public static int paBits() { return (MMU_FEATURES >>> 8) & 0xff; }
}
