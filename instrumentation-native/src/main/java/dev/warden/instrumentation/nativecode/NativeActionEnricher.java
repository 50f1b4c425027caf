package dev.warden.instrumentation.nativecode;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.FactModel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Describes {@code native} actions for rules and receipts. A load's target is what will be opened:
 * for JNI the canonical path the JDK resolved, for JNA and the foreign-function API the name or path
 * as given (the dynamic linker resolves a bare name). A link's target is the function's address, and
 * {@code native.library} the file the kernel has mapped there, so that rules can permit calls into
 * one library by its path.
 * <p>
 * Facts: {@code native.via} ({@code jni}, {@code jna}, {@code ffm}), {@code native.path},
 * {@code native.name}, {@code native.file} (the last path element), {@code native.directory},
 * {@code native.builtin}, {@code native.caller} (the class that called {@code System.load*}: a name the
 * application chooses, never proof of anything), {@code native.address}, {@code native.library},
 * {@code native.descriptor}.
 */
final class NativeActionEnricher implements ActionEnricher {

    private static final List<String> RECEIPT_FIELDS = List.of("native.via", "native.path", "native.name",
            "native.builtin", "native.caller", "native.address", "native.library", "native.descriptor");

    /** The JDK's {@code MemorySegment.toString()}: {@code MemorySegment{ ... address: 0x7f..., byteSize: 0 }}. */
    private static final Pattern ADDRESS = Pattern.compile("address: ?(0x[0-9a-fA-F]+|[0-9]+)");

    static final FactModel FACTS = FactModel.of(Set.of("LOAD", "LINK"), Set.of(
            "native.via", "native.path", "native.name", "native.builtin", "native.caller", "native.descriptor", "native.symbol",
            "native.file", "native.directory", "native.address", "native.library"))
            .withTargetAttributes("native.path", "native.name", "native.file", "native.directory", "native.address", "native.library");

    private final ProcessMappings mappings;

    @Override
    public FactModel facts() {
        return FACTS;
    }

    NativeActionEnricher(ProcessMappings mappings) {
        this.mappings = mappings;
    }

    @Override
    public ActionDescription describe(ActionRequest request) {
        Map<String, Object> attributes = new HashMap<>(request.attributes());
        String target = request.target() == null ? "" : request.target();
        if ("LINK".equals(request.operation())) {
            target = describeLink(attributes);
        } else {
            describeFile(attributes, target);
        }
        Map<String, String> summary = new HashMap<>();
        for (String field : RECEIPT_FIELDS) {
            Object value = attributes.get(field);
            if (value != null && !Boolean.FALSE.equals(value)) {
                summary.put(field, value.toString());
            }
        }
        return new ActionDescription(request.operation(), target, target.isEmpty() ? Set.of() : Set.of(target),
                attributes, summary);
    }

    private static void describeFile(Map<String, Object> attributes, String target) {
        int slash = target.lastIndexOf('/');
        attributes.put("native.file", target.substring(slash + 1));
        if (slash >= 0) {
            attributes.put("native.directory", slash == 0 ? "/" : target.substring(0, slash));
            attributes.putIfAbsent("native.path", target);
        }
    }

    /** @return the target: the function's address, or {@code *} for a handle that takes it with each call */
    private String describeLink(Map<String, Object> attributes) {
        Object symbol = attributes.get("native.symbol");
        Matcher matcher = symbol == null ? null : ADDRESS.matcher(symbol.toString());
        if (matcher == null || !matcher.find()) {
            return "*";
        }
        String literal = matcher.group(1);
        long address = literal.startsWith("0x") ? Long.parseUnsignedLong(literal.substring(2), 16) : Long.parseLong(literal);
        String hex = "0x" + Long.toHexString(address);
        attributes.put("native.address", hex);
        mappings.fileAt(address).ifPresent(file -> {
            attributes.put("native.library", file);
            int slash = file.lastIndexOf('/');
            attributes.put("native.file", file.substring(slash + 1));
        });
        return hex;
    }
}
