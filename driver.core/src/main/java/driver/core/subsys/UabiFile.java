package driver.core.subsys;

import driver.core.kernel.GemObject;
import driver.core.kernel.Syncobj;
import org.osgi.annotation.versioning.ProviderType;

/**
 * DOC: An open DRM file as a subsystem sees it.
 *
 * The per-file state of {@code struct panthor_file} that belongs to the driver core and
 * survives a swap: the VM pool ({@code pfile->vms}, ids 1..32) and the group pool
 * ({@code pfile->groups}, 1..128), plus the file's GEM and syncobj handle tables. The pools
 * hold whatever the subsystem stores; store values (e.g. {@link driver.core.subsys.mmu.VmRef}),
 * not implementation objects, so the next implementation can read them.
 */
@ProviderType
public interface UabiFile {

    /** The DRM client id (as in fdinfo's {@code drm-client-id}); stable for the file's life. */
    int clientId();

    int openerPid();

    String openerComm();

    /** The file's VM pool. */
    HandlePool vms();

    /** The file's group pool. */
    HandlePool groups();

    /** {@code drm_gem_object_lookup()}: the object with a new reference (put it), or null. */
    GemObject lookupGem(int handle);

    /** {@code drm_syncobj_find()}: the syncobj with a new reference (put it), or null. */
    Syncobj lookupSyncobj(int handle);
}
