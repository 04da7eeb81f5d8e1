package driver.core.subsys.mmu;

import driver.core.kernel.DmaFence;
import driver.core.kernel.GemObject;
import driver.core.slot.SubsystemState;
import driver.core.uapi.DrmPanthorVmBindOp;
import java.util.List;
import java.util.Objects;

/**
 * DOC: The MMU's implementation-neutral state.
 *
 * Everything another MMU implementation needs to continue exactly where one stopped: every VM
 * with its VA layout, its mapping tree and the page-table pages it owns in GPU memory
 * (adopted, never rebuilt), the address-space slot table with its eviction order, and the
 * asynchronous binds queued on each VM's bind queue. Kernel objects owned by the driver core
 * ({@link GemObject}, {@link DmaFence}) appear by reference: they are the same objects before
 * and after a swap, so identity equality is the right equality for them.
 *
 * @param version     {@link #VERSION}
 * @param nextVmKey   the next {@link VmRef#key()} to hand out
 * @param vms         every VM, by key
 * @param addressSpaces the AS slot table, AS0 first
 * @param lruClock    the counter behind {@link AsSlotState#lruOrder()}
 */
public record MmuState(int version, long nextVmKey, List<VmState> vms, List<AsSlotState> addressSpaces,
                       long lruClock) implements SubsystemState {

    public static final int VERSION = 1;

    public MmuState {
        vms = List.copyOf(vms);
        addressSpaces = List.copyOf(addressSpaces);
    }

    /*
     * equals and hashCode are written out in these records, with exactly the meaning of the
     * generated ones (every component, references with Objects.equals). The generated ones
     * (java.lang.runtime.ObjectMethods) were measured at microseconds per record for these
     * many-component records, which made the slot's verification of a swap
     * ({@code imported.equals(new.exportState())}) the largest part of the pause.
     */

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof MmuState m && version == m.version && nextVmKey == m.nextVmKey
                && lruClock == m.lruClock && vms.equals(m.vms) && addressSpaces.equals(m.addressSpaces);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, nextVmKey, vms, addressSpaces, lruClock);
    }

    /**
     * An idle device: no VMs yet (the MCU VM is created by the first owner), {@code asCount}
     * free address spaces.
     */
    public static MmuState initial(int asCount) {
        List<AsSlotState> slots = new java.util.ArrayList<>();
        for (int i = 0; i < asCount; i++) {
            slots.add(new AsSlotState(i, -1, 0, false, -1));
        }
        return new MmuState(VERSION, 1, List.of(), slots, 0);
    }

    /**
     * One VM.
     *
     * @param key            its {@link VmRef#key()}
     * @param forMcu         the MCU's VM (AS0, 4 GiB)
     * @param clientId       owning file, 0 for kernel VMs
     * @param handle         id in the file's pool, 0 if none
     * @param userVaRange    user VA range [0, userVaRange)
     * @param kernelVaStart  kernel VA range start
     * @param kernelVaSize   kernel VA range size
     * @param pgd            physical address of the level-0 table
     * @param pageTablePages physical addresses of every page-table page it owns, sorted
     * @param mappings       the mapping tree, by VA
     * @param refs           {@code kref} count
     * @param unusable       a failed asynchronous bind made it unusable
     * @param unhandledFault a page fault not yet handled by the scheduler
     * @param queuedBinds    asynchronous binds not yet executed, in queue order
     */
    public record VmState(long key, boolean forMcu, int clientId, int handle, long userVaRange, long kernelVaStart,
                          long kernelVaSize, long pgd, List<Long> pageTablePages, List<MappingState> mappings,
                          int refs, boolean unusable, boolean unhandledFault, List<QueuedBind> queuedBinds) {
        public VmState {
            pageTablePages = List.copyOf(pageTablePages);
            mappings = List.copyOf(mappings);
            queuedBinds = List.copyOf(queuedBinds);
        }

        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof VmState v && key == v.key && forMcu == v.forMcu
                    && clientId == v.clientId && handle == v.handle && userVaRange == v.userVaRange
                    && kernelVaStart == v.kernelVaStart && kernelVaSize == v.kernelVaSize && pgd == v.pgd
                    && refs == v.refs && unusable == v.unusable && unhandledFault == v.unhandledFault
                    && pageTablePages.equals(v.pageTablePages) && mappings.equals(v.mappings)
                    && queuedBinds.equals(v.queuedBinds);
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, forMcu, clientId, handle, userVaRange, kernelVaStart, kernelVaSize, pgd,
                    pageTablePages, mappings, refs, unusable, unhandledFault, queuedBinds);
        }
    }

    /**
     * A mapping: {@code size} bytes of {@code bo} from {@code boOffset} at {@code va}.
     *
     * @param flags {@code DRM_PANTHOR_VM_BIND_OP_MAP_*} (READONLY, NOEXEC, UNCACHED)
     * @param bo    the mapped BO, null for a sparse mapping (dummy page)
     * @param kernel a kernel BO ({@code panthor_kernel_bo_create})
     */
    public record MappingState(long va, long size, GemObject bo, long boOffset, int flags, boolean kernel) {
        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof MappingState m && va == m.va && size == m.size
                    && boOffset == m.boOffset && flags == m.flags && kernel == m.kernel && Objects.equals(bo, m.bo);
        }

        @Override
        public int hashCode() {
            return Objects.hash(va, size, bo, boOffset, flags, kernel);
        }
    }

    /**
     * An asynchronous bind job on a VM's bind queue.
     *
     * @param ops          the ops, already validated
     * @param waitFences   fences it waits for (from the wait sync ops)
     * @param doneFence    its job fence, signalled when it ran (or with an error)
     * @param bos          the BOs the map ops reference, held by the job
     */
    public record QueuedBind(long seqno, List<DrmPanthorVmBindOp> ops, List<DmaFence> waitFences,
                             DmaFence doneFence, List<GemObject> bos) {
        public QueuedBind {
            ops = List.copyOf(ops);
            waitFences = List.copyOf(waitFences);
            bos = List.copyOf(bos);
            Objects.requireNonNull(doneFence);
        }

        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof QueuedBind q && seqno == q.seqno && ops.equals(q.ops)
                    && waitFences.equals(q.waitFences) && doneFence.equals(q.doneFence) && bos.equals(q.bos);
        }

        @Override
        public int hashCode() {
            return Objects.hash(seqno, ops, waitFences, doneFence, bos);
        }
    }

    /**
     * One address space.
     *
     * @param as       AS number
     * @param vmKey    the VM bound to it, -1 if free
     * @param activeCount how many users hold the VM active ({@code vm->as.active_cnt}: groups on
     *                 CSG slots, the MCU), 0 when idle or free; a count, so that with two groups
     *                 of one VM resident the AS stays unevictable after a swap until both idle
     * @param faulted  disabled after a fault, until reset or re-activation
     * @param lruOrder when the VM went idle ({@link MmuState#lruClock()} value), -1 if not idle
     */
    public record AsSlotState(int as, long vmKey, int activeCount, boolean faulted, long lruOrder) {
        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof AsSlotState a && as == a.as && vmKey == a.vmKey && activeCount == a.activeCount
                    && faulted == a.faulted && lruOrder == a.lruOrder;
        }

        @Override
        public int hashCode() {
            return Objects.hash(as, vmKey, activeCount, faulted, lruOrder);
        }
    }
}
