package dev.warden.jmh.file;

import org.openjdk.jmh.annotations.Fork;

/** The baseline: no agent. */
@Fork(1)
public class FileOpenForWriteWithoutAgent extends FileOpenForWrite {
}
