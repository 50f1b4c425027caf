package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;

/**
 * Scenario S2's tools. Each prints a {@code BODY} line when it really runs, so that tests can tell a
 * refused call (no line) from a permitted one.
 */
public final class AssistantTools {

    private final String run;

    public AssistantTools(String run) {
        this.run = run;
    }

    @Tool(name = "crm_read", value = "Reads the sales pipeline of a quarter")
    public String crmRead(@P("quarter") String quarter) {
        ran("crm_read");
        return "{\"quarter\":\"" + quarter + "\",\"deals\":[{\"account\":\"Acme Corp\",\"value\":120000,"
                + "\"contact\":\"jane.doe@customer.example\",\"phone\":\"+1 415 555 0100\",\"card\":\"4111 1111 1111 1111\","
                + "\"ssn\":\"123-45-6789\",\"order\":1234567890}]}";
    }

    @Tool(name = "email_draft", value = "Drafts an e-mail")
    public String emailDraft(@P("to") String to, @P("subject") String subject, @P("body") String body) {
        ran("email_draft");
        return "draft saved for " + to;
    }

    @Tool(name = "email_send", value = "Sends an e-mail")
    public String emailSend(@P("to") String to, @P("subject") String subject, @P("body") String body) {
        ran("email_send");
        return "sent to " + to;
    }

    @Tool(name = "crm_write", value = "Updates a deal")
    public String crmWrite(@P("deal") String deal, @P("stage") String stage) {
        ran("crm_write");
        return deal + " is now " + stage;
    }

    @Tool(name = "hr_lookup", value = "Looks a colleague up")
    public String hrLookup(@P("name") String name) {
        ran("hr_lookup");
        return name + " works in sales";
    }

    private void ran(String tool) {
        System.out.println("BODY run=" + run + " tool=" + tool);
    }
}
