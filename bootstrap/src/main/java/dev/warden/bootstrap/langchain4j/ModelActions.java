package dev.warden.bootstrap.langchain4j;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Attachment;
import dev.warden.bootstrap.Bindings;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared half of LangChain4j chat-model advice: a {@code model} action decided before the call,
 * with an estimate of its input tokens, and the usage the provider reported recorded after it.
 */
public final class ModelActions {

    public static final String SURFACE = "model";
    /**
     * The digest of what the call asks ({@link #requestDigest}): the enricher moves it out of the facts into what the
     * action's digest binds, so no rule and no receipt sees it, and an approval of one prompt does not send another of
     * the same length (found by a review, 2026-12-06).
     */
    public static final String REQUEST_DIGEST = "model.request.digest";
    /**
     * The digest of what the call asks but its parameters (the messages, tools and response schema): what a cap on the
     * output, which rewrites only the parameters, leaves as it was ({@link dev.warden.bootstrap.ActionScope#nowSends}).
     * Bound by {@link #REQUEST_DIGEST} already, so the enricher drops it.
     */
    public static final String ASKED_DIGEST = "model.request.asked";
    /** {@code model.api}: which of LangChain4j's model interfaces was called. */
    public static final String API_CHAT = "chat";
    public static final String API_LANGUAGE = "language";
    public static final String API_BATCH = "batch";
    /** LangChain4j's own classes spell all they hold ({@code toString}); another class's spelling is not trusted. */
    private static final String LANGCHAIN4J = "dev.langchain4j.";

    /** The common rule of thumb for English text and BPE tokenizers; an estimate, not a count. */
    private static final int CHARS_PER_TOKEN = 4;
    /** A chat format's tokens around each message (role, separators): a few; generously more. */
    private static final int TOKENS_PER_MESSAGE = 8;

    /**
     * Each message's length as spelled, by identity: a conversation sends its memory again with every call, and
     * spelling every message anew cost about 18 KB of garbage per call in jmh/sessions.sh. LangChain4j's messages
     * are immutable; held weakly, so a message the host let go of is forgotten.
     */
    private static final Attachment<long[]> MESSAGE_LENGTHS = new Attachment<>();
    private static final Attachment<byte[]> MESSAGE_SPELLINGS = new Attachment<>();

    /** The object whose advice reports each permitted call's usage, by the call's receipt id, held weakly ({@link #decide}). */
    private static final Map<String, WeakReference<Object>> REPORTERS = new ConcurrentHashMap<>();
    private static final int MAX_REPORTERS = 100_000;
    private static final StackWalker CALLERS = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** A streaming call's decision, found again when its handler hears the complete response. */
    private static final Attachment<Decision> STREAMS = new Attachment<>();

    /** Remembers a permitted streaming call's decision on the handler that will receive its usage. */
    public static void streamStarted(Object handler, Decision decision) {
        if (decision != null && !decision.blocks()) {
            STREAMS.set(handler, decision);
        }
    }

    /** The decision of the streaming call this handler receives, or null. */
    public static Decision streamOf(Object handler) {
        return STREAMS.get(handler);
    }

    /**
     * {@link #streamOf}, forgetting it: a completion's handler hears its response at {@code onComplete}, which a class
     * may override and call the interface's own from, and the usage is recorded once.
     */
    public static Decision streamEnded(Object handler) {
        return STREAMS.remove(handler);
    }

    /**
     * The action of one chat call, to decide in the call's scope. The model name is the request's: the
     * model's own defaults are not read, since asking the model is a call into host code that the
     * application can observe.
     *
     * @param model     the model name the request names, may be null
     * @param provider  the implementing class (the provider's chat model)
     * @param messages  the request's messages; their text sizes give the input estimate
     * @param streaming whether the call streams its answer
     * @param maxOutputTokens the most output the request allows, null when it does not say
     * @param tools     the request's tool specifications (name, description, parameters), may be null: billed as input
     * @param responseSchema the response format's JSON schema, null when none: billed as input too
     */
    public static ActionRequest request(String model, String provider, List<?> messages, boolean streaming, Integer maxOutputTokens,
                                        List<?> tools, Object responseSchema) {
        return request(model, provider, messages, streaming, maxOutputTokens, tools, responseSchema, null);
    }

