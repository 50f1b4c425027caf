package dev.warden.agent.policytest;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Policy test results as JUnit XML, the format CI systems read: a test suite per test file. */
public final class JUnitReport {

    private JUnitReport() {
    }

    public static void write(Path file, List<PolicyTestResult> results) throws IOException {
        Map<String, List<PolicyTestResult>> suites = new LinkedHashMap<>();
        results.forEach(result -> suites.computeIfAbsent(result.test().file(), ignored -> new java.util.ArrayList<>()).add(result));
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "warden policy tests");
            xml.writeAttribute("tests", Integer.toString(results.size()));
            xml.writeAttribute("failures", Long.toString(results.stream().filter(r -> r.error() == null && !r.passed()).count()));
            xml.writeAttribute("errors", Long.toString(results.stream().filter(r -> r.error() != null).count()));
            for (Map.Entry<String, List<PolicyTestResult>> suite : suites.entrySet()) {
                suite(xml, suite.getKey(), suite.getValue());
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void suite(XMLStreamWriter xml, String name, List<PolicyTestResult> results) throws XMLStreamException {
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", name);
        xml.writeAttribute("tests", Integer.toString(results.size()));
        xml.writeAttribute("failures", Long.toString(results.stream().filter(r -> r.error() == null && !r.passed()).count()));
        xml.writeAttribute("errors", Long.toString(results.stream().filter(r -> r.error() != null).count()));
        xml.writeAttribute("skipped", "0");
        xml.writeAttribute("time", seconds(results.stream().mapToLong(PolicyTestResult::millis).sum()));
        for (PolicyTestResult result : results) {
            xml.writeStartElement("testcase");
            xml.writeAttribute("classname", name);
            xml.writeAttribute("name", result.test().name());
            xml.writeAttribute("time", seconds(result.millis()));
            if (result.error() != null) {
                xml.writeStartElement("error");
                xml.writeAttribute("message", result.error());
                xml.writeCharacters(result.error());
                xml.writeEndElement();
            } else if (!result.passed()) {
                xml.writeStartElement("failure");
                xml.writeAttribute("message", result.failures().get(0));
                xml.writeCharacters(String.join("\n", result.failures()) + "\ndecided " + result.outcome() + " by "
                        + result.rules() + ": " + result.reason());
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
