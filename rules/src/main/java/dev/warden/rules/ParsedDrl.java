package dev.warden.rules;

import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;

import java.nio.charset.StandardCharsets;

/**
 * A DRL file of the policy as its author wrote it and as Drools' parser reads it, parsed once for the
 * checks and rewrites that run before the rules compile.
 *
 * @param parsed null when the file does not parse: the compiler then says why, with its line
 */
record ParsedDrl(String path, String text, PackageDescr parsed) {

    static ParsedDrl of(String path, String text) {
        DrlParser parser = new DrlParser();
        PackageDescr parsed;
        try {
            parsed = parser.parse(false, text);
        } catch (DroolsParserException | RuntimeException e) {
            parsed = null;
        }
        return new ParsedDrl(path, text, parser.hasErrors() ? null : parsed);
    }

    static ParsedDrl of(String path, byte[] text) {
        return of(path, new String(text, StandardCharsets.UTF_8));
    }
}
