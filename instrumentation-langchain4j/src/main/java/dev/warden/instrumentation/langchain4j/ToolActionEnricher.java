package dev.warden.instrumentation.langchain4j;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.langchain4j.EnumParameters;
import dev.warden.bootstrap.langchain4j.ToolParameters;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.FactModel;
import dev.warden.instrumentation.api.RecordedFacts;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A tool call as rules see it: operation and target are the tool's name; each top-level argument is
 * an attribute {@code arg.<name>} (strings, numbers, booleans as they are; objects and arrays as
 * their JSON text), so that a rule can say {@code text("arg.to") matches ".*@example\\.com"}.
 * Arguments that are read are {@code tool.arguments} in one form ({@link CanonicalArguments}), so that
 * a reformatted call is the same action. Where the tool's method is known (LangChain4j's own executor), they are
 * read as it binds them: members that name no parameter are left out (listed in {@code tool.arguments.unbound})
 * and a value is what its parameter receives ({@code 1.0} and {@code "1"} for an int are {@code 1}), so a call
 * the tool cannot tell from another is the same action. Arguments that are not a JSON object, or too large to read,
 * are flagged instead ({@code tool.arguments.error}) and keep their text as written. The receipt keeps
 * the argument names and sizes, never their values: what a model passes to a tool is user data.
 */
final class ToolActionEnricher implements ActionEnricher {

    private static final Set<String> SUMMARISED = Set.of("tool.callId", "tool.known", "tool.compensation", "memoryId",
            "aiService.interface", "aiService.method", "tool.mcp.server", "tool.mcp.tool", "tool.calledAs");

    /** What {@code ToolActions} packs (with the invocation's identity hints), and the arguments read here as {@code arg.NAME}. */
    static final FactModel FACTS = FactModel.anyOperation(Set.of("tool.name", "tool.arguments", "tool.callId", "tool.known",
            "aiService.interface", "aiService.method", "memoryId", "actor", "onBehalfOf", "session",
            "tool.arguments.size", "tool.arguments.error", "tool.arguments.names", "tool.arguments.sha256", "tool.arguments.unbound",
            "tool.compensation", "tool.mcp.server", "tool.mcp.tool", "tool.calledAs"))
            .withAttributePrefixes("arg.")
            .withTargetAttributes("tool.name");

    @Override
    public FactModel facts() {
        return FACTS;
    }

    @Override
    public ActionDescription describe(ActionRequest request) {
        String name = request.operation() == null ? "" : request.operation();
        Map<String, Object> attributes = new HashMap<>(request.attributes());
        Object enums = attributes.remove(EnumParameters.ATTRIBUTE);
        Object parameters = attributes.remove(ToolParameters.ATTRIBUTE);
        Map<String, String> summary = new TreeMap<>();
        summary.put("tool.name", name);
        for (String key : SUMMARISED) {
            Object value = request.attribute(key);
            if (value != null) {
                summary.put(key, value.toString());
            }
        }
        Object raw = request.attribute("tool.arguments");
        String arguments = raw instanceof String ? (String) raw : null;
        long size = arguments == null ? 0 : arguments.length();
        Set<String> unbound = new java.util.TreeSet<>();
        JsonArguments.Parsed parsed = asBound(asBound(withDefaults(JsonArguments.parse(arguments), parameters), enums),
                parameters, unbound);
        if (parsed.error() != null) {
            attributes.put("tool.arguments.error", parsed.error());
            summary.put("tool.arguments.error", parsed.error());
            // A huge raw text is no use to a rule and is not copied into the digest, its hash is: two calls of one size
            // and other contents are two actions (an approval of one must not let the other run).
            if (size > JsonArguments.MAX_PARSED_CHARS) {
                attributes.remove("tool.arguments");
                attributes.put("tool.arguments.sha256", sha256(arguments));
            }
        } else if (arguments != null) {
            String canonical = CanonicalArguments.of(parsed.members());
            attributes.put("tool.arguments", canonical);
            size = canonical.length(); // what was read, not how it was spaced: it is in the digest too
        }
        attributes.put("tool.arguments.size", size);
        summary.put("tool.arguments.size", Long.toString(size));
        parsed.members().forEach((member, value) -> attributes.put("arg." + member, flatten(value)));
        attributes.put("tool.arguments.names", Set.copyOf(parsed.members().keySet()));
        if (!parsed.members().isEmpty()) {
            summary.put("tool.arguments.names", String.join(",", new java.util.TreeSet<>(parsed.members().keySet())));
        }
        if (!unbound.isEmpty()) {
            // A fact, and in the receipt, but not in the digest (the engine leaves out *.unbound): a new member
            // each time must not make the same call another action.
            attributes.put("tool.arguments.unbound", Set.copyOf(unbound));
            summary.put("tool.arguments.unbound", String.join(",", unbound));
        }
        return new ActionDescription(name, name, Set.of(name), attributes, summary);
    }

