package dev.warden.e2e.host;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An application that routes {@code System.err} through code of its own, as logging bridges do, and knows nothing of
 * Warden. Its stream first tries to write a file, naming the thread that printed, then passes the bytes on; the host
 * itself prints nothing there, so whatever reaches the stream came from the agent.
 *
 * <pre>
 *   java ReplacedStderrHost PATH
 *   out: READY, then waits until its standard input closes
 * </pre>
 */
public final class ReplacedStderrHost {

    public static void main(String[] args) throws Exception {
        Path written = Path.of(args[0]);
        PrintStream original = System.err;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                try {
                    Files.writeString(written, Thread.currentThread().getName() + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (Throwable refused) {
                    // the policy permits no file: refused, as it should be on any thread
                }
                original.write(bytes, offset, length);
            }
        }, true));
        System.out.println("READY");
        System.in.transferTo(OutputStream.nullOutputStream());
    }
}
