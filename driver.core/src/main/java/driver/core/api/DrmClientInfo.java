package driver.core.api;

/**
 * One open DRM file, as {@code gpu:clients} and fdinfo show it.
 *
 * @param clientId {@code drm-client-id}, unique per device
 * @param node "render" or "primary"
 * @param pid the opening process
 * @param comm its name
 * @param master whether the file is DRM master
 * @param gemHandles GEM handles held
 * @param residentBytes bytes of those objects whose pages are allocated
 * @param syncobjs syncobj handles held
 * @param vms VM ids in use
 * @param groups group handles in use
 */
public record DrmClientInfo(int clientId, String node, int pid, String comm, boolean master,
                            int gemHandles, long residentBytes, int syncobjs, int vms, int groups) {
}
