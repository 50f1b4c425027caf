package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.CompensateFor;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;

/** A CRM tool whose write LangChain4j undoes when a later tool call of the turn fails. */
public final class CompensatingTools {

    private final String run;

    public CompensatingTools(String run) {
        this.run = run;
    }

    @Tool(name = "crm_write", value = "Updates a deal")
    public String crmWrite(@P("deal") String deal, @P("stage") String stage) {
        System.out.println("BODY run=" + run + " tool=crm_write");
        return deal + " is now " + stage;
    }

    @CompensateFor("crm_write")
    public void undoCrmWrite(String deal, String stage) {
        System.out.println("COMPENSATED run=" + run + " tool=crm_write deal=" + deal);
    }

    @Tool(name = "hr_lookup", value = "Looks a colleague up")
    public String hrLookup(@P("name") String name) {
        System.out.println("BODY run=" + run + " tool=hr_lookup");
        return name + " works in sales";
    }
}
