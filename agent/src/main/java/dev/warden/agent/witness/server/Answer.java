package dev.warden.agent.witness.server;

/** A witness's HTTP answer: status, content type and body. */
record Answer(int status, String contentType, String body) {
    static final String TEXT = "text/plain; charset=utf-8";
    static final String SIZE = "text/x.tlog.size";

    static Answer text(int status, String body) {
        return new Answer(status, TEXT, body.endsWith("\n") ? body : body + "\n");
    }
}