    /** The call as recorded: its argument names and size, never their values (there is no {@code arg.*}). */
    @Override
    public ActionDescription recorded(String operation, String target, Map<String, String> summary) {
        Map<String, Object> attributes = RecordedFacts.typed(summary, Set.of("tool.arguments.names", "tool.arguments.unbound"));
        attributes.putIfAbsent("tool.arguments.names", Set.of());
        return new ActionDescription(operation, target, Set.of(target), attributes, summary);
    }

    @Override
    public java.util.List<String> unrecorded() {
        return java.util.List.of("argument values are not recorded: arg.* and tool.arguments are absent, only their names and size");
    }

    /**
     * Enum arguments as the constant LangChain4j binds ({@code "public"} is {@code PUBLIC} to the tool, so to
     * {@code arg.visibility}, {@code tool.arguments} and the digest too); a value it binds to none is left
     * as written (the call fails at binding).
     */
    @SuppressWarnings("unchecked")
    static JsonArguments.Parsed asBound(JsonArguments.Parsed parsed, Object enums) {
        if (!(enums instanceof Map<?, ?> parameters) || parameters.isEmpty() || parsed.error() != null) {
            return parsed;
        }
        Map<String, Object> members = new java.util.LinkedHashMap<>(parsed.members());
        members.replaceAll((name, value) -> {
            Object constants = parameters.get(name);
            if (value instanceof String text && constants instanceof java.util.List<?> names) {
                String bound = EnumParameters.bound(text, (java.util.List<String>) names);
                return bound == null ? text : bound;
            }
            return value;
        });
        return new JsonArguments.Parsed(members, null);
    }

    /**
     * The members with the {@code @P(defaultValue)} LangChain4j binds where a member is absent or {@code null}
     * ({@link ToolParameters#defaults()}), so that a call leaving out {@code visibility} is decided with the
     * {@code PUBLIC} the tool receives, and is the same action as the call that writes it. A default that is not
     * JSON (LangChain4j then fails the call) is left out.
     */
    static JsonArguments.Parsed withDefaults(JsonArguments.Parsed parsed, Object parameters) {
        if (!(parameters instanceof ToolParameters tool) || tool.defaults().isEmpty() || parsed.error() != null) {
            return parsed;
        }
        Map<String, Object> members = new java.util.LinkedHashMap<>(parsed.members());
        tool.defaults().forEach((name, json) -> {
            if (members.get(name) == null) {
                Object value = JsonArguments.value(json, null);
                if (value != null) {
                    members.put(name, value);
                }
            }
        });
        return new JsonArguments.Parsed(members, null);
    }

    /**
     * The members as the tool's method receives them ({@link ToolParameters}): a member no parameter binds is left
     * out and its name put in {@code unbound}; a value is its parameter's as LangChain4j converts it. Unchanged
     * where the method is not known (an executor of the application's own, an MCP tool).
     */
    static JsonArguments.Parsed asBound(JsonArguments.Parsed parsed, Object parameters, Set<String> unbound) {
        if (!(parameters instanceof ToolParameters tool) || parsed.error() != null) {
            return parsed;
        }
        Map<String, Object> members = new java.util.LinkedHashMap<>();
        parsed.members().forEach((name, value) -> {
            if (tool.binds(name)) {
                members.put(name, tool.bound(name, value));
            } else {
                unbound.add(name);
            }
        });
        return new JsonArguments.Parsed(members, null);
    }

    private static String sha256(String text) {
        byte[] hash = dev.warden.bootstrap.JdkCrypto.sha256().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(hash);
    }

    private static Object flatten(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Map || value instanceof Collection) {
            return CanonicalArguments.value(value);
        }
        return value;
    }
}
