package dev.warden.agent.install;

import net.bytebuddy.jar.asm.ClassReader;

/** Searches a class file's constant pool in place: no string is decoded, nothing is allocated. */
final class ConstantPool {

    private static final int UTF8 = 1;

    private ConstantPool() {
    }

    /** Whether the pool holds {@code text} as a UTF-8 constant; a text that is not ASCII is assumed held. */
    static boolean holdsUtf8(ClassReader classFile, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || c > 0x7f) {
                return true; // stored in modified UTF-8: not compared byte for byte here
            }
        }
        byte[] bytes = classFile.b;
        for (int item = 1; item < classFile.getItemCount(); item++) {
            int offset = classFile.getItem(item);
            // The second slot of a long or a double has no offset.
            if (offset == 0 || bytes[offset - 1] != UTF8 || classFile.readUnsignedShort(offset) != text.length()) {
                continue;
            }
            if (equalAscii(bytes, offset + 2, text)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equalAscii(byte[] bytes, int from, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (bytes[from + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
