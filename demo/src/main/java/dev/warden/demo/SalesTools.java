package dev.warden.demo;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The assistant's tools: the CRM in an embedded H2 database, and mail through the local mail service. */
public final class SalesTools {

    private final Connection crm;
    private final URI mail;
    private final HttpClient http = HttpClient.newHttpClient();

    SalesTools(Connection crm, URI mail) {
        this.crm = crm;
        this.mail = mail;
    }

    @Tool(name = "crm_read", value = "Reads the open deals of a quarter from the CRM")
    public String crmRead(@P("quarter, e.g. Q1") String quarter) throws SQLException {
        StringBuilder deals = new StringBuilder();
        try (PreparedStatement select = crm.prepareStatement(
                "SELECT account, amount, contact FROM pipeline WHERE quarter = ? ORDER BY amount DESC")) {
            select.setString(1, quarter);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    deals.append(deals.length() == 0 ? "" : "; ").append(rows.getString(1)).append(' ')
                            .append(rows.getLong(2)).append(" (contact ").append(rows.getString(3)).append(')');
                }
            }
        }
        return quarter + " pipeline: " + deals;
    }

    @Tool(name = "email_draft", value = "Drafts an e-mail for the user to review")
    public String emailDraft(@P("recipient") String to, @P("subject") String subject, @P("body") String body) {
        return "draft for " + to + " saved: " + subject;
    }

    @Tool(name = "email_send", value = "Sends an e-mail")
    public String emailSend(@P("recipient") String to, @P("subject") String subject, @P("body") String body)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(mail)
                .POST(HttpRequest.BodyPublishers.ofString("To: " + to + "\nSubject: " + subject + "\n\n" + body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return "mail to " + to + " " + response.body();
    }

    @Tool(name = "crm_write", value = "Moves a deal to another stage")
    public String crmWrite(@P("account") String account, @P("stage") String stage) {
        return account + " moved to " + stage;
    }
}
