package hw.model.internal;

import hw.model.api.Mmio;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * DOC: MMIO decode.
 *
 * The register window is a flat table indexed by word offset: each 32-bit register is a
 * pair (read side effect, write side effect) installed by the block that owns it
 * (GPU_CONTROL, JOB_CONTROL, MMU, CSF). Undecoded offsets read as zero and drop writes.
 * Every access runs under the model lock, so register side effects are atomic with respect
 * to each other and to the model's own time steps, which is what makes concurrent driver
 * threads safe and a deterministic run reproducible.
 */
public final class MmioBus implements Mmio {

    /** A 32-bit register's behaviour. */
    public interface Register {
        int read();

        default void write(int value) {
            // Read-only register: writes are ignored, as on the hardware.
        }
    }

    private final Object lock;
    private final Register[] regs;
    private final String[] names;

    public MmioBus(Object lock, int size) {
        this.lock = lock;
        this.regs = new Register[size >>> 2];
        this.names = new String[size >>> 2];
    }

    public void map(int offset, String name, Register reg) {
        if ((offset & 3) != 0 || offset < 0 || (offset >>> 2) >= regs.length) {
            throw new IllegalArgumentException("bad register offset 0x" + Integer.toHexString(offset));
        }
        if (regs[offset >>> 2] != null) {
            throw new IllegalStateException("register " + name + " overlaps " + names[offset >>> 2]);
        }
        regs[offset >>> 2] = reg;
        names[offset >>> 2] = name;
    }

    public void mapReadOnly(int offset, String name, IntSupplier read) {
        map(offset, name, read::getAsInt);
    }

    public void map(int offset, String name, IntSupplier read, IntConsumer write) {
        map(offset, name, new Register() {
            @Override public int read() { return read.getAsInt(); }
            @Override public void write(int value) { write.accept(value); }
        });
    }

    /** Maps a constant 64-bit value as LO/HI halves. */
    public void mapConst64(int offset, String name, long value) {
        mapReadOnly(offset, name + "_LO", () -> (int) value);
        mapReadOnly(offset + 4, name + "_HI", () -> (int) (value >>> 32));
    }

    public String nameAt(int offset) {
        int i = offset >>> 2;
        return (offset & 3) == 0 && i >= 0 && i < names.length ? names[i] : null;
    }

    @Override
    public int size() {
        return regs.length << 2;
    }

    @Override
    public int read32(int offset) {
        Register reg = decode(offset);
        if (reg == null) {
            return 0;
        }
        synchronized (lock) {
            return reg.read();
        }
    }

    @Override
    public void write32(int offset, int value) {
        Register reg = decode(offset);
        if (reg == null) {
            return;
        }
        synchronized (lock) {
            reg.write(value);
        }
    }

    private Register decode(int offset) {
        if ((offset & 3) != 0 || offset < 0 || (offset >>> 2) >= regs.length) {
            return null;
        }
        return regs[offset >>> 2];
    }
}
