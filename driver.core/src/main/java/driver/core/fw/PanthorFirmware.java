package driver.core.fw;

import driver.core.kernel.KernelMapping;
import driver.core.uapi.DrmPanthorCsifInfo;
import org.osgi.annotation.versioning.ProviderType;

/**
 * DOC: The firmware as a subsystem sees it ({@code panthor_fw.h}).
 *
 * What {@code panthor_sched.c} calls outside itself: the CSF interfaces ({@code struct
 * panthor_fw_{global,csg,cs}_iface}: control, input and output structures of the shared
 * section, addressed by the {@code hw.model.csf.CsfLayout} field offsets), the REQ/ACK helpers
 * ({@code panthor_fw_toggle_reqs()}/{@code panthor_fw_update_reqs()} and the waits),
 * doorbells, the firmware-VM memory of queues and groups
 * ({@code panthor_fw_alloc_queue_iface_mem()}, {@code panthor_fw_alloc_suspend_buf_mem()}),
 * the GPU's latest flush id ({@code panthor_gpu_read_64bit_counter}/LATEST_FLUSH_ID), runtime
 * PM ({@code panthor_device_resume_and_get()}, {@code pm_runtime_put_autosuspend()}) and the
 * device reset ({@code panthor_device_schedule_reset()}). A service of driver.core; the
 * scheduler implementations {@code @Reference} it.
 *
 * <p>Errors are C style: 0 or a negative errno.
 */
@ProviderType
public interface PanthorFirmware {

    /** One structure of the shared section, addressed by field offset (little-endian). */
    interface Area {
        int read32(int field);

        void write32(int field, int value);

        long read64(int field);

        void write64(int field, long value);
    }

    /** {@code struct panthor_fw_*_iface}: control, input and output structures. */
    interface Iface {
        Area control();

        Area input();

        Area output();

        /** {@code panthor_fw_toggle_reqs(iface, inReg, outReg, mask)}: REQ bits of mask := ~ACK bits. */
        void toggleReqs(int inReg, int outReg, int mask);

        /** {@code panthor_fw_update_reqs(iface, inReg, val, mask)}: set a level field of REQ. */
        void updateReqs(int inReg, int val, int mask);
    }

    /** Whether the MCU booted (interfaces exist). */
    boolean booted();

    /** CSG slots the firmware offers ({@code glb_iface->control->group_num}). */
    int csgSlotCount();

    /** CS slots per CSG ({@code csg_iface->control->stream_num}). */
    int csSlotCount();

    /** CSIF_INFO ({@code ptdev->csif_info}): CSG/CS slots, CS registers, scoreboards. */
    DrmPanthorCsifInfo csifInfo();

    /** {@code panthor_fw_get_glb_iface()}. */
    Iface glb();

    /** {@code panthor_fw_get_csg_iface()}. */
    Iface csg(int csgSlot);

    /** {@code panthor_fw_get_cs_iface()}. */
    Iface cs(int csgSlot, int csSlot);

    /**
     * {@code panthor_fw_glb_wait_acks()}: the acknowledged mask ({@code reqMask}, never
     * negative) or a negative errno (-ETIMEDOUT; -EINVAL for GLB_HALT or a bit outside GLB_REQ_MASK).
     */
    int glbWaitAcks(int reqMask, long timeoutMs);

    /**
     * {@code panthor_fw_csg_wait_acks()}: the acknowledged mask or a negative errno
     * (-ETIMEDOUT when some request stays pending; -EINVAL for bits outside CSG_REQ_MASK).
     */
    int csgWaitAcks(int csgSlot, int reqMask, long timeoutMs);

    /** Rings doorbell {@code id} ({@code CSF_DOORBELL(id)}; 0 is the global/kernel doorbell). */
    void ringDoorbell(int id);

    /** {@code panthor_fw_ring_csg_doorbells()}: toggle GLB doorbell_req bits, ring the global doorbell. */
    void ringCsgDoorbells(int csgMask);

    /**
     * {@code panthor_fw_alloc_queue_iface_mem()}: two zeroed pages in the firmware VM, the
     * queue's input page at offset 0 and output page at 4 KiB (MCU VA = {@link KernelMapping#gpuVa()}).
     *
     * @throws driver.core.uapi.ErrnoException ENOMEM
     */
    KernelMapping allocQueueIfaceMem();

    /**
     * {@code panthor_fw_alloc_suspend_buf_mem()}: {@code size} bytes (page-rounded) of zeroed
     * firmware-VM memory for a CSG suspend buffer.
     *
     * @throws driver.core.uapi.ErrnoException ENOMEM
     */
    KernelMapping allocSuspendBufMem(long size);

    /** {@code panthor_kernel_bo_destroy()} of a firmware-VM allocation made here. */
    void freeFwMem(KernelMapping mem);

    /** {@code gpu_read(ptdev, CSF_GPU_LATEST_FLUSH_ID)}. */
    int latestFlushId();

    /** {@code panthor_device_resume_and_get()}: 0 (a reference is held) or a negative errno. */
    int resumeAndGet();

    /** {@code pm_runtime_mark_last_busy()} + {@code pm_runtime_put_autosuspend()}. */
    void putAutosuspend();

    /** Whether the device is powered and running ({@code pm_runtime_active()}). */
    boolean pmActive();

    /** {@code panthor_device_schedule_reset()}. */
    void scheduleReset();

    /** {@code atomic_read(&ptdev->reset.pending)}. */
    boolean resetPending();

    /** {@code drm_info()}, {@code drm_warn()}, {@code drm_err()} into the device log. */
    void logInfo(String format, Object... args);

    void logWarn(String format, Object... args);

    void logErr(String format, Object... args);
}
