package panthor.testkit.mmu;

import driver.core.kernel.GemObject;
import driver.core.kernel.Syncobj;
import driver.core.subsys.HandlePool;
import driver.core.subsys.UabiFile;
import java.util.HashMap;
import java.util.Map;

/**
 * A stand-in DRM file for calls made below the ioctl layer: a VM pool of 32, a group pool of
 * 128, and GEM and syncobj handle tables the test fills ({@link #addGem}, {@link #addSyncobj}).
 * The opener is pid 100 with the given comm.
 */
public final class StubUabiFile implements UabiFile {

    public final int clientId;
    public final String comm;
    public final StubHandlePool vms = new StubHandlePool(32);
    public final StubHandlePool groups = new StubHandlePool(128);
    public final Map<Integer, GemObject> gems = new HashMap<>();
    public final Map<Integer, Syncobj> syncobjs = new HashMap<>();
    private int nextGem = 1;
    private int nextSyncobj = 1;

    public StubUabiFile(int clientId, String comm) {
        this.clientId = clientId;
        this.comm = comm;
    }

    public int addGem(GemObject bo) {
        int h = nextGem++;
        gems.put(h, bo);
        return h;
    }

    public int addSyncobj(Syncobj s) {
        int h = nextSyncobj++;
        syncobjs.put(h, s);
        return h;
    }

    /** The handle the next {@link #addGem} returns. */
    public int nextGemHandle() {
        return nextGem;
    }

    /** The handle the next {@link #addSyncobj} returns. */
    public int nextSyncobjHandle() {
        return nextSyncobj;
    }

    @Override public int clientId() { return clientId; }
    @Override public int openerPid() { return 100; }
    @Override public String openerComm() { return comm; }
    @Override public HandlePool vms() { return vms; }
    @Override public HandlePool groups() { return groups; }

    @Override
    public GemObject lookupGem(int handle) {
        GemObject bo = gems.get(handle);
        return bo == null ? null : bo.get();
    }

    @Override
    public Syncobj lookupSyncobj(int handle) {
        Syncobj s = syncobjs.get(handle);
        return s == null ? null : s.get();
    }
}
