package dev.warden.bootstrap.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The SQL an H2 connection runs while it opens, read as H2 2.x reads its URL and properties
 * ({@code org.h2.engine.ConnectionInfo}, {@code Engine.openSession}): the settings part after the
 * first {@code ;} is split on {@code ;}, where a backslash escapes any character anywhere (so
 * {@code IN\IT} is {@code INIT} and {@code \;} is a semicolon inside a value); keys are upper-cased
 * (English), those of the properties too, whose values H2 reads with {@code toString()}. H2 then
 * runs each setting as {@code SET KEY value} and {@code INIT} as it is. A setting whose value is
 * {@linkplain PlainValues plain} is a setting; any other is the SQL H2 makes of it, and is decided
 * as that SQL, like {@code INIT}. Keys H2 does not know are read too: reading more can only refuse.
 */
public final class H2Settings {

    static final String PREFIX = "jdbc:h2:";
    /** H2 remaps every URL through the file this system property names, after Warden read it. */
    static final String URL_MAP = "h2.urlMap";

    /** Settings H2 never runs as SQL whose values are anything (credentials, H2 quotes the time zone). */
    private static final Set<String> NEVER_SQL = Set.of("USER", "PASSWORD", "AUTHZPWD", "TIME ZONE");

    /**
     * Settings decided as their {@code SET} whatever their value: the schema unqualified names resolve in (so
     * {@code targetsWithin("accounts")} would mean another schema's table), a class H2 loads and constructs, a
     * server H2 starts.
     */
    private static final Set<String> ALWAYS_DECIDED = Set.of("SCHEMA", "SCHEMA_SEARCH_PATH", "DATABASE_EVENT_LISTENER",
            "JAVA_OBJECT_SERIALIZER", "AUTO_SERVER");

    private H2Settings() {
    }

    /**
     * The value of setting {@code key} (upper case) in an H2 {@code url} as H2 reads it (the last one given), or null: for
     * what the settings change in how H2 reads SQL ({@code DATABASE_TO_LOWER}, {@code CASE_INSENSITIVE_IDENTIFIERS}).
     */
    public static String setting(String url, String key) {
        String value = null;
        if (accepts(url)) {
            for (Map.Entry<String, String> setting : settings(url, null)) {
                if (setting.getKey().equals(key)) {
                    value = setting.getValue().trim();
                }
            }
        }
        return value;
    }

    static boolean accepts(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    /** The statements H2 runs while opening a connection to {@code url} with {@code properties}, in its order. */
    static List<String> connectSql(String url, Properties properties) {
        String urlMap = System.getProperty(URL_MAP);
        if (urlMap != null && !urlMap.isEmpty()) {
            throw new IllegalStateException(URL_MAP + " is set: H2 would open another URL than the one decided");
        }
        List<String> statements = new ArrayList<>(1);
        List<String> init = new ArrayList<>(1);
        for (Map.Entry<String, String> setting : settings(url, properties)) {
            String key = setting.getKey();
            if (key.equals("INIT")) {
                init.add(setting.getValue());
            } else if (!NEVER_SQL.contains(key) && (!PlainValues.isPlain(setting.getValue()) || decidedWhatever(key, setting.getValue()))) {
                statements.add("SET " + key + " " + setting.getValue());
            }
        }
        statements.addAll(init); // H2 runs INIT after the settings
        return statements;
    }

    private static boolean decidedWhatever(String key, String value) {
        return ALWAYS_DECIDED.contains(key) && !(key.equals("AUTO_SERVER") && value.equalsIgnoreCase("FALSE"));
    }

    /** Every setting, upper-cased key and value, properties first, then the URL's; duplicates kept (H2 refuses them). */
    static List<Map.Entry<String, String>> settings(String url, Properties properties) {
        List<Map.Entry<String, String>> settings = new ArrayList<>();
        if (properties != null) {
            for (Object key : properties.keySet().toArray()) {
                Object value = properties.get(key);
                if (value != null) {
                    settings.add(Map.entry(upper(key.toString()), value instanceof String ? (String) value : String.valueOf(value)));
                }
            }
        }
        int start = url == null ? -1 : url.indexOf(';');
        if (start >= 0) {
            for (String setting : split(url.substring(start + 1))) {
                int equals = setting.indexOf('=');
                if (equals >= 0) { // H2 refuses a setting without one: nothing runs
                    settings.add(Map.entry(upper(setting.substring(0, equals)), setting.substring(equals + 1)));
                }
            }
        }
        return settings;
    }

    /** H2's {@code StringUtils.arraySplit(s, ';', false)}: a backslash takes the next character as it is; empty parts dropped. */
    static List<String> split(String settings) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < settings.length(); i++) {
            char c = settings.charAt(i);
            if (c == ';') {
                addIfNotEmpty(parts, part);
            } else if (c == '\\' && i < settings.length() - 1) {
                part.append(settings.charAt(++i));
            } else {
                part.append(c);
            }
        }
        addIfNotEmpty(parts, part);
        return parts;
    }

    private static void addIfNotEmpty(List<String> parts, StringBuilder part) {
        if (part.length() > 0) {
            parts.add(part.toString());
        }
        part.setLength(0);
    }

    /** H2's {@code StringUtils.toUpperEnglish}. */
    private static String upper(String key) {
        return key.toUpperCase(Locale.ENGLISH);
    }
}
