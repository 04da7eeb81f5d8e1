package hw.model.internal.cs;

/** Ring pointers held in fields, counting how often extract is published. */
final class TestRing implements RingPointers {
    long insert;
    long extract;
    int extractWrites;

    @Override
    public long insert() {
        return insert;
    }

    @Override
    public void extract(long extract) {
        this.extract = extract;
        extractWrites++;
    }
}