    /**
     * {@link #request(String, String, List, boolean, Integer, List, Object)}, binding besides the counts what is asked:
     * the messages, tools, response schema and {@code parameters} (the request's {@code ChatRequestParameters}:
     * temperature, stop sequences, tool choice...), as {@link #REQUEST_DIGEST}.
     */
    public static ActionRequest request(String model, String provider, List<?> messages, boolean streaming, Integer maxOutputTokens,
                                        List<?> tools, Object responseSchema, Object parameters) {
        Asked asked = new Asked(API_CHAT, provider, streaming);
        asked.add(model, messages, maxOutputTokens, tools, responseSchema, parameters);
        return asked.request();
    }

    /**
     * A {@code LanguageModel} or {@code StreamingLanguageModel} completion ({@code generate}): a prompt sent to a
     * provider as a chat call's messages are, so the same action ({@code chat}, which every policy and budget written for
     * chat models covers), with {@code model.api} {@code language}. The call names no model: its target is empty, so only
     * a scope for every model ({@code model:*:chat}) permits it, and a cost budget prices it at {@code default}.
     */
    public static ActionRequest completion(String provider, String prompt, boolean streaming) {
        Asked asked = new Asked(API_LANGUAGE, provider, streaming);
        asked.add(null, Collections.singletonList(prompt), null, null, null, null);
        return asked.request();
    }

    /**
     * A {@code BatchChatModel.submit}: every chat request of the batch, added one by one ({@link Batch#add}), sent at once
     * and decided as one {@code chat} action with {@code model.api} {@code batch} and {@code model.batch.size}: its
     * estimate, bound and digest are those of all the requests, its target their model when they name one alone.
     */
    public static Batch batch(String provider) {
        return new Batch(new Asked(API_BATCH, provider, false));
    }

    /** The requests of one batch, as they are read. */
    public static final class Batch {
        private final Asked asked;

        private Batch(Asked asked) {
            this.asked = asked;
        }

        /** One chat request of the batch (its model name, messages, maximum output, tools, response schema, parameters). */
        public void add(String model, List<?> messages, Integer maxOutputTokens, List<?> tools, Object responseSchema, Object parameters) {
            asked.add(model, messages, maxOutputTokens, tools, responseSchema, parameters);
        }

        /** The action of the whole batch. */
        public ActionRequest request() {
            return asked.request();
        }
    }

    /** What one model call asks, over the one request of a chat or completion or the many of a batch. */
    private static final class Asked {
        private final String api;
        private final String provider;
        private final boolean streaming;
        private final MessageDigest batchDigest;
        private final MessageDigest batchAsked;
        private String model;
        private boolean models;
        private String digest;
        private String askedDigest;
        private long requests;
        private long messages;
        private long tools;
        private long chars;
        private long bound;
        private long maxOutput;
        private boolean everyMaxOutput = true;

        Asked(String api, String provider, boolean streaming) {
            this.api = api;
            this.provider = provider;
            this.streaming = streaming;
            this.batchDigest = API_BATCH.equals(api) ? Bindings.sha256() : null;
            this.batchAsked = API_BATCH.equals(api) ? Bindings.sha256() : null;
        }

