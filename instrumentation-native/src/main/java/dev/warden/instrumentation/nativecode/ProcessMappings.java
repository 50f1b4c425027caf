package dev.warden.instrumentation.nativecode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which file is mapped at an address of this process, as the kernel says ({@code /proc/self/maps}):
 * what names the library of a foreign function whose address is all a downcall has. Read by the
 * enricher inside a decision, never by the application's code; absent where there is no
 * {@code /proc} (the fact is then missing, and rules that need it do not permit).
 */
interface ProcessMappings {

    ProcessMappings SELF = address -> {
        try {
            return fileAt(Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1), address);
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    };

    /** @return the path of the file mapped at {@code address}, if a file is mapped there */
    Optional<String> fileAt(long address);

    /** One {@code /proc/<pid>/maps} line: {@code start-end perms offset dev inode [path]}. */
    static Optional<String> fileAt(List<String> maps, long address) {
        for (String line : maps) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash < 0 || space < dash) {
                continue;
            }
            long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
            long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
            if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
                int slash = line.indexOf('/', space);
                return slash < 0 ? Optional.empty() : Optional.of(line.substring(slash));
            }
        }
        return Optional.empty();
    }
}
