package dev.warden.bootstrap.langchain4j;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.ThreadIdentity;

import java.util.HashMap;
import java.util.Map;

/**
 * The shared half of LangChain4j tool advice. The advice, inlined into LangChain4j's classes, reads
 * what the call knows through LangChain4j's own getters and hands it over as JDK types; everything
 * else — the request, identity hints, what the model sees on a refusal — is decided here, once.
 */
public final class ToolActions {

    public static final String SURFACE = "tool";

    /**
     * {@code InvocationParameters} entries that name who acts: the host passes them with the AI
     * service call ({@code InvocationParameters.from("warden.actor", "sales-assistant")}) and they
     * reach every tool, on whatever thread it runs.
     */
    public static final String ACTOR_PARAMETER = "warden.actor";
    public static final String ON_BEHALF_OF_PARAMETER = "warden.onBehalfOf";
    public static final String SESSION_PARAMETER = "warden.session";

    private ToolActions() {
    }

    /**
     * The action of one tool call, to decide in the call's scope.
     *
     * @param name       the tool the model asked for
     * @param arguments  the raw arguments text (JSON when the model behaved)
     * @param callId     the model's id for this call, may be null
     * @param memoryId   the chat memory id (the session), may be null
     * @param aiService  the AI service interface, when the call came through one
     * @param method     the AI service method
     * @param parameters the invocation parameters' map, may be null
     * @param known      false when no tool of that name exists (a hallucinated tool)
     * @param receiver   the hooked method's receiver, and
     * @param hooked     its arguments (may be null): an MCP executor or client among them runs the call ({@link McpTools})
     * @throws ReflectiveOperationException when an MCP executor or client among them cannot be read: refuse the call
     */
    public static ActionRequest request(String name, String arguments, String callId, Object memoryId, String aiService,
                                        String method, Map<String, Object> parameters, boolean known,
                                        Object receiver, Object[] hooked) throws ReflectiveOperationException {
        return request(name, arguments, callId, memoryId, aiService, method, parameters, null, known, receiver, hooked);
    }

    /**
     * {@link #request(String, String, String, Object, String, String, Map, boolean, Object, Object[])} for a call
     * that carries its invocation's {@code InvocationContext}: the identity its parameters name is read as they were
     * when the invocation began ({@link ParametersAsBegun}), whatever its tools wrote in them since.
     */
    public static ActionRequest request(String name, String arguments, String callId, Object memoryId, String aiService,
                                        String method, Map<String, Object> parameters, Object context, boolean known,
                                        Object receiver, Object[] hooked) throws ReflectiveOperationException {
        Map<String, Object> attributes = new HashMap<>(12);
        // The tool that runs: a DefaultToolExecutor runs its own method's, whatever the request is named (MethodTools).
        String running = MethodTools.of(receiver);
        if (running == null && hooked != null) {
            running = MethodTools.of(hooked);
        }
        if (running != null && !running.equals(name)) {
            put(attributes, "tool.calledAs", name);
            name = running;
        }
        put(attributes, "tool.name", name);
        put(attributes, "tool.arguments", arguments);
        put(attributes, "tool.callId", callId);
        put(attributes, "tool.known", known);
        put(attributes, "aiService.interface", aiService);
        put(attributes, "aiService.method", method);
        McpTools.addTo(attributes, name, receiver);
        if (hooked != null && !attributes.containsKey("tool.mcp.server")) {
            McpTools.addTo(attributes, name, hooked);
        }
        Map<String, java.util.List<String>> enums = EnumParameters.of(receiver);
        if (enums.isEmpty() && hooked != null) {
            enums = EnumParameters.of(hooked);
        }
        if (!enums.isEmpty()) {
            attributes.put(EnumParameters.ATTRIBUTE, enums);
        }
        ToolParameters bound = ToolParameters.of(receiver);
        if (bound == null && hooked != null) {
            bound = ToolParameters.of(hooked);
        }
        if (bound != null) {
            attributes.put(ToolParameters.ATTRIBUTE, bound);
        }
        if (Compensations.running()) {
            attributes.put("tool.compensation", Boolean.TRUE);
        }
        if (memoryId != null) {
            attributes.put("memoryId", String.valueOf(memoryId));
        }
        Identity.fromInvocation(ParametersAsBegun.of(context, parameters), memoryId, attributes);
        Identity.boundBy(ThreadIdentity.bindingCall(hooked), attributes);
        // Calls that carry no context (a hallucinated tool, pre-1.6 executors) inherit the AI service's.
        Invocations.addTo(attributes);
        String tool = name == null ? "" : name;
        return new ActionRequest(SURFACE, tool, tool, attributes);
    }

