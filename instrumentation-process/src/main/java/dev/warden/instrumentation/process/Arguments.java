package dev.warden.instrumentation.process;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command's arguments as one line for rules and receipts, with the values of what looks like a
 * credential masked: {@code --password=x}, {@code token:x}, an {@code Authorization} header's value,
 * the password of a URL's user information. Receipts never hold secrets; arguments are where
 * applications put them.
 */
final class Arguments {

    static final String MASK = "***";
    private static final Pattern NAMED_SECRET = Pattern.compile(
            "(?i)((?:pass(?:word|wd)?|secret|token|api[-_]?key|access[-_]?key|credentials?|auth(?:orization)?)\\s*[=:]\\s*)(?:(bearer|basic)\\s+)?\\S+");
    private static final Pattern URL_USERINFO = Pattern.compile("(://[^/@\\s:]*:)[^/@\\s]*@");

    private Arguments() {
    }

    static String masked(List<String> arguments) {
        StringBuilder joined = new StringBuilder();
        for (String argument : arguments) {
            if (joined.length() > 0) {
                joined.append(' ');
            }
            joined.append(argument);
        }
        return mask(joined.toString());
    }

    static String mask(String text) {
        String masked = URL_USERINFO.matcher(text).replaceAll("$1" + MASK + "@");
        Matcher named = NAMED_SECRET.matcher(masked);
        StringBuilder out = new StringBuilder();
        while (named.find()) {
            String scheme = named.group(2) == null ? "" : named.group(2) + " ";
            named.appendReplacement(out, Matcher.quoteReplacement(named.group(1) + scheme + MASK));
        }
        named.appendTail(out);
        return out.toString();
    }
}
