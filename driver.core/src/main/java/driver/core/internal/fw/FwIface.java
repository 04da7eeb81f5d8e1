package driver.core.internal.fw;

import driver.core.kernel.KernelMapping;

/**
 * DOC: Firmware interface accessors.
 *
 * {@code struct panthor_fw_{global,csg,cs}_iface}: pointers into the shared section for one
 * interface's control structure (written by the firmware at boot), its input structure (the
 * host writes, the firmware reads) and its output structure (the firmware writes, the host
 * reads), plus the lock that serialises read-modify-write of the input REQ fields.
 *
 * {@link #toggleReqs} and {@link #updateReqs} are the {@code panthor_fw_toggle_reqs()} and
 * {@code panthor_fw_update_reqs()} macros: a toggle request flips the REQ bits of {@code mask}
 * to the inverse of their ACK bits (so REQ != ACK means "pending"); an update request sets a
 * level field. The caller then rings the doorbell and, if it cares, waits for the
 * acknowledgement ({@link PanthorFw#glbWaitAcks}, {@link PanthorFw#csgWaitAcks}).
 */
public class FwIface {

    /** One structure of the shared section, addressed by field offset. */
    public static final class Area {
        private final KernelMapping map;
        private final long offset;

        Area(KernelMapping map, long offset) {
            this.map = map;
            this.offset = offset;
        }

        /** Offset of the structure in the shared section. */
        public long offset() {
            return offset;
        }

        public int read32(int field) {
            return map.read32(offset + field);
        }

        public void write32(int field, int value) {
            map.write32(offset + field, value);
        }

        public long read64(int field) {
            return map.read64(offset + field);
        }

        public void write64(int field, long value) {
            map.write64(offset + field, value);
        }
    }

    private final Area control;
    private final Area input;
    private final Area output;
    private final Object lock = new Object();

    FwIface(Area control, Area input, Area output) {
        this.control = control;
        this.input = input;
        this.output = output;
    }

    public Area control() {
        return control;
    }

    public Area input() {
        return input;
    }

    public Area output() {
        return output;
    }

    /** {@code panthor_fw_toggle_reqs(iface, inReg, outReg, mask)}. */
    public void toggleReqs(int inReg, int outReg, int mask) {
        synchronized (lock) {
            int cur = input.read32(inReg);
            int out = output.read32(outReg);
            input.write32(inReg, ((out ^ mask) & mask) | (cur & ~mask));
        }
    }

    /** {@code panthor_fw_update_reqs(iface, inReg, val, mask)}. */
    public void updateReqs(int inReg, int val, int mask) {
        synchronized (lock) {
            int cur = input.read32(inReg);
            input.write32(inReg, (cur & ~mask) | (val & mask));
        }
    }

    /** The global interface. */
    public static final class Glb extends FwIface {
        Glb(Area control, Area input, Area output) {
            super(control, input, output);
        }
    }

    /** The interface of CSG slot {@link #slot()}. */
    public static final class Csg extends FwIface {
        private final int slot;

        Csg(int slot, Area control, Area input, Area output) {
            super(control, input, output);
            this.slot = slot;
        }

        public int slot() {
            return slot;
        }
    }

    /** The interface of CS slot {@link #slot()} of CSG slot {@link #csgSlot()}. */
    public static final class Cs extends FwIface {
        private final int csgSlot;
        private final int slot;

        Cs(int csgSlot, int slot, Area control, Area input, Area output) {
            super(control, input, output);
            this.csgSlot = csgSlot;
            this.slot = slot;
        }

        public int csgSlot() {
            return csgSlot;
        }

        public int slot() {
            return slot;
        }
    }
}
