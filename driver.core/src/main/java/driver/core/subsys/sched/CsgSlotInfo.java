package driver.core.subsys.sched;

/** A CSG slot for {@code sched:slots}: the group on it ({@code clientId}/{@code handle} 0 if free). */
public record CsgSlotInfo(int slot, int clientId, int groupHandle, int priority, boolean idle) {
}
