package dev.warden.jmh.file;

import org.openjdk.jmh.annotations.Fork;

/** The same opens under the agent, file surface only: decision (path resolution + rules) and receipt append. Run from the repository root. */
@Fork(value = 1, jvmArgsAppend = "-javaagent:agent/target/warden-agent.jar=rules=jmh/rules/file,receipts=target/jmh-receipts-file,surfaces=file,log=warn")
public class FileOpenForWriteWithWarden extends FileOpenForWrite {
}
