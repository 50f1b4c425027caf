package dev.warden.agent.siem;

import java.io.IOException;

/** Where the SIEM stream's lines go; used by the stream's one thread only. */
interface SiemOutput extends AutoCloseable {

    /** One event, without its line break. */
    void write(String line) throws IOException;

    /** The stream has nothing more queued for now. */
    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
