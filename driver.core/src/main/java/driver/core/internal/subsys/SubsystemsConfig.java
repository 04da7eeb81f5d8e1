package driver.core.internal.subsys;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of PID {@value #PID}: the wanted implementation per subsystem and the grace
 * period. The launcher keeps ConfigAdmin's files in {@code .panthor/config}, so the choice
 * survives restarts.
 */
@ObjectClassDefinition(id = SubsystemsConfig.PID, name = "Panthor subsystems",
        description = "Which implementation each subsystem slot of the panthor driver should use")
public @interface SubsystemsConfig {

    String PID = "driver.core.subsystems";

    @AttributeDefinition(name = "MMU implementation", required = false,
            description = "impl name of the wanted MMU (e.g. cstyle, rewritten); empty = best available")
    String mmu_impl() default "";

    @AttributeDefinition(name = "Scheduler implementation", required = false,
            description = "impl name of the wanted scheduler; empty = best available")
    String sched_impl() default "";

    @AttributeDefinition(name = "devfreq implementation", required = false,
            description = "impl name of the wanted devfreq; empty = best available (none: fixed OPP)")
    String devfreq_impl() default "";

    @AttributeDefinition(name = "coredump implementation", required = false,
            description = "impl name of the wanted coredump; empty = best available (none: no dumps)")
    String coredump_impl() default "";

    @AttributeDefinition(name = "Grace period (ms)", min = "0",
            description = "how long a UABI call waits for a missing MMU or scheduler before ENODEV")
    long grace_ms() default 5000;
}
