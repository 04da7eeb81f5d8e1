package panthor.testkit.mmu;

import hw.model.api.Mmio;
import java.util.ArrayList;
import java.util.List;

/** An Mmio that, while {@link #recording}, records register writes (offset, value) on their way to the target. */
public final class RecordingMmio implements Mmio {

    private final Mmio target;
    public final List<long[]> writes = new ArrayList<>();
    public boolean recording;

    public RecordingMmio(Mmio target) {
        this.target = target;
    }

    @Override
    public int size() {
        return target.size();
    }

    @Override
    public int read32(int offset) {
        return target.read32(offset);
    }

    @Override
    public void write32(int offset, int value) {
        if (recording) {
            writes.add(new long[] {offset, value});
        }
        target.write32(offset, value);
    }
}
