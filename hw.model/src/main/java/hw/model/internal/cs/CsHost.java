package hw.model.internal.cs;

/**
 * What a {@link CommandStream} needs from the rest of the GPU while it runs; implemented by
 * the firmware model. Called from inside {@link CommandStream#run}, under the model lock;
 * an implementation must not run the same stream re-entrantly.
 */
public interface CsHost {

    /** Returned by {@link #flushCaches} when the flush does not complete (fault injection). */
    long FLUSH_STALLED = -1;

    /**
     * Shader cores the stream's compute work may use (the CSG's allowed mask, ANDed with the
     * powered cores); RUN_COMPUTE work is divided by its population count (at least 1).
     */
    long shaderCoreMask();

    /**
     * A SYNC_ADD/SYNC_SET wrote the 32- or 64-bit sync object at {@code va} (the host raises
     * CSG SYNC_UPDATE and re-runs streams waiting on syncs).
     */
    void syncUpdated(CommandStream cs, long va, boolean is64);

    /**
     * FLUSH_CACHE2 asks for a cache flush (modes as in v10.xml; {@code latestFlushId} is the
     * value of the instruction's flush-ID register). Returns the flush duration in cycles, or
     * {@link #FLUSH_STALLED}: the stream then blocks in WAITING_FLUSH and asks again on its
     * next run.
     */
    long flushCaches(CommandStream cs, int l2Mode, int lscMode, int otherMode, int latestFlushId);

    /** GPU timestamp for STORE_STATE.TIMESTAMP. */
    default long timestamp() {
        return 0;
    }

    /** GPU cycle counter for STORE_STATE.CYCLE_COUNT. */
    default long cycleCount() {
        return 0;
    }
}
