package dev.warden.e2e.host.adversary;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageType;

/** An application's own message type whose text representation fails (a lazily loaded attachment, say). */
public class ThrowingMessage implements ChatMessage {

    @Override
    public ChatMessageType type() {
        return ChatMessageType.USER;
    }

    @Override
    public String toString() {
        throw new IllegalStateException("message content is not loaded");
    }
}
