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

    /**
     * The file store that holds {@code directory}, looked up once, now: looking it up reads the mount
     * table, which must not happen later on an application thread (a file read the gate may decide).
     * Asking a known store for its space is one {@code statvfs}, no file is opened.
     */
    static DiskSpace of(Path directory) {
        FileStore found;
        IOException failure;
        try {
            found = Files.getFileStore(directory);
            failure = null;
        } catch (IOException e) {
            found = null;
            failure = e;
        }
        FileStore store = found;
        IOException lookupFailure = failure;
        return new DiskSpace() {
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

            private FileStore store() throws IOException {
                if (store == null) {
                    throw new IOException("no file store found for " + directory + ": " + lookupFailure.getMessage(), lookupFailure);
                }
                return store;
            }
        };
    }
}