    /** What a call's action says about what runs it: the executor's method (its binding), an MCP server's tool. */
    private static final String[] WHAT_RUNS = {ToolParameters.ATTRIBUTE, EnumParameters.ATTRIBUTE, "tool.mcp.server", "tool.mcp.tool"};

    /**
     * The carrier by which this tool call continues the decision of the call enclosing it ({@link ActionScope#decide}):
     * its request, unless this call knows another tool or binding runs than that call was decided for. An executor of
     * the application's (a decorator that logs or times, an alias table) is decided as the request names the tool, with
     * the arguments as written, and it may hand the same request to LangChain4j's executor: that one runs its own
     * method's tool whatever the request says ({@code tool.calledAs}), binds the arguments as the method receives them
     * ({@code "publıc"} is {@code PUBLIC}), or, for an MCP executor, runs a server's tool. Then this call is another
     * action, or the same read with what the decorator hid, and is decided on its own (found by a thirteenth review,
     * 2026-12-08: the mail tool's executor behind a decorator, handed a request named {@code crm_read}, sent mail on the
     * permit of the CRM read). Only ever makes more decisions, so a host calling it gains nothing.
     */
    public static Object carrier(ActionRequest action, Object request) {
        ActionScope enclosing = ActionScope.innermostDecided(SURFACE);
        ActionRequest decided = enclosing == null ? null : enclosing.request();
        if (decided == null || action == null) {
            return request;
        }
        if (!java.util.Objects.equals(decided.operation(), action.operation())) {
            return null;
        }
        for (String known : WHAT_RUNS) {
            Object here = action.attribute(known);
            if (here != null && !here.equals(decided.attribute(known))) {
                return null;
            }
        }
        return request;
    }

    /**
     * A tool call of the invocation of {@code context} returned (or was refused): the identity entries of its parameters
     * are put back as the invocation began with them ({@link ParametersAsBegun#putBack}), so that what the tool wrote
     * there does not name who the application's next request, given the same parameters object, acts for.
     */
    public static void returned(Object context, Map<String, Object> parameters) {
        ParametersAsBegun.putBack(context, parameters);
    }

    /**
     * A tool call of the invocation of {@code context} begins: its parameters' identity entries are read, if this
     * invocation's were not yet, before the tool can write them (where tools are not gated, nothing else reads them at
     * a tool call), so that {@link #returned} puts back this invocation's own.
     */
    public static void calling(Object context, Map<String, Object> parameters) {
        if (context != null) {
            ParametersAsBegun.of(context, parameters);
        }
    }

    /** The refusal of a tool call whose request could not be read (it threw at the advice). */
    public static Decision unreadable(Throwable failure) {
        return Decision.unreadable("could not read the tool call", failure);
    }

    /**
     * What the model reads instead of the tool's result when the call is refused: the decision's
     * message, which names the rule, the reason and the receipt, so that the model can tell its user
     * what it could not do and why.
     */
    public static String refusalText(Decision decision) {
        return decision.denialMessage();
    }

    static void put(Map<String, Object> attributes, String name, Object value) {
        if (value != null) {
            attributes.put(name, value);
        }
    }
}
