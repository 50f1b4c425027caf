package dev.warden.verifier;

import dev.warden.verifier.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs warden-verify through its picocli entry point, capturing what it prints. */
record Cli(int exitCode, String out, String err) {
    static Cli run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] strings = java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(strings);
        return new Cli(code, out.toString(), err.toString());
    }
}
