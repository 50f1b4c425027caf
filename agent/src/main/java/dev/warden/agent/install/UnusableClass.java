package dev.warden.agent.install;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The class file Warden defines in place of a target it could not instrument: same name, super
 * class and interfaces (so the classes that mention it still link), no members, and a static
 * initialiser that throws. Nothing of the original can run: creating an instance, calling a static
 * method, or initialising a subclass fails with an {@link ExceptionInInitializerError} whose cause
 * says why, and every later use with a {@link NoClassDefFoundError}. Only JDK types are referenced,
 * so it is valid in any class loader.
 */
final class UnusableClass {

    private UnusableClass() {
    }

    static byte[] replacing(byte[] original, String why) {
        ClassReader reader = new ClassReader(original);
        int access = (reader.getAccess() & Opcodes.ACC_INTERFACE) != 0
                ? reader.getAccess()
                : reader.getAccess() & ~(Opcodes.ACC_ABSTRACT | Opcodes.ACC_ANNOTATION | Opcodes.ACC_ENUM) | Opcodes.ACC_SUPER;
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        // Java 8 class files: no stack map frames are needed for a straight-line initialiser.
        writer.visit(Opcodes.V1_8, access, reader.getClassName(), null, reader.getSuperName(), reader.getInterfaces());
        MethodVisitor initialiser = writer.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        initialiser.visitCode();
        initialiser.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalStateException");
        initialiser.visitInsn(Opcodes.DUP);
        initialiser.visitLdcInsn(why);
        initialiser.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/IllegalStateException", "<init>",
                "(Ljava/lang/String;)V", false);
        initialiser.visitInsn(Opcodes.ATHROW);
        initialiser.visitMaxs(0, 0);
        initialiser.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }
}
