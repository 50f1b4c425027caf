package dev.warden.agent.config;

import java.nio.file.Path;

/**
 * Where this JVM's chain lives and which key hands it over.
 *
 * @param perProcess  the JVM writes its own chain in a subdirectory of the receipts directory
 * @param instance    that subdirectory's configured name, or null for the host name (then the first free of
 *                    {@code <host>}, {@code <host>-2}, ...)
 * @param rotateFrom  the private key the log is signed with until now ({@code rotate-key}), or null
 */
public record ChainConfig(boolean perProcess, String instance, Path rotateFrom) {
}
