package dev.warden.receipts;

/**
 * Where something is in the receipts queue: a cycle file's name and a byte offset in it (the offset
 * of a document's 4-byte header, or of the first byte a problem concerns).
 */
public record ExcerptLocation(String file, long offset) {
    @Override
    public String toString() {
        return file + "@0x" + Long.toHexString(offset);
    }
}
