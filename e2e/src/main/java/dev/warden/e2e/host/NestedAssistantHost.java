package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An "ask a colleague" agent: the outer AI service (memory id {@code s4}) has a {@code send_mail} tool and an
 * {@code ask_colleague} tool whose {@code conversation} argument, chosen by the model, is the memory id of a
 * nested AI service the tool calls; that service has {@code send_mail} too. Every mail that runs is a POST to the
 * test's server ({@code /mail/<who>/<n>}), the side channel the host cannot fake.
 * <p>
 * How the tool calls the colleague ({@code MODE}):
 * <ul>
 *   <li>{@code sync}: a blocking AI service, on the tool's thread;</li>
 *   <li>{@code pool}: the same, on a pool the tool hands the call to;</li>
 *   <li>{@code stream}: a streaming AI service whose model answers on a provider thread of its own (started
 *       before any call, taking requests from a queue: no hand-off carries an identity to it), where the
 *       service runs its tools and makes its next calls;</li>
 *   <li>{@code stream-pool}: the same, the model announcing each tool call ({@code onCompleteToolCall}) and the
 *       service running its tools on an executor the provider thread submits them to.</li>
 * </ul>
 *
 * <pre>
 *   java NestedAssistantHost MODE MAIL_URL COLLEAGUE_CALLS OUTER_MAILS CONVERSATION...
 *   out: TOOL tool=... result=TEXT | NESTED conversation=... tool=... result=TEXT | MAIL who=... to=... thread=...
 *        | ANSWER text=... | DONE
 * </pre>
 */
public final class NestedAssistantHost {

    interface Assistant {
        String chat(@MemoryId String session, @UserMessage String request);
    }

    interface Colleague {
        String chat(@MemoryId String conversation, @UserMessage String request);
    }

    interface StreamingColleague {
        TokenStream chat(@MemoryId String conversation, @UserMessage String request);
    }

    /** The outer service's mail tool, and the one it lends the colleague. */
    public static final class Mail {
        private final String url;
        private final String who;

        Mail(String url, String who) {
            this.url = url;
            this.who = who;
        }

