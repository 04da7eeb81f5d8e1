package driver.core.subsys.sched;

/** A queue for {@code sched:queues}: ring buffer position and job counters. */
public record QueueInfo(int clientId, int groupHandle, int index, int priority, long ringbufVa, int ringbufSize,
                        long insert, long extract, long submitted, long completed, boolean blocked) {
}
