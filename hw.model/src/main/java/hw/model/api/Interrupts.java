package hw.model.api;

import org.osgi.annotation.versioning.ProviderType;

/** The interrupt controller in front of the GPU's three lines ({@code request_irq}). */
@ProviderType
public interface Interrupts {

    /**
     * Installs the handler for a line; one handler per line, as the driver requests its IRQs
     * exclusively. Closing the registration frees the line ({@code free_irq}) and waits for a
     * running call of the handler to return.
     *
     * @throws IllegalStateException if the line already has a handler
     */
    Registration request(IrqLine line, IrqHandler handler);

    /** Whether the line is asserted now (its STAT is non-zero). */
    boolean asserted(IrqLine line);

    /** Whether the line was disabled after an interrupt storm; re-requesting re-enables it. */
    boolean disabled(IrqLine line);

    /** Handler calls delivered on the line since boot. */
    long count(IrqLine line);

    /** A requested IRQ; closing it is {@code free_irq}. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
