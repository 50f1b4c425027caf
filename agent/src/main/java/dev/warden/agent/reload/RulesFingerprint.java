package dev.warden.agent.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the rules directory looks like without reading it: where it is, and every file's path, size and
 * modification time. Cheap enough to take a few times a second; a change only makes the watcher read the directory
 * (whose content hash decides whether anything changed at all).
 */
record RulesFingerprint(List<String> files) {

    static RulesFingerprint of(Path directory) {
        List<String> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                if (attributes.isRegularFile()) {
                    files.add(directory.relativize(path) + " " + attributes.size() + " " + attributes.lastModifiedTime().toMillis()
                            + " " + attributes.lastModifiedTime().toInstant().getNano());
                }
            }
        } catch (IOException | RuntimeException e) {
            files.add("unreadable: " + e); // a directory being replaced: looked at again next time
        }
        files.sort(null);
        files.add(0, "in " + directory); // a link on the way flipped to a copy alike, to the second: still a change to look at
        return new RulesFingerprint(List.copyOf(files));
    }
}