        void add(String name, List<?> messages, Integer maxOutputTokens, List<?> tools, Object responseSchema, Object parameters) {
            String named = name == null ? "" : name;
            // A batch naming two models names none: only a grant of every model covers it, priced at default.
            model = requests == 0 || named.equals(model) ? named : "";
            requests++;
            // Receipts drop the values of keys that name secrets ("token"), hence "input.estimate".
            // The tools' specifications and the response schema are sent, and billed, with the messages; they may come from
            // data (a ToolProvider's catalog, an MCP server's tools), so they count as the messages do.
            long[] lengths = lengths(messages);
            long[] specified = asJson(tools);
            long[] schema = responseSchema == null ? new long[2] : asJson(List.of(responseSchema));
            long parts = (messages == null ? 0 : messages.size()) + (tools == null ? 0 : tools.size()) + (responseSchema == null ? 0 : 1);
            this.messages += messages == null ? 0 : messages.size();
            this.tools += tools == null ? 0 : tools.size();
            chars += lengths[0] + specified[0] + schema[0];
            // What the input can cost at most, which a budget reserves: whoever writes the text chooses how many tokens
            // a character costs (a CJK character is about one), but no tokenizer in use makes more tokens than bytes.
            bound += lengths[1] + specified[1] + schema[1] + TOKENS_PER_MESSAGE * parts;
            if (maxOutputTokens != null && maxOutputTokens > 0) {
                maxOutput += maxOutputTokens;
            } else {
                everyMaxOutput = false;
            }
            MessageDigest content = askedDigest(messages, tools, responseSchema);
            String withoutParameters = Bindings.hexDigest(copyOf(content));
            String asked = requestDigest(content, parameters);
            if (batchDigest == null) {
                digest = asked;
                askedDigest = withoutParameters;
            } else {
                batchDigest.update((named.length() + ":" + named + asked).getBytes(StandardCharsets.UTF_8));
                batchAsked.update((named.length() + ":" + named + withoutParameters).getBytes(StandardCharsets.UTF_8));
            }
        }

        ActionRequest request() {
            Map<String, Object> attributes = new HashMap<>(14);
            String name = model == null ? "" : model;
            attributes.put("model.name", name);
            attributes.put("model.api", api);
            ToolActions.put(attributes, "model.provider", provider);
            attributes.put("model.streaming", streaming);
            attributes.put("model.messages", messages);
            attributes.put("model.input.estimate", (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
            attributes.put("model.input.bound", bound);
            if (tools > 0) {
                attributes.put("model.tools", tools);
            }
            // A batch says its most output only when every request says its own: else a budget reserves its price's
            // max-output for each request (model.batch.size).
            if (everyMaxOutput && maxOutput > 0) {
                attributes.put(MAX_OUTPUT, maxOutput);
            }
            if (batchDigest != null) {
                attributes.put("model.batch.size", requests);
            }
            attributes.put(REQUEST_DIGEST, batchDigest == null ? digest : Bindings.hexDigest(batchDigest));
            attributes.put(ASKED_DIGEST, batchAsked == null ? askedDigest : Bindings.hexDigest(batchAsked));
            Invocations.addTo(attributes);
            return new ActionRequest(SURFACE, "chat", name, attributes);
        }
    }

    /**
     * SHA-256 of the messages in order, then the tools, the response schema and the parameters, each written as its
     * class name and its spelling, both length-prefixed: a LangChain4j message's spelling holds its type, text, images
     * (URL or data) and tool calls. What is not LangChain4j's own is spelled as a fresh nonce: Warden cannot know what
     * it sends, so a call with it is a new action every time. Only the digest leaves here.
     */
    static String requestDigest(List<?> messages, List<?> tools, Object responseSchema, Object parameters) {
        return requestDigest(askedDigest(messages, tools, responseSchema), parameters);
    }

    /** {@link #requestDigest}: what is asked so far ({@link #askedDigest}), then the parameters. */
    private static String requestDigest(MessageDigest asked, Object parameters) {
        asked.update(spelling(parameters));
        return Bindings.hexDigest(asked);
    }

    /** The messages, tools and response schema of {@link #requestDigest}, its parameters not yet added. */
    private static MessageDigest askedDigest(List<?> messages, List<?> tools, Object responseSchema) {
        MessageDigest sha = Bindings.sha256();
        for (List<?> part : new List<?>[] {messages, tools}) {
            sha.update((byte) '[');
            if (part != null) {
                for (Object member : part) {
                    sha.update(spelling(member));
                }
            }
            sha.update((byte) ']');
        }
        sha.update(spelling(responseSchema));
        return sha;
    }

    private static MessageDigest copyOf(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests can be cloned", e);
        }
    }

