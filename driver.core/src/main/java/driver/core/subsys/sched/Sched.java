package driver.core.subsys.sched;

import driver.core.slot.Subsystem;
import driver.core.subsys.UabiCall;
import driver.core.subsys.UabiFile;
import driver.core.subsys.mmu.VmRef;
import driver.core.uapi.DrmPanthorGroupCreate;
import driver.core.uapi.DrmPanthorGroupGetState;
import driver.core.uapi.DrmPanthorQueueCreate;
import driver.core.uapi.DrmPanthorQueueSubmit;
import driver.core.uapi.DrmPanthorTilerHeapCreate;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * DOC: The scheduler subsystem contract ({@code panthor_sched.c}, {@code panthor_heap.c}).
 *
 * What the UABI layer, the device (reset, PM, unplug, the JOB IRQ) and the MMU (faults) call
 * in the scheduler. Every call arrives through the sched slot; the scheduler reaches the MMU
 * through the mmu slot ({@link driver.core.subsys.DriverSubsystems#mmu()}). Errors are
 * {@link driver.core.uapi.ErrnoException}s with the errno of the C function.
 *
 * <p>The file's group pool ({@link UabiFile#groups()}) belongs to the driver core; store the
 * group's handle-independent key there, not an implementation object.
 */
@ConsumerType
public interface Sched extends Subsystem<SchedState> {

    // ---- UABI ---------------------------------------------------------------------------

    /**
     * GROUP_CREATE ({@code panthor_group_create()}): queue count, queue array copy, priority
     * permission and pad are already checked. Returns the group handle.
     */
    int groupCreate(UabiCall call, DrmPanthorGroupCreate args, List<DrmPanthorQueueCreate> queues);

    /** GROUP_DESTROY ({@code panthor_group_destroy()}): pending jobs fail with -ECANCELED. */
    void groupDestroy(UabiCall call, int groupHandle);

    /** GROUP_SUBMIT ({@code panthor_ioctl_group_submit()}); each submit's syncs are still raw. */
    void groupSubmit(UabiCall call, int groupHandle, List<DrmPanthorQueueSubmit> submits);

    /** GROUP_GET_STATE: args with state and fatal_queues filled. */
    DrmPanthorGroupGetState groupGetState(UabiCall call, DrmPanthorGroupGetState args);

    /** TILER_HEAP_CREATE ({@code panthor_heap_create()}) in the already resolved {@code vm}. */
    DrmPanthorTilerHeapCreate heapCreate(UabiCall call, VmRef vm, DrmPanthorTilerHeapCreate args);

    /** TILER_HEAP_DESTROY ({@code panthor_heap_destroy()}) of heap {@code handle & 0xffff} in {@code vm}. */
    void heapDestroy(UabiCall call, VmRef vm, int handle);

    /** {@code panthor_group_pool_destroy()} at postclose. */
    void fileClosed(UabiFile file);

    // ---- device hooks -------------------------------------------------------------------

    /** {@code panthor_sched_init()}: 0 or a negative errno. */
    int init();

    /**
     * {@code panthor_sched_report_fw_events()}: JOB_INT bits (31 = global interface, n = CSG
     * slot n). Records and queues work only.
     */
    void reportFwEvents(int events);

    /**
     * {@code panthor_sched_report_mmu_fault()}: {@code vm} has an unhandled fault; its groups
     * become fatal on the next tick.
     */
    void reportMmuFault(VmRef vm);

    /** {@code panthor_sched_pre_reset()}. */
    void preReset();

    /** {@code panthor_sched_post_reset()}. */
    void postReset(boolean resetFailed);

    /** {@code panthor_sched_suspend()}. */
    void suspend();

    /** {@code panthor_sched_resume()}. */
    void resume();

    /** {@code panthor_sched_unplug()}. */
    void unplug();

    /** Whether any group is on a CSG slot with work (the source of devfreq's busy/idle). */
    boolean busy();

    // ---- introspection (sched:groups, sched:slots, sched:queues) --------------------------

    List<GroupInfo> groups();

    List<CsgSlotInfo> csgSlots();

    List<QueueInfo> queues();
}
