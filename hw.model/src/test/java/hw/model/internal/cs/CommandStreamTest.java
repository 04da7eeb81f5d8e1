package hw.model.internal.cs;

import static hw.model.internal.cs.CsInstr.*;
import static org.junit.jupiter.api.Assertions.*;

import hw.model.internal.SparseMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandStreamTest {

    static final long RING = 0x10_0000;
    static final long RING_SIZE = 4096;
    static final long BUF = 0x20_0000;
    static final long DATA = 0x30_0000;
    static final long BIG = 10_000_000;

    SparseMemory mem;
    IdentityBus bus;
    TestRing ring;
    TestHost host;
    CommandStream cs;

    @BeforeEach
    void setUp() {
        mem = new SparseMemory(40);
        bus = new IdentityBus(mem);
        ring = new TestRing();
        host = new TestHost();
        cs = new CommandStream();
        cs.bind(RING, RING_SIZE, 0);
    }

    /** Appends the program to the ring at insert (wrapping) and moves insert past it. */
    void submit(CsAssembler a) {
        long[] code = a.toArray();
        for (long ins : code) {
            mem.write64(cs.ringBase() + (ring.insert & (cs.ringSize() - 1)), ins);
            ring.insert += 8;
        }
    }

    CsState run(long budget) {
        return cs.run(bus, ring, budget, host);
    }

    CsState run() {
        return run(BIG);
    }

    // ------------------------------------------------------------------ moves and ALU

    @Test
    void nopAndMovesSetRegistersAndAdvanceExtract() {
        submit(new CsAssembler().nop().move48(10, 0xABCD_1234_5678L).move32(3, 0xCAFEBABE).move32(11, 7));
        assertEquals(CsState.IDLE, run());
        assertEquals(0x1234_5678, cs.register(10));
        assertEquals(7, cs.register(11));
        assertEquals(0xCAFEBABE, cs.register(3));
        assertEquals(32, cs.extract());
        assertEquals(32, ring.extract);
        assertEquals(1, ring.extractWrites);
        assertEquals(4, cs.instructions());
        assertEquals(4, cs.lastRunCycles());
    }

    @Test
    void move48ZeroExtends() {
        cs.setRegister64(4, -1L);
        submit(new CsAssembler().move48(4, 0xFFFF_FFFF_FFFFL));
        run();
        assertEquals(0xFFFF_FFFF_FFFFL, cs.register64(4));
    }

    @Test
    void addImmediate32WrapsAndSignExtends() {
        submit(new CsAssembler().move32(1, 0x7FFF_FFFF).addImm32(2, 1, 1).addImm32(3, 1, -0x7FFF_FFFF).move32(4, 5)
                .addImm32(4, 4, -10));
        run();
        assertEquals(0x8000_0000, cs.register(2));
        assertEquals(0, cs.register(3));
        assertEquals(-5, cs.register(4));
        assertEquals(0x7FFF_FFFF, cs.register(1), "source unchanged");
    }

    @Test
    void addImmediate64CarriesAcrossWords() {
        submit(new CsAssembler().move48(6, 0xFFFF_FFFFL).addImm64(8, 6, 1).move48(10, 0x1_0000_0000L).addImm64(10, 10, -1)
                .move48(12, 0).addImm64(12, 12, -1));
        run();
        assertEquals(0x1_0000_0000L, cs.register64(8));
        assertEquals(0xFFFF_FFFFL, cs.register64(10));
        assertEquals(-1L, cs.register64(12));
    }

    @Test
    void umin32IsUnsigned() {
        submit(new CsAssembler().move32(1, -1).move32(2, 5).umin32(3, 1, 2).umin32(4, 2, 1));
        run();
        assertEquals(5, cs.register(3));
        assertEquals(5, cs.register(4));
    }

    // ------------------------------------------------------------------ loads and stores

    @Test
    void storeMultipleWritesMaskedRegistersAtOffsets() {
        mem.write32(DATA + 0x100 - 8 + 4, 0x5555);
        submit(new CsAssembler().move48(0, DATA + 0x100).move32(20, 0x11).move32(21, 0x22).move32(22, 0x33)
                .storeMultiple(20, 0b101, 0, -8));
        run();
        assertEquals(0x11, mem.read32(DATA + 0x100 - 8));
        assertEquals(0x5555, mem.read32(DATA + 0x100 - 4), "masked-out word untouched");
        assertEquals(0x33, mem.read32(DATA + 0x100));
    }

    @Test
    void loadMultipleReadsWordsByMaskPosition() {
        mem.write32(DATA + 16, 0xA);
        mem.write32(DATA + 20, 0xB);
        mem.write32(DATA + 24, 0xC);
        cs.setRegister(41, 99);
        submit(new CsAssembler().move48(0, DATA).loadMultiple(40, 0b101, 0, 16));
        run();
        assertEquals(0xA, cs.register(40));
        assertEquals(99, cs.register(41));
        assertEquals(0xC, cs.register(42));
        assertEquals(CommandStream.CYCLES_ALU + CommandStream.CYCLES_MEM_BASE + 2, cs.cycles());
    }

    // ------------------------------------------------------------------ branches

    @ParameterizedTest
    @CsvSource({
        // cond, value, taken
        "0, 0, true", "0, -3, true", "0, 1, false",
        "1, 1, true", "1, 0, false", "1, -1, false",
        "2, 0, true", "2, 5, false",
        "3, 5, true", "3, 0, false",
        "4, -1, true", "4, 0, false",
        "5, 0, true", "5, 7, true", "5, -7, false",
        "6, -100, true", "6, 0, true"})
    void branchConditionsCompareSignedRegisterWithZero(int cond, int value, boolean taken) {
        submit(new CsAssembler().move32(5, value).branch(cond, 5, 1).move32(6, 1).move32(7, 1));
        run();
        assertEquals(taken ? 0 : 1, cs.register(6), "skipped instruction");
        assertEquals(1, cs.register(7));
        assertEquals(taken ? 3 : 4, cs.instructions());
    }

    @Test
    void countedLoopInRingRunsNIterations() {
        CsAssembler a = new CsAssembler().move32(0, 100).move32(1, 0);
        CsAssembler.Label top = a.here();
        a.addImm32(1, 1, 3).addImm32(0, 0, -1).branch(COND_GT, 0, top).move32(2, 0xD0E);
        submit(a);
        assertEquals(CsState.IDLE, run());
        assertEquals(0, cs.register(0));
        assertEquals(300, cs.register(1));
        assertEquals(0xD0E, cs.register(2));
        assertEquals(2 + 3 * 100 + 1, cs.instructions());
        assertEquals(a.byteSize(), cs.extract());
    }

    @Test
    void countedLoopInCalledBufferAndForwardBranch() {
        CsAssembler sub = new CsAssembler().move32(0, 7);
        CsAssembler.Label top = sub.here();
        CsAssembler.Label skip = sub.label();
        sub.addImm32(1, 1, 1).addImm32(0, 0, -1).branch(COND_GT, 0, top).branch(COND_ALWAYS, 0, skip).move32(2, 666)
                .bind(skip).move32(3, 1);
        sub.writeTo(mem, BUF);
        submit(new CsAssembler().move48(20, BUF).move32(22, sub.byteSize()).call(20, 22).move32(4, 1));
        assertEquals(CsState.IDLE, run());
        assertEquals(7, cs.register(1));
        assertEquals(0, cs.register(2));
        assertEquals(1, cs.register(3));
        assertEquals(1, cs.register(4));
        assertEquals(0, cs.callDepth());
    }

    @Test
    void branchOutOfCalledBufferIsInvalidPc() {
        CsAssembler sub = new CsAssembler().branch(COND_ALWAYS, 0, -5);
        sub.writeTo(mem, BUF);
        submit(new CsAssembler().move48(20, BUF).move32(22, 8).call(20, 22));
        assertEquals(CsState.FATAL, run());
        assertEquals(CsException.INSTR_INVALID_PC, cs.fatalType());
        assertEquals(BUF, cs.faultPc());
        assertEquals(16, cs.extract(), "extract stays on the CALL");
    }

    // ------------------------------------------------------------------ CALL / JUMP

    @Test
    void callKeepsExtractOnCallUntilReturn() {
        CsAssembler sub = new CsAssembler();
        for (int i = 0; i < 10; i++) {
            sub.addImm32(1, 1, 1);
        }
        sub.writeTo(mem, BUF);
        submit(new CsAssembler().move48(20, BUF).move32(22, sub.byteSize()).call(20, 22).move32(5, 5));
        assertEquals(CsState.RUNNING, run(2 + CommandStream.CYCLES_CALL + 3));
        assertEquals(1, cs.callDepth());
        assertEquals(16, cs.extract());
        assertEquals(16, ring.extract);
        assertEquals(BUF + 24, cs.cmdPtr());
        assertEquals(CsState.IDLE, run());
        assertEquals(10, cs.register(1));
        assertEquals(5, cs.register(5));
        assertEquals(32, cs.extract());
    }

    @Test
    void emptyCallReturnsImmediately() {
        submit(new CsAssembler().move48(20, BUF).move32(22, 0).call(20, 22).move32(5, 5));
        assertEquals(CsState.IDLE, run());
        assertEquals(5, cs.register(5));
    }

    @Test
    void nestedCallsUpToTheStackLimitThenOverflow() {
        // Buffer k (k = 0..8) at BUF + k*0x100 calls buffer k+1, then bumps r1.
        for (int k = 0; k <= 8; k++) {
            CsAssembler b = new CsAssembler().move48(20, BUF + (k + 1) * 0x100L).move32(22, k < 5 ? 32 : 8);
            b.call(20, 22).addImm32(1, 1, 1);
            b.writeTo(mem, BUF + k * 0x100L);
        }
        // Buffer 6 (depth 7) is called with a length of 8: only its MOVE48 runs, it makes no call.
        submit(new CsAssembler().move48(20, BUF).move32(22, 32).call(20, 22));
        assertEquals(CsState.IDLE, run());
        assertEquals(6, cs.register(1), "buffers 0..5 called, deepest depth 7");

        // Depth 7 is full: a CALL there overflows.
        CommandStream deep = new CommandStream();
        deep.bind(RING + 0x800, 256, 0);
        TestRing r2 = new TestRing();
        for (int k = 0; k <= 8; k++) {
            CsAssembler b = new CsAssembler().move48(20, BUF + 0x1000 + (k + 1) * 0x100L).move32(22, 24).call(20, 22);
            b.writeTo(mem, BUF + 0x1000 + k * 0x100L);
        }
        CsAssembler root = new CsAssembler().move48(20, BUF + 0x1000).move32(22, 24).call(20, 22);
        root.writeTo(mem, RING + 0x800);
        r2.insert = root.byteSize();
        assertEquals(CsState.FATAL, deep.run(bus, r2, BIG, host));
        assertEquals(CsException.CS_CALL_STACK_OVERFLOW, deep.fatalType());
        assertEquals(CommandStream.MAX_CALL_DEPTH, deep.callDepth());
        assertEquals(BUF + 0x1000 + 6 * 0x100L + 16, deep.faultPc());
        assertEquals(16, deep.extract());
    }

    @Test
    void jumpReplacesTheCalledBuffer() {
        CsAssembler second = new CsAssembler().move32(3, 33);
        second.writeTo(mem, BUF + 0x800);
        CsAssembler first = new CsAssembler().move48(24, BUF + 0x800).move32(26, 8).jump(24, 26).move32(2, 666);
        first.writeTo(mem, BUF);
        submit(new CsAssembler().move48(20, BUF).move32(22, first.byteSize()).call(20, 22).move32(4, 44));
        assertEquals(CsState.IDLE, run());
        assertEquals(33, cs.register(3));
        assertEquals(0, cs.register(2));
        assertEquals(44, cs.register(4), "returned to the ring after the jumped-to buffer");
    }

    @Test
    void jumpInTheRingIsInvalid() {
        submit(new CsAssembler().move48(20, BUF).move32(22, 8).jump(20, 22));
        assertEquals(CsState.FATAL, run());
        assertEquals(CsException.CS_INSTR_INVALID, cs.fatalType());
    }

    @Test
    void misalignedCallTargetAndLength() {
        submit(new CsAssembler().move48(20, BUF + 4).move32(22, 8).call(20, 22));
        assertEquals(CsState.FATAL, run());
        assertEquals(CsException.INSTR_INVALID_PC, cs.fatalType());
        assertEquals(BUF + 4, cs.fatalInfo());

        setUp();
        submit(new CsAssembler().move48(20, BUF).move32(22, 12).call(20, 22));
        assertEquals(CsState.FATAL, run());
        assertEquals(CsException.INSTR_INVALID_ENC, cs.fatalType());
    }

    // ------------------------------------------------------------------ sync objects

    @Test
    void syncAddAndSetWriteMemoryAndNotifyHost() {
        mem.write32(DATA, 10);
        mem.write64(DATA + 0x40, 0xFFFF_FFFFL);
        submit(new CsAssembler().move48(0, DATA).move48(2, DATA + 0x40).move32(4, 5).move48(6, 1)
                .syncAdd32(0, 4).syncAdd64(2, 6)
                .move48(8, DATA + 0x80).syncSet32(8, 4).move48(10, DATA + 0xC0).syncSet64(10, 2));
        run();
        assertEquals(15, mem.read32(DATA));
        assertEquals(0x1_0000_0000L, mem.read64(DATA + 0x40));
        assertEquals(5, mem.read32(DATA + 0x80));
        assertEquals(DATA + 0x40, mem.read64(DATA + 0xC0));
        assertEquals(0, mem.read32(DATA + 0x48), "status word: no fault");
        assertEquals(RING + 9 * 8, host.syncCmdPtr, "callbacks see the instruction making them");
        assertEquals(java.util.List.of(hex(DATA) + "/32", hex(DATA + 0x40) + "/64", hex(DATA + 0x80) + "/32",
                hex(DATA + 0xC0) + "/64"), host.syncUpdates);
    }

    @Test
    void syncWithoutPropagateLeavesStatusWord() {
        mem.write32(DATA + 8, 0x77);
        submit(new CsAssembler().move48(0, DATA).move48(2, 1).syncAdd64(0, 2, false, SCOPE_CSG, 0, 0));
        run();
        assertEquals(1, mem.read64(DATA));
        assertEquals(0x77, mem.read32(DATA + 8));
    }

    @Test
    void syncWaitBlocksUntilAnotherStreamAdds() {
        mem.write64(DATA, 3);
        submit(new CsAssembler().move48(0, DATA).move48(2, 4).syncWait64(COND_GT, 0, 2).move32(9, 1));
        assertEquals(CsState.WAITING_SYNC, run());
        assertEquals(16, cs.extract(), "extract stays on the SYNC_WAIT");
        assertEquals(CommandStream.BLOCKED_REASON_SYNC_WAIT, cs.statusBlockedReason());
        assertEquals(CommandStream.STATUS_WAIT_SYNC | CommandStream.STATUS_WAIT_SYNC_64B
                | CommandStream.STATUS_WAIT_SYNC_COND_GT, cs.statusWait());
        assertEquals(DATA, cs.statusWaitSyncPointer());
        assertEquals(4, cs.statusWaitSyncValue());
        assertFalse(cs.syncWaitSatisfied(bus));
        long cyclesBlocked = cs.cycles();
        assertEquals(CsState.WAITING_SYNC, run(), "still blocked");
        assertEquals(cyclesBlocked, cs.cycles(), "re-checks cost nothing");

        // A second stream signals the object twice (3 -> 5).
        CommandStream other = new CommandStream();
        other.bind(RING + 0x800, 256, 0);
        TestRing r2 = new TestRing();
        CsAssembler sig = new CsAssembler().move48(0, DATA).move48(2, 1).syncAdd64(0, 2).syncAdd64(0, 2);
        sig.writeTo(mem, RING + 0x800);
        r2.insert = sig.byteSize();
        assertEquals(CsState.IDLE, other.run(bus, r2, BIG, host));
        assertTrue(cs.syncWaitSatisfied(bus));

        assertEquals(CsState.IDLE, run());
        assertEquals(1, cs.register(9));
        assertEquals(CommandStream.BLOCKED_REASON_UNBLOCKED, cs.statusBlockedReason());
        assertEquals(0, cs.statusWait());
    }

    @Test
    void syncWaitAlreadySatisfiedDoesNotBlock() {
        mem.write32(DATA, 9);
        submit(new CsAssembler().move48(0, DATA).move32(2, 8).syncWait32(COND_GT, 0, 2).move32(3, 10)
                .syncWait32(COND_LE, 0, 3).move32(9, 1));
        assertEquals(CsState.IDLE, run());
        assertEquals(1, cs.register(9));
    }

    @Test
    void syncWait32LessOrEqualAndUnsignedCompare() {
        mem.write32(DATA, 0x8000_0000);
        submit(new CsAssembler().move48(0, DATA).move32(2, 5).syncWait32(COND_LE, 0, 2).move32(9, 1));
        assertEquals(CsState.WAITING_SYNC, run(), "0x80000000 > 5 unsigned");
        assertEquals(CommandStream.STATUS_WAIT_SYNC, cs.statusWait());
        mem.write32(DATA, 5);
        assertEquals(CsState.IDLE, run());
        assertEquals(1, cs.register(9));
    }

    @Test
    void syncWaitInheritsFaultUnlessRejecting() {
        mem.write64(DATA, 1);
        mem.write32(DATA + 8, 1);
        submit(new CsAssembler().move48(0, DATA).move48(2, 0).syncWait64(COND_GT, 0, 2, true).move32(9, 1));
        assertEquals(CsState.IDLE, run());
        assertFalse(cs.errorState());

        submit(new CsAssembler().syncWait64(COND_GT, 0, 2).move32(10, 1));
        assertEquals(CsState.FAULTED, run());
        assertEquals(CsException.CS_INHERIT_FAULT, cs.faultType());
        assertTrue(cs.errorState());
        cs.acknowledgeFault();
        assertEquals(CsState.IDLE, run());
        assertEquals(1, cs.register(10));
    }

    // ------------------------------------------------------------------ ring

    @Test
    void ringWrapsAround() {
        cs.bind(RING, 64, 0);
        // 3 rounds of 6 instructions through an 8-instruction ring.
        for (int round = 0; round < 3; round++) {
            CsAssembler a = new CsAssembler();
            for (int i = 0; i < 6; i++) {
                a.addImm32(1, 1, 1);
            }
            submit(a);
            assertEquals(CsState.IDLE, run());
            assertEquals(ring.insert, cs.extract());
            assertEquals(ring.insert, ring.extract);
        }
        assertEquals(18, cs.register(1));
        assertEquals(144, cs.extract());
    }

    @Test
    void insertReadAgainWhenCaughtUp() {
        RingPointers growing = new RingPointers() {
            int reads;

            @Override
            public long insert() {
                return ++reads == 1 ? 8 : 16;
            }

            @Override
            public void extract(long extract) {
                ring.extract = extract;
            }
        };
        mem.write64(RING, CsInstr.move32(1, 1));
        mem.write64(RING + 8, CsInstr.move32(2, 2));
        assertEquals(CsState.IDLE, cs.run(bus, growing, BIG, host));
        assertEquals(2, cs.register(2));
        assertEquals(16, ring.extract);
    }

    @Test
    void extractPublishedOnlyWhenItMoves() {
        assertEquals(CsState.IDLE, run());
        assertEquals(0, ring.extractWrites);
        submit(new CsAssembler().nop());
        run();
        run();
        assertEquals(1, ring.extractWrites);
    }

    @Test
    void bindRejectsBadRing() {
        cs.bind(RING, 100, 0);
        assertEquals(CsState.FATAL, cs.state());
        assertEquals(CsException.CS_CONFIG_FAULT, cs.fatalType());
        cs.bind(RING, 128, 64);
        assertEquals(CsState.IDLE, cs.state());
        assertEquals(64, cs.extract());
    }

    // ------------------------------------------------------------------ faults

    @Test
    void unknownOpcodeIsInstrInvalid() {
        submit(new CsAssembler().nop().emit(0x0A00_0000_0000_0000L).nop());
        assertEquals(CsState.FATAL, run());
        assertEquals(CsException.CS_INSTR_INVALID, cs.fatalType());
        assertEquals(RING + 8, cs.faultPc());
        assertEquals(8, cs.extract());
        assertEquals(8, ring.extract);
        assertEquals(CsState.FATAL, run(), "stays fatal");
        assertEquals(0, cs.lastRunCycles());
    }

    @Test
    void invalidEncodings() {
        long[] bad = {
            0x0101_0000_0000_0000L,                   // MOVE48 to odd register
            0x0260_0000_0000_0000L,                   // MOVE32 to r96
            CsInstr.branch(0, 0, 0) | (7L << 28),     // BRANCH condition 7
            CsInstr.syncWait32(COND_EQ, 0, 2, false), // SYNC_WAIT with EQ
            CsInstr.flushCache2(2, 0, 0, 0, 0, 0),    // L2 flush mode 2
            CsInstr.flushCache2(0, 0, 1, 0, 0, 0),    // other flush mode 1
            CsInstr.loadMultiple(90, 0x100, 0, 0),    // r98 beyond the register file
            CsInstr.syncAdd64(0, 2, false, 1, 0, 0), // scope 1
            CsInstr.setSbEntry(8, 0),                 // scoreboard entry 8 on v10
        };
        for (long ins : bad) {
            setUp();
            submit(new CsAssembler().emit(ins));
            assertEquals(CsState.FATAL, run(), CsDisassembler.decode(ins));
            assertEquals(CsException.INSTR_INVALID_ENC, cs.fatalType(), CsDisassembler.decode(ins));
        }
    }

    @Test
    void faultOnFetchIsFatalWithMmuType() {
        bus.fault(RING, 4096, IdentityBus.TRANSLATION_FAULT_3, false);
        ring.insert = 8;
        assertEquals(CsState.FATAL, run());
        assertEquals(IdentityBus.TRANSLATION_FAULT_3, cs.fatalType());
        assertEquals(RING, cs.fatalInfo());
        assertEquals(RING, cs.faultPc());
        assertEquals(0, cs.extract());
    }

    @Test
    void faultInCalledBufferFetch() {
        bus.fault(BUF + 8, 8, IdentityBus.TRANSLATION_FAULT_3, false);
        new CsAssembler().nop().nop().writeTo(mem, BUF);
        submit(new CsAssembler().move48(20, BUF).move32(22, 16).call(20, 22));
        assertEquals(CsState.FATAL, run());
        assertEquals(BUF + 8, cs.faultPc());
        assertEquals(16, cs.extract());
        assertEquals(1, cs.callDepth());
    }

    @Test
    void faultOnLoadAndStore() {
        bus.fault(DATA + 0x1000, 0x1000, IdentityBus.PERMISSION_FAULT_3, true);
        submit(new CsAssembler().move48(0, DATA + 0x1000).loadMultiple(10, 1, 0, 4).storeMultiple(10, 3, 0, 8));
        assertEquals(CsState.FATAL, run());
        assertEquals(IdentityBus.PERMISSION_FAULT_3, cs.fatalType());
        assertEquals(DATA + 0x1008, cs.fatalInfo());
        assertEquals(RING + 16, cs.faultPc());

        setUp();
        bus.fault(DATA, 0x1000, IdentityBus.TRANSLATION_FAULT_3, false);
        submit(new CsAssembler().move48(0, DATA).loadMultiple(10, 1, 0, 0x10));
        assertEquals(CsState.FATAL, run());
        assertEquals(DATA + 0x10, cs.fatalInfo());
    }

    @Test
    void faultOnSyncObject() {
        bus.fault(DATA, 0x1000, IdentityBus.TRANSLATION_FAULT_3, false);
        submit(new CsAssembler().move48(0, DATA).move48(2, 1).syncAdd64(0, 2));
        assertEquals(CsState.FATAL, run());
        assertEquals(IdentityBus.TRANSLATION_FAULT_3, cs.fatalType());
        assertTrue(host.syncUpdates.isEmpty());
    }

    @Test
    void injectedFatal() {
        submit(new CsAssembler().nop().nop());
        run(1);
        cs.injectFatal(CsException.CS_UNRECOVERABLE, 0x12, 0x99);
        assertEquals(CsState.FATAL, cs.state());
        assertEquals(CsException.CS_UNRECOVERABLE, cs.fatalType());
        assertEquals(0x12, cs.fatalData());
        assertEquals(0x99, cs.fatalInfo());
        assertEquals(RING + 8, cs.faultPc());
        assertEquals(CsState.FATAL, run());
        cs.bind(RING, RING_SIZE, 8);
        assertEquals(CsState.IDLE, run());
        assertEquals(16, cs.extract());
    }

    @Test
    void jobFaultStopsUntilAcknowledgedThenErrorBarrierClears() {
        cs.armJobFault(CsException.DATA_INVALID_FAULT, 0xDEAD);
        CsAssembler user = new CsAssembler().runCompute(1).waitMask(0xff).move32(7, 7);
        user.writeTo(mem, BUF);
        // Panthor-style job: call the user stream, signal the syncobj with error propagation, ERROR_BARRIER.
        CsAssembler job = new CsAssembler().move48(92, BUF).move32(94, user.byteSize()).call(92, 94)
                .move48(92, DATA).move48(94, 1).waitMask(0xff).syncAdd64(92, 94).errorBarrier();
        submit(job);
        long jobEnd = ring.insert;
        submit(job);

        assertEquals(CsState.FAULTED, run());
        assertEquals(CsException.DATA_INVALID_FAULT, cs.faultType());
        assertEquals(0xDEAD, cs.faultInfo());
        assertEquals(BUF, cs.faultPc());
        assertTrue(cs.errorState());
        assertEquals(16, cs.extract(), "extract inside the faulting job");
        assertTrue(cs.extract() < jobEnd);
        assertEquals(CsState.FAULTED, run(), "halted until acknowledged");
        assertEquals(0, cs.lastRunCycles());

        cs.acknowledgeFault();
        assertEquals(CsState.IDLE, run());
        assertEquals(7, cs.register(7), "the stream ran on after the fault");
        assertFalse(cs.errorState(), "cleared by ERROR_BARRIER");
        assertEquals(2, mem.read64(DATA));
        assertEquals(0, mem.read32(DATA + 8), "second job clean");

        // The first SYNC_ADD64 propagated the error: run only the first job to see it.
        setUp();
        cs.armJobFault(CsException.DATA_INVALID_FAULT, 0);
        user.writeTo(mem, BUF);
        submit(job);
        run();
        cs.acknowledgeFault();
        assertEquals(CsState.IDLE, run());
        assertEquals(1, mem.read64(DATA));
        assertEquals(1, mem.read32(DATA + 8), "status word: fault");
        assertFalse(cs.errorState());
    }

    // ------------------------------------------------------------------ hang, budget, timing

    @Test
    void hungStreamConsumesBudgetWithoutProgress() {
        submit(new CsAssembler().nop().nop());
        cs.setHung(true);
        assertEquals(CsState.RUNNING, run(1000));
        assertEquals(1000, cs.lastRunCycles());
        assertEquals(0, cs.extract());
        assertEquals(0, cs.instructions());
        cs.setHung(false);
        assertEquals(CsState.IDLE, run());
        assertEquals(16, cs.extract());
    }

    @Test
    void hungStreamWithoutWorkStaysIdle() {
        cs.setHung(true);
        assertEquals(CsState.IDLE, run(1000));
        assertEquals(0, cs.lastRunCycles());
    }

    @Test
    void budgetSplitsExecutionExactly() {
        CsAssembler a = new CsAssembler();
        for (int i = 0; i < 10; i++) {
            a.addImm32(1, 1, 1);
        }
        submit(a);
        assertEquals(CsState.RUNNING, run(3));
        assertEquals(3, cs.lastRunCycles());
        assertEquals(24, cs.extract());
        assertEquals(3, cs.register(1));
        assertEquals(CsState.RUNNING, run(3));
        assertEquals(CsState.IDLE, run(100));
        assertEquals(4, cs.lastRunCycles());
        assertEquals(10, cs.register(1));
        assertEquals(10, cs.cycles());
    }

    @Test
    void expensiveInstructionOverBudgetIsPaidNextRun() {
        submit(new CsAssembler().move48(0, DATA).loadMultiple(10, 0xff, 0, 0).nop());
        assertEquals(CsState.RUNNING, run(3));
        assertEquals(3, cs.lastRunCycles());
        assertEquals(16, cs.extract(), "LOAD_MULTIPLE completed");
        // LOAD_MULTIPLE cost 4 + 8 = 12; 2 cycles of it were paid, 10 owed.
        assertEquals(CsState.RUNNING, run(5));
        assertEquals(5, cs.lastRunCycles());
        assertEquals(16, cs.extract());
        assertEquals(CsState.IDLE, run(100));
        assertEquals(6, cs.lastRunCycles());
        assertEquals(1 + 12 + 1, cs.cycles());
    }

    @Test
    void runComputeTakesCyclesScaledByCores() {
        long job = runOneJob(0x1);
        // 64 threads per workgroup (8x8x1), 4x2x1 workgroups = 512 threads.
        assertEquals(CommandStream.JOB_LAUNCH_CYCLES + 512 * CommandStream.CYCLES_PER_THREAD, job);
        long job4 = runOneJob(0x50005);
        assertEquals(CommandStream.JOB_LAUNCH_CYCLES + 128 * CommandStream.CYCLES_PER_THREAD, job4);
    }

    private long runOneJob(long coreMask) {
        setUp();
        host.coreMask = coreMask;
        submit(new CsAssembler().move32(SR_WG_SIZE, 7 | 7 << 10).move32(SR_JOB_SIZE_X, 4).move32(SR_JOB_SIZE_Y, 2)
                .move32(SR_JOB_SIZE_Z, 1).runCompute(1).waitMask(1));
        assertEquals(CsState.IDLE, run());
        return cs.cycles() - 4 - CommandStream.CYCLES_ISSUE - CommandStream.CYCLES_ALU;
    }

    @Test
    void jobInFlightShowsOnScoreboardAndDrainsBeforeIdle() {
        submit(new CsAssembler().setSbEntry(2, 0).runCompute(1));
        assertEquals(CsState.RUNNING, run(10));
        assertEquals(1 << 2, cs.statusScoreboards());
        assertEquals(16, cs.extract(), "RUN_COMPUTE issued: extract past it");
        assertEquals(CsState.IDLE, run());
        assertEquals(0, cs.statusScoreboards());
        // Registers are zero: an empty dispatch (no workgroups) costs only the launch.
        assertEquals(1 + CommandStream.CYCLES_ISSUE + CommandStream.JOB_LAUNCH_CYCLES, cs.cycles());
    }

    @Test
    void waitOnBusyScoreboardReportsSbWaitWhileBudgetRunsOut() {
        submit(new CsAssembler().runCompute(1).waitMask(1).move32(1, 1));
        assertEquals(CsState.RUNNING, run(100));
        assertEquals(CommandStream.BLOCKED_REASON_SB_WAIT, cs.statusBlockedReason());
        assertEquals(CommandStream.STATUS_WAIT_SB_SRC_WAIT | 1, cs.statusWait());
        assertEquals(8, cs.extract());
        assertEquals(CsState.IDLE, run());
        assertEquals(1, cs.register(1));
    }

    @Test
    void jobsOfOneStreamRunBackToBack() {
        submit(new CsAssembler().runCompute(1).runCompute(1).waitMask(1));
        run();
        long job = CommandStream.JOB_LAUNCH_CYCLES;
        assertEquals(CommandStream.CYCLES_ISSUE + 2 * job + CommandStream.CYCLES_ALU, cs.cycles(),
                "the second job starts when the first ends");
    }

    // ------------------------------------------------------------------ flush, state, progress

    @Test
    void flushCache2AsksHostAndSignalsSlot() {
        host.flushCycles = 500;
        submit(new CsAssembler().move32(94, 0x1234).flushCache2(FLUSH_CLEAN_INVALIDATE, FLUSH_CLEAN_INVALIDATE,
                FLUSH_OTHER_INVALIDATE, 94, 0, 0).waitMask(1));
        assertEquals(CsState.IDLE, run());
        assertEquals(1, host.flushes.size());
        assertArrayEquals(new int[] {3, 3, 2, 0x1234}, host.flushes.get(0));
        assertEquals(1 + 1 + 500, cs.cycles(), "WAIT(1) waited for the flush");
    }

    @Test
    void stalledFlushBlocksUntilHostCompletesIt() {
        host.flushStalled = true;
        submit(new CsAssembler().flushCache2(FLUSH_CLEAN, FLUSH_NONE, FLUSH_OTHER_NONE, 0, 0, 0).move32(1, 1));
        assertEquals(CsState.WAITING_FLUSH, run());
        assertEquals(CommandStream.BLOCKED_REASON_FLUSH, cs.statusBlockedReason());
        assertEquals(0, cs.extract());
        assertEquals(CsState.WAITING_FLUSH, run());
        host.flushStalled = false;
        assertEquals(CsState.IDLE, run());
        assertEquals(1, cs.register(1));
        assertEquals(3, host.flushes.size());
    }

    @Test
    void storeStateWritesTimestampCycleCountAndErrorStatus() {
        submit(new CsAssembler().move48(0, DATA).storeState(STATE_TIMESTAMP, 0, 0).storeState(STATE_CYCLE_COUNT, 0, 8)
                .storeState(STATE_ERROR_STATUS, 0, 16));
        mem.write64(DATA + 16, -1);
        run();
        assertEquals(host.timestamp, mem.read64(DATA));
        assertEquals(42, mem.read64(DATA + 8));
        assertEquals(0, mem.read64(DATA + 16));
    }

    @Test
    void progressCounterFromRunAndWait() {
        submit(new CsAssembler().runCompute(1, AXIS_X, 0, 0, 0, 0, true).wait(0, true).progressLoad(4).move48(6, 100)
                .progressStore(6).progressLoad(8));
        run();
        assertEquals(2, cs.register64(4));
        assertEquals(100, cs.register64(8));
    }

    @Test
    void acceptedNoOpsCostOneCycle() {
        submit(new CsAssembler().emit(CsInstr.reqResource(true, false, false, false)).emit(CsInstr.heapSet(0))
                .emit(CsInstr.setExceptionHandler(2, 0, 2)).emit(0x2900_0000_0000_0010L).emit(0x0900_0000_0000_0000L));
        assertEquals(CsState.IDLE, run());
        assertEquals(5, cs.cycles());
        assertEquals(5, cs.instructions());
    }

    /** The exact words Panthor's queue_run_job() writes, built with its shift expressions. */
    @Test
    void panthorRingSequenceRunsUserStreamAndSignalsSyncobj() {
        long addrReg = 96 - 4;
        long valReg = addrReg + 2;
        long syncAddr = DATA + 0x200;
        long waitallMask = 0xff;
        CsAssembler user = new CsAssembler().move48(0, DATA).move32(2, 0xC0FFEE).storeMultiple(2, 1, 0, 0);
        user.writeTo(mem, BUF);
        long[] seq = {
            (2L << 56) | (valReg << 48) | 7,
            (36L << 56) | (0L << 48) | (valReg << 40) | (0 << 16) | 0x233,
            (1L << 56) | (addrReg << 48) | BUF,
            (2L << 56) | (valReg << 48) | user.byteSize(),
            (3L << 56) | (1 << 16),
            (32L << 56) | (addrReg << 40) | (valReg << 32),
            (1L << 56) | (addrReg << 48) | syncAddr,
            (1L << 56) | (valReg << 48) | 1,
            (3L << 56) | (waitallMask << 16),
            (51L << 56) | (0L << 48) | (addrReg << 40) | (valReg << 32) | (0 << 16) | 1,
            (47L << 56),
        };
        CsAssembler job = new CsAssembler();
        for (long ins : seq) {
            job.emit(ins);
        }
        job.padTo(8);
        submit(job);
        submit(job);
        assertEquals(CsState.IDLE, run());
        assertEquals(0xC0FFEE, mem.read32(DATA));
        assertEquals(2, mem.read64(syncAddr));
        assertEquals(0, mem.read32(syncAddr + 8));
        assertEquals(2, host.flushes.size());
        assertEquals(7, host.flushes.get(0)[3]);
        assertEquals(2 * 16 * 8, ring.extract);
    }

    private static String hex(long v) {
        return String.format("0x%x", v);
    }
}
