package workload.internal.cs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hw.model.internal.GpuBus;
import hw.model.internal.GpuFault;
import hw.model.internal.cs.CommandStream;
import hw.model.internal.cs.CsException;
import hw.model.internal.cs.CsHost;
import hw.model.internal.cs.CsState;
import hw.model.internal.cs.RingPointers;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The job streams executed by the GPU model's command-stream interpreter (test scope only):
 * each is CALLed from a ring exactly as Panthor's ring code does, through a bus on which only
 * the pages the test maps exist.
 */
class JobStreamsTest {

    static final long RING = 0x1000;
    static final long STREAM = 0x10_0000;
    static final long SLOT = 0x20_0000;
    static final long SYNC = 0x30_0000;
    static final long UNMAPPED = 0x70_0000;

    /** Page-granular memory: unmapped pages raise a translation fault. */
    static final class PageBus implements GpuBus {
        final Map<Long, byte[]> pages = new HashMap<>();

        void map(long va, long bytes) {
            for (long p = va >>> 12; p <= (va + bytes - 1) >>> 12; p++) {
                pages.computeIfAbsent(p, k -> new byte[4096]);
            }
        }

        private byte[] page(long va, int access) throws GpuFault {
            byte[] p = pages.get(va >>> 12);
            if (p == null) {
                throw new GpuFault(1, va, 0xC3, access);
            }
            return p;
        }

        @Override
        public int as() {
            return 1;
        }

        @Override
        public long read64(long va) throws GpuFault {
            return (read32(va) & 0xffff_ffffL) | (long) read32(va + 4) << 32;
        }

        @Override
        public void write64(long va, long value) throws GpuFault {
            write32(va, (int) value);
            write32(va + 4, (int) (value >>> 32));
        }

        @Override
        public int read32(long va) throws GpuFault {
            byte[] p = page(va, GpuFault.ACCESS_READ);
            int o = (int) (va & 4095);
            return (p[o] & 0xff) | (p[o + 1] & 0xff) << 8 | (p[o + 2] & 0xff) << 16 | (p[o + 3] & 0xff) << 24;
        }

        @Override
        public void write32(long va, int value) throws GpuFault {
            byte[] p = page(va, GpuFault.ACCESS_WRITE);
            int o = (int) (va & 4095);
            for (int i = 0; i < 4; i++) {
                p[o + i] = (byte) (value >>> (8 * i));
            }
        }

        @Override
        public long fetch64(long va) throws GpuFault {
            return read64(va);
        }
    }

    static final class Host implements CsHost {
        int syncUpdates;

        @Override
        public long shaderCoreMask() {
            return 0x50005;
        }

        @Override
        public void syncUpdated(CommandStream cs, long va, boolean is64) {
            syncUpdates++;
        }

        @Override
        public long flushCaches(CommandStream cs, int l2Mode, int lscMode, int otherMode, int latestFlushId) {
            return 10;
        }
    }

    static final class Ring implements RingPointers {
        long insert;
        long extract;

        @Override
        public long insert() {
            return insert;
        }

        @Override
        public void extract(long extract) {
            this.extract = extract;
        }
    }

    /** A queue: a 4 KiB ring at {@code ringVa} that CALLs each job's stream. */
    static final class Queue {
        final PageBus bus;
        final long ringVa;
        final long streamVa;
        final CommandStream cs = new CommandStream();
        final Ring ring = new Ring();
        final Host host = new Host();

        Queue(PageBus bus, long ringVa, long streamVa) throws GpuFault {
            this.bus = bus;
            this.ringVa = ringVa;
            this.streamVa = streamVa;
            bus.map(ringVa, 4096);
            bus.map(streamVa, 4096);
            cs.bind(ringVa, 4096, 0);
        }

        void submit(CsBuilder job) throws GpuFault {
            long[] code = job.build();
            for (int i = 0; i < code.length; i++) {
                bus.write64(streamVa + 8L * i, code[i]);
            }
            CsBuilder r = new CsBuilder().mov48(80, streamVa).mov32(82, code.length * 8).call(80, 82);
            long[] ringCode = r.build();
            for (long ins : ringCode) {
                bus.write64(ringVa + (ring.insert & 4095), ins);
                ring.insert += 8;
            }
        }

        CsState run() {
            return cs.run(bus, ring, 1_000_000, host);
        }
    }

