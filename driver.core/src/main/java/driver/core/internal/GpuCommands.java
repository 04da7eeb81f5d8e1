package driver.core.internal;

import driver.core.api.GpuInfo;
import driver.core.api.PanthorDevice;
import driver.core.slot.SlotInfo;
import driver.core.slot.SubsystemSlots;
import driver.core.uapi.PanthorIoctls;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** The {@code gpu:*} shell commands. */
@Component(service = GpuCommands.class, property = {
        "osgi.command.scope=gpu",
        "osgi.command.function=info"})
public final class GpuCommands {

    private final PanthorDevice device;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SubsystemSlots slots;

    @Activate
    public GpuCommands(@Reference PanthorDevice device) {
        this.device = device;
    }

    @Descriptor("show the GPU identification read at probe, the UABI version and the active implementation "
            + "per subsystem")
    public String info() {
        StringBuilder sb = new StringBuilder(InfoTable.render(device.gpuInfo())).append(System.lineSeparator());
        sb.append(String.format("%-16s %s%n", "uabi", "panthor " + PanthorIoctls.VERSION_MAJOR + "."
                + PanthorIoctls.VERSION_MINOR));
        SubsystemSlots s = slots;
        if (s == null) {
            sb.append(String.format("%-16s %s%n", "subsystems", "(slots not running)"));
        } else {
            for (SlotInfo i : s.slots()) {
                String active = !"-".equals(i.activeImpl()) ? i.activeImpl()
                        : (i.mandatory() ? "none" : "none (fallback)");
                sb.append(String.format("%-16s %s [%s]%n", i.subsystem(), active, i.status()));
            }
        }
        return sb.toString().stripTrailing();
    }

    /** Formats {@link GpuInfo} as the two-column table {@code gpu:info} prints. */
    static final class InfoTable {
        private InfoTable() {}

        static String render(GpuInfo i) {
            StringBuilder sb = new StringBuilder();
            row(sb, "model", i.modelName());
            row(sb, "gpu_id", hex(i.gpuId()) + " (id 0x" + Integer.toHexString(i.productId()) + ")");
            row(sb, "arch", i.archMajor() + "." + i.archMinor() + "." + i.archRev());
            row(sb, "product_major", Integer.toString(i.productMajor()));
            row(sb, "version", "r" + i.versionMajor() + "p" + i.versionMinor() + " status " + i.versionStatus());
            row(sb, "csf_id", hex(i.csfId()));
            row(sb, "l2_features", hex(i.l2Features()));
            row(sb, "tiler_features", hex(i.tilerFeatures()));
            row(sb, "mem_features", hex(i.memFeatures()));
            row(sb, "mmu_features", hex(i.mmuFeatures()) + " (va_bits " + i.vaBits() + ", pa_bits " + i.paBits() + ")");
            row(sb, "thread_features", hex(i.threadFeatures()));
            row(sb, "max_threads", Integer.toString(i.maxThreads()));
            row(sb, "as_present", hex(i.asPresent()) + " (" + Integer.bitCount(i.asPresent()) + " address spaces)");
            row(sb, "shader_present", hex64(i.shaderPresent()) + " (" + Long.bitCount(i.shaderPresent()) + " cores)");
            row(sb, "l2_present", hex64(i.l2Present()));
            row(sb, "tiler_present", hex64(i.tilerPresent()));
            sb.setLength(sb.length() - 1);
            return sb.toString();
        }

        private static void row(StringBuilder sb, String key, String value) {
            sb.append(String.format("%-16s %s%n", key, value));
        }

        private static String hex(int v) { return String.format("0x%08x", v); }

        private static String hex64(long v) { return String.format("0x%x", v); }
    }
}
