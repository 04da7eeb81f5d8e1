package driver.core.subsys.mmu;

/**
 * One level of a page-table walk for {@code mmu:walk}.
 *
 * @param level        0..3 (LPAE levels)
 * @param tableAddress physical address of the table read
 * @param index        entry index in it
 * @param entry        the raw descriptor
 * @param meaning      decoded: {@code table}, {@code block 2M}, {@code page 4K}, {@code invalid}, with attributes
 */
public record WalkLine(int level, long tableAddress, int index, long entry, String meaning) {
}
