package dev.warden.agent.siem;

import java.io.IOException;

/** Where the SIEM stream's events go; used by the stream's one thread only. */
interface SiemOutput extends AutoCloseable {

    /** One event; when this throws, the event is lost and the stream counts it as dropped. */
    void write(SiemEvent event) throws IOException;

    /** The stream has nothing more queued for now. */
    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
