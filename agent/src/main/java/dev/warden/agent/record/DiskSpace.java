package dev.warden.agent.record;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** The space left where receipts are written. One system call per question: never asked per action. */
public interface DiskSpace {

    /** Bytes this process may still write. */
    long usableBytes() throws IOException;

    /** Size of the file system. */
    long totalBytes() throws IOException;

    /** Where, for refusals: the receipts directory. */
    String where();

    /** The file store that holds {@code directory}, looked up again after a failure (a remount). */
    static DiskSpace of(Path directory) {
        return new DiskSpace() {
            private FileStore store;

            @Override
            public long usableBytes() throws IOException {
                return store().getUsableSpace();
            }

            @Override
            public long totalBytes() throws IOException {
                return store().getTotalSpace();
            }

            @Override
            public String where() {
                return directory.toAbsolutePath().toString();
            }

            private synchronized FileStore store() throws IOException {
                if (store == null) {
                    store = Files.getFileStore(directory);
                }
                return store;
            }
        };
    }
}
