package hw.model.internal.shell;

import hw.model.api.Mmio;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code gpu:regs [block]}: the register dump of {@link RegsCommand} as a shell command. */
@Component(service = GpuRegsCommands.class, property = {
        "osgi.command.scope=gpu",
        "osgi.command.function=regs"})
public final class GpuRegsCommands {

    private final Mmio mmio;
    private final RegsCommand regs = new RegsCommand();

    @Activate
    public GpuRegsCommands(@Reference Mmio mmio) {
        this.mmio = mmio;
    }

    @Descriptor("dump every register block, decoded by field with the generated register names")
    public String regs() {
        return regs.regs(mmio, null);
    }

    @Descriptor("dump one register block, decoded by field with the generated register names")
    public String regs(
            @Descriptor("GPU_CONTROL, JOB_CONTROL, MMU, MMU_AS (every AS), MMU_AS<n> (one AS) or CSF") String block) {
        return regs.regs(mmio, block);
    }
}
