package hw.model.internal;

import hw.model.api.Interrupts;
import hw.model.api.IrqHandler;
import hw.model.api.IrqLine;
import hw.model.api.VirtualTime;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * DOC: Interrupt delivery.
 *
 * A dedicated "gpu-irq" thread calls the handler of every asserted line, lines in the order
 * JOB, MMU, GPU (the order is fixed so runs are reproducible). Lines are level-triggered:
 * the thread keeps calling a handler while its STAT stays non-zero. If a handler returns
 * {@value #STORM_LIMIT} times in a row without changing STAT, the line is disabled, as
 * Linux's "nobody cared" check does, so a forgotten IRQ clear is a visible bug rather than
 * a hang.
 *
 * In deterministic time the clock waits after each event until the IRQ thread is idle
 * (quiesce), lending it the clock so a handler may itself wait on the hardware.
 */
public final class IrqController implements Interrupts, VirtualClock.Quiescer {

    static final int STORM_LIMIT = 10_000;
    private static final Logger LOG = Logger.getLogger(IrqController.class.getName());
    private static final IrqLine[] ORDER = {IrqLine.JOB, IrqLine.MMU, IrqLine.GPU};

    private final Object modelLock;
    private final VirtualClock clock;
    private final EventTrace trace;
    private final Map<IrqLine, Line> lines = new EnumMap<>(IrqLine.class);
    private final Object monitor = new Object();
    private final Thread thread;
    private boolean busy;
    /** Inside a handler (which may block on a driver lock; see {@link #quiesce}). */
    private volatile boolean inHandler;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private volatile boolean running = true;

    public IrqController(Object modelLock, VirtualClock clock, EventTrace trace) {
        this.modelLock = modelLock;
        this.clock = clock;
        this.trace = trace;
        for (IrqLine l : IrqLine.values()) {
            lines.put(l, new Line());
        }
        thread = new Thread(this::loop, "gpu-irq");
        thread.setDaemon(true);
        thread.start();
    }

    /** Connects a line to the STAT value of the block that drives it. */
    public void connect(IrqLine line, IntSupplier stat) {
        lines.get(line).stat = stat;
    }

    /** Called by a block (under the model lock) when its RAWSTAT or MASK changed. */
    public void levelChanged(IrqLine line) {
        LockSupport.unpark(thread);
    }

    @Override
    public Registration request(IrqLine line, IrqHandler handler) {
        Line l = lines.get(line);
        synchronized (monitor) {
            if (l.handler != null) {
                throw new IllegalStateException("IRQ line " + line + " already requested");
            }
            l.handler = handler;
            l.disabled = false;
            l.stormCount = 0;
            monitor.notifyAll();
        }
        return () -> free(line, handler);
    }

    private void free(IrqLine line, IrqHandler handler) {
        Line l = lines.get(line);
        synchronized (monitor) {
            if (l.handler != handler) {
                return;
            }
            l.handler = null;
            while (l.running && Thread.currentThread() != thread) {
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public boolean asserted(IrqLine line) {
        return stat(lines.get(line)) != 0;
    }

    @Override
    public boolean disabled(IrqLine line) {
        return lines.get(line).disabled;
    }

    @Override
    public long count(IrqLine line) {
        return lines.get(line).count;
    }

    /**
     * Blocks until no requested, enabled line is asserted and no handler runs, or until the
     * handler waits for a lock held by the caller or by a thread waiting for this clock (an MMU
     * handler waiting for the slots lock of a thread that polls AS_STATUS under it): waiting for
     * it would deadlock, and on silicon that CPU would spin while time goes on.
     */
    @Override
    public void quiesce() {
        if (Thread.currentThread() == thread || clock.mode() != VirtualTime.Mode.DETERMINISTIC) {
            return;
        }
        Object token = clock.lendTo(thread);
        try {
            LockSupport.unpark(thread);
            while (true) {
                boolean pending = deliverable() != null;
                synchronized (monitor) {
                    if (!busy && !pending) {
                        return;
                    }
                    if (busy && handlerBlocked()) {
                        return;
                    }
                    try {
                        monitor.wait(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        } finally {
            clock.restore(token);
        }
    }

    /**
     * Whether the handler waits for a lock held by the caller or by a thread waiting for this
     * clock (a thread polling AS_STATUS under the MMU's slots lock): either way the handler
     * cannot finish before time goes on. A lock held by a thread that is running is not enough:
     * that thread will let go without time moving.
     */
    private boolean handlerBlocked() {
        if (!inHandler) {
            return false;
        }
        ThreadInfo info = THREADS.getThreadInfo(thread.getId());
        /* Still inside the handler afterwards: not blocked on this controller's own monitor, which
         * the caller holds while it asks and the thread takes right after a handler returns. */
        if (info == null) {
            return false;
        }
        long owner = info.getLockOwnerId();
        return owner != -1 && (owner == Thread.currentThread().getId() || clock.isAwaiting(owner)) && inHandler;
    }

    public void shutdown() {
        running = false;
        thread.interrupt();
    }

    private int stat(Line l) {
        IntSupplier s = l.stat;
        if (s == null) {
            return 0;
        }
        synchronized (modelLock) {
            return s.getAsInt();
        }
    }

    /** The first line that needs its handler called, or null. Never called under the monitor. */
    private IrqLine deliverable() {
        for (IrqLine line : ORDER) {
            Line l = lines.get(line);
            if (l.handler != null && !l.disabled && stat(l) != 0) {
                return line;
            }
        }
        return null;
    }

    private void loop() {
        while (running) {
            IrqLine line;
            IrqHandler handler;
            Line l;
            synchronized (monitor) {
                busy = true;
            }
            line = deliverable();
            if (line == null) {
                synchronized (monitor) {
                    busy = false;
                    monitor.notifyAll();
                }
                LockSupport.parkNanos(5_000_000L);
                continue;
            }
            synchronized (monitor) {
                l = lines.get(line);
                handler = l.handler;
                if (handler == null) {
                    continue;
                }
                l.running = true;
            }
            int before = stat(l);
            try {
                l.count++;
                trace.record("irq-deliver-" + line, before);
                inHandler = true;
                handler.handle(line);
            } catch (RuntimeException e) {
                LOG.severe("IRQ handler for " + line + " threw: " + e);
            } finally {
                inHandler = false;
                synchronized (monitor) {
                    l.running = false;
                    monitor.notifyAll();
                }
            }
            int after = stat(l);
            synchronized (monitor) {
                if (after != 0 && after == before) {
                    if (++l.stormCount >= STORM_LIMIT) {
                        l.disabled = true;
                        trace.record("irq-nobody-cared-" + line, after);
                        LOG.warning("irq " + line + ": nobody cared (STAT 0x" + Integer.toHexString(after)
                                + " never cleared); disabling the line");
                    }
                } else {
                    l.stormCount = 0;
                }
            }
        }
    }

    private static final class Line {
        volatile IrqHandler handler;
        volatile IntSupplier stat;
        volatile boolean disabled;
        volatile boolean running;
        volatile long count;
        int stormCount;
    }
}
