package driver.mmu.rewritten;

import driver.core.kernel.DmaFence;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An asynchronous VM_BIND op on its VM's {@link BindQueue} ({@code struct panthor_vm_bind_job}):
 * the prepared op, the fences it waits for, its own done fence (armed when the batch is
 * accepted) and its place on the queue's timeline.
 */
final class BindJob {

    final PreparedOp op;
    final List<DmaFence> waitFences = new ArrayList<>();
    DmaFence doneFence;
    long seqno;
    /** Wakes the queue when a wait fence signals; registered while the job is queued. */
    Consumer<DmaFence> wakeup;

    BindJob(PreparedOp op) {
        this.op = op;
    }

    boolean ready() {
        for (DmaFence f : waitFences) {
            if (!f.isSignaled()) {
                return false;
            }
        }
        return true;
    }

    void listen(Consumer<DmaFence> onSignal) {
        wakeup = onSignal;
        for (DmaFence f : waitFences) {
            f.addCallback(onSignal);
        }
    }

    void stopListening() {
        if (wakeup != null) {
            for (DmaFence f : waitFences) {
                f.removeCallback(wakeup);
            }
            wakeup = null;
        }
    }
}
