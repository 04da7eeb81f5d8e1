package driver.core.subsys.sched;

import driver.core.subsys.mmu.VmRef;

/**
 * A group for {@code sched:groups}.
 *
 * @param state       {@code created}, {@code active}, {@code suspended}, {@code terminated}, {@code unknown}
 * @param csgSlot     its CSG slot, -1 if none
 * @param fatalQueues bit mask of queues that hit a fatal error
 */
public record GroupInfo(int clientId, int handle, VmRef vm, int priority, int queueCount, String state,
                        int csgSlot, int fatalQueues, boolean timedOut, boolean innocent, long jobsInFlight) {
}
