package hw.model.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A driver's handler for one interrupt line. Lines are level-triggered: the handler is
 * called on the model's IRQ thread while the line's {@code STAT} (RAWSTAT &amp; MASK) is
 * non-zero, and called again after it returns if the line is still asserted. A handler that
 * never clears or masks its source is an interrupt storm; the model disables the line
 * ("nobody cared") after a bounded number of calls without progress.
 */
@ConsumerType
@FunctionalInterface
public interface IrqHandler {
    void handle(IrqLine line);
}
