package dev.warden.e2e.host;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Scenario S4's tools over an embedded invoices database. Each prints a {@code BODY} line when it
 * really runs, so that tests can tell a held or refused call (no line) from one that ran.
 */
public final class InvoiceTools {

    private final Connection db;
    private final String step;

    public InvoiceTools(Connection db, String step) {
        this.db = db;
        this.step = step;
    }

    @Tool(name = "invoice_read", value = "Reads one invoice")
    public String read(@P("id") long id) throws SQLException {
        ran("invoice_read", id);
        try (PreparedStatement select = db.prepareStatement("SELECT customer, amount, status FROM invoices WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? "invoice " + id + ": " + row.getString(1) + " " + row.getLong(2) + " " + row.getString(3)
                        : "no invoice " + id;
            }
        }
    }

    @Tool(name = "invoice_update_status", value = "Sets the payment status of an invoice")
    public String updateStatus(@P("id") long id, @P("status") String status) throws SQLException {
        ran("invoice_update_status", id + " " + status);
        try (PreparedStatement update = db.prepareStatement("UPDATE invoices SET status = ? WHERE id = ?")) {
            update.setString(1, status);
            update.setLong(2, id);
            return "updated " + update.executeUpdate() + " invoice(s)";
        }
    }

    @Tool(name = "invoice_delete", value = "Deletes one invoice")
    public String delete(@P("id") long id) throws SQLException {
        ran("invoice_delete", id);
        try (PreparedStatement delete = db.prepareStatement("DELETE FROM invoices WHERE id = ?")) {
            delete.setLong(1, id);
            return "deleted " + delete.executeUpdate() + " invoice(s)";
        }
    }

    @Tool(name = "invoice_delete_all", value = "Deletes every invoice of a customer")
    public String deleteAll(@P("customer") String customer) throws SQLException {
        ran("invoice_delete_all", customer);
        try (PreparedStatement delete = db.prepareStatement("DELETE FROM invoices WHERE customer = ?")) {
            delete.setString(1, customer);
            return "deleted " + delete.executeUpdate() + " invoice(s)";
        }
    }

    private void ran(String tool, Object argument) {
        System.out.println("BODY step=" + step + " tool=" + tool + " " + argument);
    }
}
