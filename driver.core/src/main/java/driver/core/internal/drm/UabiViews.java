package driver.core.internal.drm;

import driver.core.kernel.GemObject;
import driver.core.kernel.Syncobj;
import driver.core.subsys.HandlePool;
import driver.core.subsys.UabiCall;
import driver.core.subsys.UabiFile;
import driver.core.uapi.DrmPanthorObjArray;
import driver.core.uapi.DrmPanthorSyncOp;
import driver.core.user.UserProcess;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * DOC: The UABI layer's files and calls as the exported subsystem contracts see them.
 *
 * Thin views over {@link DrmFile} and {@link DrmCall}; they hold no state of their own, so a
 * view made for one call is as good as any other for the same file.
 */
final class UabiViews {

    private UabiViews() {
    }

    static UabiFile file(DrmFile f) {
        return new FileView(f);
    }

    static UabiCall call(DrmCall c) {
        return new CallView(c);
    }

    private record FileView(DrmFile f) implements UabiFile {
        @Override
        public int clientId() {
            return f.clientId();
        }

        @Override
        public int openerPid() {
            return f.openerPid();
        }

        @Override
        public String openerComm() {
            return f.openerComm();
        }

        @Override
        public HandlePool vms() {
            return new PoolView(f.vms());
        }

        @Override
        public HandlePool groups() {
            return new PoolView(f.groups());
        }

        @Override
        public GemObject lookupGem(int handle) {
            return f.lookupGem(handle);
        }

        @Override
        public Syncobj lookupSyncobj(int handle) {
            return f.lookupSyncobj(handle);
        }
    }

    private record PoolView(HandleTable<Object> t) implements HandlePool {
        @Override
        public int alloc(Object value) {
            return t.alloc(value);
        }

        @Override
        public Object get(int id) {
            return t.get(id);
        }

        @Override
        public Object remove(int id) {
            return t.remove(id);
        }

        @Override
        public Map<Integer, Object> snapshot() {
            return t.snapshot();
        }

        @Override
        public int size() {
            return t.size();
        }
    }

    private record CallView(DrmCall c) implements UabiCall {
        @Override
        public UabiFile file() {
            return new FileView(c.file());
        }

        @Override
        public UserProcess caller() {
            return c.caller();
        }

        @Override
        public <T> List<T> copyArray(DrmPanthorObjArray array, int minSize, int kernelSize,
                                     BiFunction<byte[], Integer, T> decoder) {
            return c.copyArray(array, minSize, kernelSize, decoder::apply);
        }

        @Override
        public List<DrmPanthorSyncOp> copySyncOps(DrmPanthorObjArray array) {
            return c.copySyncOps(array);
        }

        @Override
        public void checkSyncOp(DrmPanthorSyncOp op) {
            DrmCall.checkSyncOp(op);
        }
    }
}
