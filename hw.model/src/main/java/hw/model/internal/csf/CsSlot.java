package hw.model.internal.csf;

import hw.model.csf.CsfLayout;

import hw.model.api.VirtualTime;
import hw.model.internal.GpuFault;
import hw.model.internal.cs.CommandStream;
import hw.model.internal.cs.CsHost;
import hw.model.internal.cs.RingPointers;

/**
 * The firmware's view of one CS slot of a CSG slot: what the host programmed (ring buffer,
 * user I/O pages, config), the bound {@link CommandStream}, and the scheduling state the
 * firmware keeps for it. It is also the stream's {@link CsHost} and {@link RingPointers}: the
 * insert pointer is read from, and the extract pointer written to, the queue's user I/O pages
 * through the MCU address space (AS0), as the real firmware does.
 */
final class CsSlot implements CsHost, RingPointers {

    final Firmware fw;
    final int csg;
    final int id;

    /** Execution state; null while nothing is bound (slot stopped, group not resident). */
    CommandStream stream;
    /** The stream came from a suspend buffer and must not be re-bound by the next START. */
    boolean restored;
    /** CS_STATE START acknowledged while the group runs: the stream may execute. */
    boolean active;
    int config;
    long ringBase;
    long ringSize;
    long inputVa;
    long outputVa;

    /** Virtual time of the next run, or -1 when the stream waits for a doorbell or a sync update. */
    long readyAt = -1;
    /** Hung (fault injection) with work to do: busy, no progress, no runs scheduled. */
    boolean stuck;
    /** CS_FAULT reported, waiting for the host to acknowledge it. */
    boolean faultPending;
    /** CS_FATAL reported; dead until re-bound. */
    boolean fatal;
    VirtualTime.Timer progressTimer;
    boolean progressReported;
    /** An MCU access to the user I/O pages faulted during a run. */
    GpuFault ioFault;

    CsSlot(Firmware fw, int csg, int id) {
        this.fw = fw;
        this.csg = csg;
        this.id = id;
    }

    int priority() {
        return CsfLayout.csConfigPriority(config);
    }

    int doorbell() {
        return CsfLayout.csConfigDoorbell(config);
    }

    /** Drops everything bound to the slot (firmware stop, reset, TERMINATE). */
    void clear() {
        stream = null;
        restored = false;
        active = false;
        readyAt = -1;
        stuck = false;
        faultPending = false;
        fatal = false;
        progressReported = false;
        ioFault = null;
        if (progressTimer != null) {
            progressTimer.cancel();
            progressTimer = null;
        }
    }

    // --- RingPointers: the user I/O pages, through the MCU address space ---------------------

    @Override
    public long insert() {
        try {
            return fw.mcu().read64(inputVa + CsfLayout.RINGBUF_INPUT_INSERT);
        } catch (GpuFault f) {
            ioFault = f;
            return 0;
        }
    }

    @Override
    public void extract(long extract) {
        try {
            fw.mcu().write64(outputVa + CsfLayout.RINGBUF_OUTPUT_EXTRACT, extract);
        } catch (GpuFault f) {
            ioFault = f;
        }
    }

    // --- CsHost -------------------------------------------------------------------------------

    @Override
    public long shaderCoreMask() {
        return fw.computeCoreMask(csg);
    }

    @Override
    public void syncUpdated(CommandStream cs, long va, boolean is64) {
        fw.syncUpdated(this, va, is64);
    }

    @Override
    public long flushCaches(CommandStream cs, int l2Mode, int lscMode, int otherMode, int latestFlushId) {
        return fw.flushCaches(l2Mode, lscMode, otherMode);
    }

    @Override
    public long timestamp() {
        return fw.timestamp();
    }

    @Override
    public long cycleCount() {
        return fw.cycleCount();
    }

    @Override
    public String toString() {
        return "CSG" + csg + ".CS" + id + (stream == null ? " unbound" : " " + stream);
    }
}
