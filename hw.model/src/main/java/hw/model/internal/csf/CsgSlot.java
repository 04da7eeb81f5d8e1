package hw.model.internal.csf;

import hw.model.csf.CsfLayout;

import hw.model.internal.GpuBus;

/** The firmware's view of one CSG slot: its state, endpoint configuration and CS slots. */
final class CsgSlot {

    /** Slot state, as the acknowledged CSG_STATE field says. */
    enum State { TERMINATED, RUNNING, SUSPENDED }

    final int id;
    final CsSlot[] streams;

    State state = State.TERMINATED;
    /** Address space of the group's VM (CSG_INPUT.config), and the bus through it. */
    int as = -1;
    GpuBus bus;
    int endpointReq;
    long allowCompute;
    long allowFragment;
    int allowOther;
    /** All queues idle (empty, blocked on a sync wait, or dead). */
    boolean idle;
    /** CSG_IDLE sent for the current idle period. */
    boolean idleReported;

    CsgSlot(Firmware fw, int id, int streamCount) {
        this.id = id;
        this.streams = new CsSlot[streamCount];
        for (int i = 0; i < streamCount; i++) {
            streams[i] = new CsSlot(fw, id, i);
        }
    }

    int priority() {
        return CsfLayout.epReqPriority(endpointReq);
    }

    void clear() {
        state = State.TERMINATED;
        as = -1;
        bus = null;
        endpointReq = 0;
        allowCompute = 0;
        allowFragment = 0;
        allowOther = 0;
        idle = false;
        idleReported = false;
        for (CsSlot s : streams) {
            s.clear();
        }
    }
}