    private static PageBus memory() {
        PageBus bus = new PageBus();
        bus.map(SLOT, 4096);
        bus.map(SYNC, 4096);
        return bus;
    }

    @Test
    void storeLoopAndComputeWriteTheirResult() throws GpuFault {
        PageBus bus = memory();
        Queue q = new Queue(bus, RING, STREAM);
        q.submit(JobStreams.store(new CsBuilder(), SLOT, 0x1_0000_0001L));
        assertEquals(CsState.IDLE, q.run());
        assertEquals(0x1_0000_0001L, bus.read64(SLOT));

        q.submit(JobStreams.loop(new CsBuilder(), SLOT + 16, 0x1_0000_0002L, 17, 999));
        assertEquals(CsState.IDLE, q.run());
        assertEquals(JobStreams.loopResult(0x1_0000_0002L, 17, 999), bus.read64(SLOT + 16));

        long before = q.cs.cycles();
        q.submit(JobStreams.compute(new CsBuilder(), SLOT + 32, 0xffff_0000_0003L, 64, 4));
        assertEquals(CsState.IDLE, q.run());
        assertEquals(0xffff_0000_0003L, bus.read64(SLOT + 32));
        assertTrue(q.cs.cycles() - before >= CommandStream.JOB_LAUNCH_CYCLES, "the WAIT covered the compute job");
        assertEquals(q.ring.insert, q.ring.extract);
    }

    @Test
    void consumerWaitsForTheProducersSyncObject() throws GpuFault {
        PageBus bus = memory();
        Queue producer = new Queue(bus, RING, STREAM);
        Queue consumer = new Queue(bus, RING + 0x1000, STREAM + 0x1000);
        consumer.submit(JobStreams.consumeGpu(new CsBuilder(), SLOT + 16, 0x2_0000_0001L, SYNC, 2));
        assertEquals(CsState.WAITING_SYNC, consumer.run());
        producer.submit(JobStreams.produce(new CsBuilder(), SLOT, 0x2_0000_0002L, SYNC));
        assertEquals(CsState.IDLE, producer.run());
        assertEquals(CsState.WAITING_SYNC, consumer.run(), "one of two");
        producer.submit(JobStreams.produce(new CsBuilder(), SLOT + 32, 0x2_0000_0003L, SYNC));
        assertEquals(CsState.IDLE, producer.run());
        assertEquals(CsState.IDLE, consumer.run());
        assertEquals(2, bus.read64(SYNC));
        assertEquals(0, bus.read64(SYNC + 8), "no error propagated");
        assertEquals(0x2_0000_0001L, bus.read64(SLOT + 16));
        assertEquals(2, bus.read64(SLOT + 24), "the consumer saw the value it waited for");
        assertEquals(2, producer.host.syncUpdates);
    }

    @Test
    void kernelSideConsumerRecordsTheSyncObject() throws GpuFault {
        PageBus bus = memory();
        bus.write64(SYNC, 7);
        Queue q = new Queue(bus, RING, STREAM);
        q.submit(JobStreams.consumeKernel(new CsBuilder(), SLOT, 0x3_0000_0001L, SYNC));
        assertEquals(CsState.IDLE, q.run());
        assertEquals(7, bus.read64(SLOT + 8));
        assertEquals(0x3_0000_0001L, bus.read64(SLOT));
    }

    @Test
    void faultJobsFailAsPlanned() throws GpuFault {
        PageBus bus = memory();
        Queue mmu = new Queue(bus, RING, STREAM);
        mmu.submit(JobStreams.faultMmu(new CsBuilder(), UNMAPPED, 1));
        assertEquals(CsState.FATAL, mmu.run());
        assertEquals(0xC3, mmu.cs.fatalType());
        assertEquals(UNMAPPED, mmu.cs.fatalInfo());

        Queue invalid = new Queue(bus, RING + 0x1000, STREAM + 0x1000);
        invalid.submit(JobStreams.faultInvalid(new CsBuilder()));
        assertEquals(CsState.FATAL, invalid.run());
        assertEquals(CsException.CS_INSTR_INVALID, invalid.cs.fatalType());

        Queue hang = new Queue(bus, RING + 0x2000, STREAM + 0x2000);
        hang.submit(JobStreams.faultHang(new CsBuilder(), SYNC + 64));
        assertEquals(CsState.WAITING_SYNC, hang.run());
        assertEquals(CsState.WAITING_SYNC, hang.run());
    }
}
