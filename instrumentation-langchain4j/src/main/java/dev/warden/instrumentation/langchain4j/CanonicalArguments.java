package dev.warden.instrumentation.langchain4j;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.util.Map;
import java.util.TreeMap;

/**
 * Tool arguments as read, written back in one form: the top-level members (which bind to the tool's
 * parameters by name, so their order means nothing) in name order, no whitespace, strings escaped one
 * way, numbers as read. Two texts a model writes for one call (spacing, member order, {@code \u0061} for
 * {@code a}) are then one {@code tool.arguments}, so one action digest: a loop rule counts them as the
 * same call, and an approval of one covers the other, which is the same call to the tool. Nested
 * objects keep the order written: a {@code Map} parameter hands it to the tool.
 */
final class CanonicalArguments {

    // 1e400 reads as Infinity, as Jackson reads it: written so, not thrown on.
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().serializeSpecialFloatingPointValues().create();

    private CanonicalArguments() {
    }

    static String of(Map<String, Object> members) {
        return JSON.toJson(new TreeMap<>(members));
    }

    /** One argument's value as JSON text: what a rule reads for an object or array in {@code arg.<name>}. */
    static String value(Object value) {
        return JSON.toJson(value);
    }
}
