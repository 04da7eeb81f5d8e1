package driver.core.api;

/**
 * One entry of a sysfs directory.
 *
 * @param name the entry's name
 * @param kind directory, attribute or link
 * @param mode the permission bits ({@code 0755} for directories, {@code 0777} for links,
 *        the attribute's mode otherwise)
 * @param target the link target, or null
 */
public record SysfsEntry(String name, Kind kind, int mode, String target) {

    public enum Kind { DIRECTORY, ATTRIBUTE, LINK }
}