    /** One object's class and spelling, length-prefixed, in UTF-8 (kept per message: memory is sent again each call). */
    private static byte[] spelling(Object value) {
        byte[] known = MESSAGE_SPELLINGS.get(value);
        if (known != null) {
            return known;
        }
        String type = value == null ? "null" : value.getClass().getName();
        boolean trusted = value == null || type.startsWith(LANGCHAIN4J) || value instanceof String;
        String text = !trusted ? Bindings.nonce(32) : String.valueOf(value);
        byte[] spelled = (lengthPrefixed(type) + lengthPrefixed(text)).getBytes(StandardCharsets.UTF_8);
        if (trusted && value != null && type.startsWith(LANGCHAIN4J + "data.message.")) {
            MESSAGE_SPELLINGS.set(value, spelled); // LangChain4j's messages are immutable
        }
        return spelled;
    }

    private static String lengthPrefixed(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length + ":" + text;
    }

    /**
     * Whether {@code value} is of one of LangChain4j's own classes, which answer every read alike. Its request types are
     * not final: an object of the application's subclass may answer the provider's reads otherwise than the advice's, so
     * the chat advice decides and sends a copy of it instead.
     */
    public static boolean isLangChain4jOwn(Object value) {
        return value.getClass().getName().startsWith(LANGCHAIN4J);
    }

    /** The refusal of a chat call whose request could not be read (it threw at the advice). */
    public static Decision unreadable(Throwable failure) {
        return Decision.unreadable("could not read the chat request", failure);
    }

    /** {@code model.maxOutput}: the most output the request asks for, which a budget reserves. */
    public static final String MAX_OUTPUT = "model.maxOutput";

    /**
     * The most output the request must ask for under {@code decision}: a budget reserved that much for the call's output
     * ({@code Obligations#maxOutputTokens}), and the provider is told, so that a prompt asking a long answer on a request
     * naming no maximum cannot write past the budget (the eighth review's leftover, closed by the ninth, 2026-12-07).
     * Null when the request may go as it is: no cap, or it names a maximum at or below it.
     */
    public static Integer outputCap(Decision decision, Integer asked) {
        if (decision == null || decision.blocks() || !decision.enforcedObligations().capsOutput()) {
            return null;
        }
        long cap = Math.max(1, Math.min(Integer.MAX_VALUE, decision.enforcedObligations().maxOutputTokens()));
        return asked != null && asked > 0 && asked <= cap ? null : (int) cap;
    }

    /**
     * Null when the rewritten request asks for at most the cap, else the refusal of the call, recorded: a request whose
     * rewrite failed or does not hold the cap (an application's parameters class that drops it) is never sent uncapped.
     */
    public static RuntimeException notCapped(Decision decision, Integer sent, Throwable failure) {
        Integer cap = outputCap(decision, null);
        if (failure == null && cap != null && sent != null && sent > 0 && sent <= cap) {
            return null;
        }
        String why = "could not cap the model call's output at the " + cap + " tokens its budget reserved";
        Decision refused = failure != null ? Decision.unreadable(why, failure)
                : Decision.failClosed(why + ": the request asked for " + sent, null);
        return refusal(Gate.refuseUnreadable(SURFACE, refused));
    }

    /** The exception a refused chat call throws instead of reaching the provider; null when it may run. */
    public static RuntimeException refusal(Decision decision) {
        return decision != null && decision.blocks() ? new ActionDeniedException(decision) : null;
    }

