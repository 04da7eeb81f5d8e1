/**
 * Hardware interfaces of the simulated Mali-G610: what a driver may touch.
 * The model behind them stays private to the hw.model bundle.
 */
@Export
@Version("1.0.0")
package hw.model.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
