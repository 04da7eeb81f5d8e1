package driver.core.internal.device;

import driver.core.api.PanthorDevice;
import driver.core.internal.PanthorDeviceComponent;
import driver.core.uapi.Errno;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@code gpu:reset} shell command (the other {@code gpu:*} commands live in GpuCommands). */
@Component(service = DeviceCommands.class, property = {
        "osgi.command.scope=gpu",
        "osgi.command.function=reset"})
public final class DeviceCommands {

    private final PanthorDevice device;

    @Activate
    public DeviceCommands(@Reference PanthorDevice device) {
        this.device = device;
    }

    @Descriptor("reset the GPU as panthor's reset work does (pre-reset hooks, soft reset, L2 on, "
            + "firmware reboot, post-reset hooks), wait for it and print the steps")
    public String reset() {
        if (!(device instanceof PanthorDeviceComponent component)) {
            throw new IllegalArgumentException("gpu:reset: not a panthor device");
        }
        PanthorDeviceCore core = component.core();
        if (core.isUnplugged()) {
            throw new IllegalArgumentException("gpu:reset: device unplugged");
        }
        int ret = core.resumeAndGet();
        if (ret != 0) {
            throw new IllegalArgumentException("gpu:reset: resume failed: " + Errno.name(ret));
        }
        int before = core.steps().size();
        long start = core.time().nowNanos();
        try {
            core.scheduleReset();
            core.resetWq().flush();
        } finally {
            core.pm().putAutosuspend();
        }
        long took = core.time().nowNanos() - start;
        List<String> steps = core.steps();
        String sequence = String.join(" -> ", steps.subList(Math.min(before, steps.size()), steps.size()));
        return String.format("reset: %s%nvirtual time: %d us%nstate: %s%nfirmware: %s",
                sequence.isEmpty() ? "(nothing to do)" : sequence, took / 1000, core.state(),
                core.fw().booted() ? "booted" : "not running");
    }
}