        @Tool("sends a mail")
        public String send_mail(@P("recipient") String to) {
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(url + "/mail/" + who + "/" + to).toURL().openConnection();
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                connection.getOutputStream().write(to.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                int status = connection.getResponseCode();
                connection.getInputStream().readAllBytes();
                System.out.println("MAIL who=" + who + " to=" + to + " thread=" + Thread.currentThread().getName());
                return "sent to " + to + " (" + status + ")";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The tool that asks a colleague: an AI service of its own, whose memory id the model chooses. */
    public static final class Colleagues {
        private final String mode;
        private final String url;
        private final int calls;
        private final ExecutorService pool = Executors.newFixedThreadPool(1);
        private final ProviderThread provider = new ProviderThread();
        private final ExecutorService toolExecutor = Executors.newFixedThreadPool(1);

        Colleagues(String mode, String url, int calls) {
            this.mode = mode;
            this.url = url;
            this.calls = calls;
        }

        @Tool("asks a colleague to handle a request, in a conversation of their own")
        public String ask_colleague(@P("conversation") String conversation, @P("request") String request) throws Exception {
            AssistantScript script = new AssistantScript(mails(calls, "colleague"), result -> System.out.println(
                    "NESTED conversation=" + conversation + " tool=" + result.toolName() + " result=" + result.text()));
            Mail mail = new Mail(url, "colleague-" + conversation);
            return switch (mode) {
                case "sync" -> colleague(script, mail).chat(conversation, request);
                case "pool" -> pool.submit(() -> colleague(script, mail).chat(conversation, request)).get(60, TimeUnit.SECONDS);
                case "stream", "stream-pool" -> streamed(script, mail, conversation, request);
                default -> throw new IllegalArgumentException(mode);
            };
        }

        private static Colleague colleague(AssistantScript script, Mail mail) {
            return AiServices.builder(Colleague.class).chatModel(new AssistantScript.Model(script)).tools(mail)
                    .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50)).build();
        }

        private String streamed(AssistantScript script, Mail mail, String conversation, String request) throws Exception {
            boolean announces = mode.equals("stream-pool");
            AiServices<StreamingColleague> builder = AiServices.builder(StreamingColleague.class)
                    .streamingChatModel(new ProviderModel(script, provider, announces)).tools(mail)
                    .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50));
            if (announces) {
                builder.executeToolsConcurrently(toolExecutor);
            }
            CompletableFuture<String> answer = new CompletableFuture<>();
            builder.build().chat(conversation, request)
                    .onPartialResponse(ignored -> { })
                    .onCompleteResponse(response -> answer.complete(response.aiMessage().text()))
                    .onError(answer::completeExceptionally)
                    .start();
            return answer.get(60, TimeUnit.SECONDS);
        }
    }

    /** A provider's own callback thread: one thread, started before any call, taking work from a queue. */
    static final class ProviderThread {
        private final BlockingQueue<Runnable> work = new LinkedBlockingQueue<>();

        ProviderThread() {
            Thread thread = new Thread(() -> {
                while (true) {
                    try {
                        work.take().run();
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        System.out.println("PROVIDER-ERROR " + e);
                    }
                }
            }, "provider-callbacks");
            thread.setDaemon(true);
            thread.start();
        }

        void post(Runnable task) {
            work.add(task);
        }
    }

    /** The script as a streaming model that answers on the provider's thread, as a real provider's HTTP client does. */
    static final class ProviderModel implements StreamingChatModel {
        private final AssistantScript script;
        private final ProviderThread provider;
        private final boolean announcesToolCalls;

        ProviderModel(AssistantScript script, ProviderThread provider, boolean announcesToolCalls) {
            this.script = script;
            this.provider = provider;
            this.announcesToolCalls = announcesToolCalls;
        }

        @Override
        public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
            provider.post(() -> {
                ChatResponse response = script.respond(request);
                if (response.aiMessage().text() != null) {
                    handler.onPartialResponse(response.aiMessage().text());
                }
                if (announcesToolCalls && response.aiMessage().hasToolExecutionRequests()) {
                    List<ToolExecutionRequest> requests = response.aiMessage().toolExecutionRequests();
                    for (int i = 0; i < requests.size(); i++) {
                        handler.onCompleteToolCall(new CompleteToolCall(i, requests.get(i)));
                    }
                }
                handler.onCompleteResponse(response);
            });
        }
    }

    static List<AssistantScript.Call> mails(int count, String to) {
        List<AssistantScript.Call> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(new AssistantScript.Call("send_mail", "{\"to\":\"" + to + "-" + i + "\"}"));
        }
        return calls;
    }

    public static void main(String[] args) {
        String mode = args[0];
        String url = args[1];
        int colleagueCalls = Integer.parseInt(args[2]);
        List<AssistantScript.Call> calls = mails(Integer.parseInt(args[3]), "outer");
        for (String conversation : List.of(args).subList(4, args.length)) {
            calls.add(new AssistantScript.Call("ask_colleague", "{\"conversation\":\"" + conversation
                    + "\",\"request\":\"mail everyone\"}"));
        }
        AssistantScript script = new AssistantScript(calls, result -> System.out.println("TOOL tool="
                + result.toolName() + " result=" + result.text()));
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(new AssistantScript.Model(script))
                .tools(new Mail(url, "outer"), new Colleagues(mode, url, colleagueCalls))
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(100)).build();
        try {
            System.out.println("ANSWER text=" + assistant.chat("s4", "Mail everyone, and ask colleagues to."));
        } catch (RuntimeException e) {
            System.out.println("ERROR " + e);
        }
        System.out.println("DONE");
        System.exit(0);
    }
}
