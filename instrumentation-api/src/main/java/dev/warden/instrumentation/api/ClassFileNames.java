package dev.warden.instrumentation.api;

/**
 * A type description that can say, from its class file's constant pool alone, that a name does not occur in
 * the class: a class that declares a method named {@code executeQuery} has that name in its constant pool. The
 * installer's descriptions implement it, so a matcher can turn away the thousands of classes an application
 * loads without parsing their methods.
 */
public interface ClassFileNames {

    /** False only when {@code name} (ASCII) is certainly not in the class file's constant pool. */
    boolean mayMention(String name);
}
