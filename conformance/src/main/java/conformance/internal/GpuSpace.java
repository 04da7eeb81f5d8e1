package conformance.internal;

import static conformance.internal.CsEncoder.*;

import driver.core.user.UserProcess;

/**
 * DOC: A client's GPU workspace: one VM and one BO mapped both for the GPU and the CPU.
 *
 * The BO ({@value #SIZE} bytes) is mapped at GPU VA {@value #VA} (read/write, executable) and
 * into the process. Its first {@value #CODE_SIZE} bytes hold command streams, one per
 * 512-byte slot (64-byte aligned, as GROUP_SUBMIT requires); the rest is data that jobs write
 * and the CPU reads back. Job builders return the stream's GPU VA and instruction count.
 */
public final class GpuSpace {

    public static final long VA = 0x4000_0000L;
    public static final long SIZE = 256 * 1024;
    public static final int CODE_SIZE = 64 * 1024;
    private static final int SLOT_SIZE = 512;

    /** A command stream written into the workspace. */
    public record Stream(long va, int instructions) {
        public Client.Job on(int queue) {
            return Client.job(queue, va, instructions);
        }
    }

    private final Client client;
    private final int vm;
    private final Client.Bo bo;
    private final long cpu;
    private int nextSlot;

    public GpuSpace(Client client) {
        this(client, client.vm());
    }

    public GpuSpace(Client client, int vm) {
        this.client = client;
        this.vm = vm;
        this.bo = client.bo(SIZE);
        client.map(vm, bo, VA);
        this.cpu = client.mmap(bo);
    }

    public int vm() {
        return vm;
    }

    public Client.Bo bo() {
        return bo;
    }

    /** The GPU VA of data offset {@code off} (past the code area). */
    public long data(int off) {
        return VA + CODE_SIZE + off;
    }

    public long read64(int off) {
        return process().read64(cpu + CODE_SIZE + off);
    }

    public void write64(int off, long value) {
        process().write64(cpu + CODE_SIZE + off, value);
    }

    private UserProcess process() {
        return client.process();
    }

    /** Writes {@code instructions} into the next code slot. */
    public Stream stream(long... instructions) {
        if (instructions.length * 8 > SLOT_SIZE) {
            throw new IllegalArgumentException("stream longer than a slot");
        }
        int slot = nextSlot++;
        if ((slot + 1) * SLOT_SIZE > CODE_SIZE) {
            throw new IllegalStateException("code area full");
        }
        long off = (long) slot * SLOT_SIZE;
        for (int i = 0; i < instructions.length; i++) {
            process().write64(cpu + off + 8L * i, instructions[i]);
        }
        return new Stream(VA + off, instructions.length);
    }

    /** A job storing the 64-bit {@code value} at GPU VA {@code target}. */
    public Stream storeAt(long target, long value) {
        long[] v = move64(2, value);
        return stream(move48(0, target), v[0], v[1], storeMultiple(2, 0b11, 0, 0));
    }

    /** A job storing {@code value} at data offset {@code off}. */
    public Stream store(int off, long value) {
        return storeAt(data(off), value);
    }

    /** A job adding {@code increment} to the 64-bit counter at data offset {@code off} (SYNC_ADD64). */
    public Stream add(int off, long increment) {
        long[] v = move64(2, increment);
        return stream(move48(0, data(off)), v[0], v[1], syncAdd64(0, 2));
    }

    /**
     * A job that loops {@code iterations} times (ADD_IMMEDIATE32 + BRANCH NE) and then stores
     * {@code iterations} at data offset {@code off}.
     */
    public Stream countedLoop(int off, int iterations) {
        return stream(move32(4, iterations), move32(6, 0),
                addImm32(4, 4, -1), addImm32(6, 6, 1), branch(COND_NE, 4, -3),
                move32(7, 0), move48(0, data(off)), storeMultiple(6, 0b11, 0, 0));
    }

    /**
     * A job that never completes: SYNC_WAIT64 until the (zero) word at data offset {@code off}
     * is greater than 2^48 - 1. Until somebody writes it, the queue is blocked on a sync wait;
     * Panthor's job timeout keeps running for such a queue.
     */
    public Stream blockForever(int off) {
        return stream(move48(0, data(off)), move48(2, (1L << 48) - 1), syncWait64(COND_GT, 0, 2));
    }

    /** A job spinning on a branch to itself (only the progress timer or a timeout ends it). */
    public Stream spinForever() {
        return stream(spin());
    }
}
