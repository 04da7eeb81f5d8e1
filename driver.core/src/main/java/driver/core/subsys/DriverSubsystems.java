package driver.core.subsys;

import driver.core.slot.SubsystemSlot;
import driver.core.subsys.coredump.Coredump;
import driver.core.subsys.coredump.CoredumpState;
import driver.core.subsys.devfreq.Devfreq;
import driver.core.subsys.devfreq.DevfreqState;
import driver.core.subsys.mmu.Mmu;
import driver.core.subsys.mmu.MmuState;
import driver.core.subsys.sched.Sched;
import driver.core.subsys.sched.SchedState;
import org.osgi.annotation.versioning.ProviderType;

/**
 * DOC: The driver's four slots, typed.
 *
 * A service of driver.core. Subsystem implementations reach each other only through these
 * slots (the scheduler calls {@code mmu().call(m -> m.vmActive(vm))}, the MMU calls
 * {@code sched().run(s -> s.reportMmuFault(vm))}), never by holding each other's objects,
 * so either side can be swapped. The shell and the UABI layer use the same slots.
 */
@ProviderType
public interface DriverSubsystems {

    SubsystemSlot<Mmu, MmuState> mmu();

    SubsystemSlot<Sched, SchedState> sched();

    SubsystemSlot<Devfreq, DevfreqState> devfreq();

    SubsystemSlot<Coredump, CoredumpState> coredump();
}
