package dev.warden.agent.witness;

import dev.warden.receipts.WitnessKey;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code witnesses=} file: one witness a line, {@code <url> <verifier key>}, where the URL is the
 * witness's submission prefix ({@code http://} or {@code https://}) and the verifier key is the
 * signed-note vkey {@code name+hash+base64(0x04 || Ed25519 public key)}; blank lines and lines
 * starting with {@code #} are ignored.
 */
public final class WitnessList {
    private WitnessList() {
    }

    /** @throws IllegalArgumentException naming the line that is wrong */
    public static List<WitnessEndpoint> read(Path file) throws IOException {
        List<WitnessEndpoint> witnesses = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1);
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException(where + ": expected '<url> <verifier key>'");
            }
            URI url;
            try {
                url = new URI(parts[0]);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(where + ": not a URL: " + parts[0]);
            }
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new IllegalArgumentException(where + ": not an http(s) URL with a host: " + parts[0]);
            }
            WitnessKey key;
            try {
                key = WitnessKey.parse(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
            if (!names.add(key.name())) {
                throw new IllegalArgumentException(where + ": a second witness named " + key.name());
            }
            witnesses.add(new WitnessEndpoint(url, key));
        }
        if (witnesses.isEmpty()) {
            throw new IllegalArgumentException(file + " names no witness");
        }
        return witnesses;
    }
}