    /**
     * Decides a model call made on {@code model} (in its scope), and names the object whose advice will report the call's
     * usage: the model itself, or the handler a streaming call hands the complete response to. Only a call's own decision
     * names it, never one inherited from an enclosing call (that call named its own), and the first name stands.
     */
    public static Decision decide(ActionScope scope, ActionRequest action, Object reporter) {
        Decision decision = scope.decide(action);
        if (decision != null && !decision.blocks() && decision.receiptId() != null && reporter != null && !scope.inherited()) {
            if (REPORTERS.size() >= MAX_REPORTERS) {
                REPORTERS.clear(); // calls that never reported: their reports are no longer taken, and they keep what they reserved
            }
            REPORTERS.putIfAbsent(decision.receiptId(), new WeakReference<>(reporter));
        }
        return decision;
    }

    /**
     * Records what the provider reported for a permitted call, linked to its decision's receipt, and
     * feeds the per-actor and per-session usage counters. Never throws: usage that cannot be recorded
     * must not turn a finished call into a failure.
     * <p>
     * Only the call's own reporter ({@link #decide}) reports, from its own code (the advice, inlined into its method), and
     * once: a call's usage is taken once, and until the eleventh review (2026-12-07) this class and the gate took it from
     * anyone. Host code running inside a permitted call (the application's handler of a streamed token) found the call's
     * decision through the public {@link ActionScope#innermostDecided}, reported usage 0 first, and the provider's report
     * was ignored: a 3000-token budget let eight calls write 4000 tokens. The receipt id is no secret (receipts are
     * readable), so what is checked is who calls: the caller's class must be the reporter's, and the reporter the one its
     * call's decision named.
     */
    public static void usage(Object reporter, Decision decision, Integer inputTokens, Integer outputTokens, Integer totalTokens) {
        if (reporter == null || decision == null || decision.receiptId() == null) {
            return;
        }
        WeakReference<Object> named = REPORTERS.get(decision.receiptId());
        if (named == null || named.get() != reporter || !CALLERS.getCallerClass().isInstance(reporter)
                || !REPORTERS.remove(decision.receiptId(), named)) {
            return; // not the call's own report, or not its first: the call keeps what its budget reserved
        }
        Map<String, Object> observed = new HashMap<>(4);
        ToolActions.put(observed, "usage.input", inputTokens == null ? null : inputTokens.longValue());
        ToolActions.put(observed, "usage.output", outputTokens == null ? null : outputTokens.longValue());
        ToolActions.put(observed, "usage.total", totalTokens == null ? null : totalTokens.longValue());
        Invocations.addTo(observed);
        Gate.observe(decision.receiptId(), SURFACE, "usage", observed);
    }

    static long estimateTokens(List<?> messages) {
        return (lengths(messages)[0] + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }

    /** The messages' length as spelled, in chars and in UTF-8 bytes. */
    static long[] lengths(List<?> messages) {
        long[] total = new long[2];
        if (messages == null) {
            return total;
        }
        for (Object message : messages) {
            long[] length = MESSAGE_LENGTHS.get(message);
            if (length == null) {
                String text = String.valueOf(message);
                length = new long[] {text.length(), utf8Length(text)};
                if (message != null) {
                    MESSAGE_LENGTHS.set(message, length);
                }
            }
            total[0] += length[0];
            total[1] += length[1];
        }
        return total;
    }

    /**
     * Tool specifications and schemas as their spelling's characters and the most bytes it can take where a provider
     * writes it as JSON text into what it bills (a control character, a quote or a character beyond ASCII escaped as
     * {@code \\u} and four hex digits, six bytes; a second reading found a catalog of control characters sent at 4.4 times its UTF-8
     * length). A message's text is billed as text, so its UTF-8 length bounds it ({@link #lengths}).
     */
    static long[] asJson(List<?> specifications) {
        long[] total = new long[2];
        if (specifications == null) {
            return total;
        }
        for (Object specification : specifications) {
            String text = String.valueOf(specification);
            total[0] += text.length();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean plain = c >= 0x20 && c < 0x7f && "\"\\<>&='".indexOf(c) < 0;
                total[1] += plain ? 1 : 6;
            }
        }
        return total;
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a pair: 4 in all
        }
        return bytes;
    }
}
