package dev.warden.bootstrap.jdbc;

import dev.warden.bootstrap.Obligations;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The host's view of a result set under obligations: at most {@code maxRows} rows, and redacted
 * values in redacted columns through every getter (a getter missed would leak the column). Works
 * reflectively because bootstrap classes cannot see {@code java.sql}; the advice creates the proxy.
 */
public final class RestrictedResults implements InvocationHandler {

    public static final String REDACTED = "[REDACTED]";

    private static final Set<String> SCROLLING = Set.of("absolute", "relative", "last", "afterLast", "previous");

    private final Object results;
    private final Class<?> resultSetType;
    private final Obligations obligations;
    private final Map<Integer, Boolean> redactedColumns = new HashMap<>();
    private long rowsRead;

    private RestrictedResults(Object results, Class<?> resultSetType, Obligations obligations) {
        this.results = results;
        this.resultSetType = resultSetType;
        this.obligations = obligations;
    }

    /** Wraps {@code results} (a {@code java.sql.ResultSet}) in a restricting proxy of {@code resultSetType}. */
    public static Object restrict(Object results, Obligations obligations, Class<?> resultSetType) {
        if (results == null || !obligations.restrictsResults() || Proxy.isProxyClass(results.getClass())
                && Proxy.getInvocationHandler(results) instanceof RestrictedResults) {
            return results;
        }
        return Proxy.newProxyInstance(resultSetType.getClassLoader(), new Class<?>[] {resultSetType},
                new RestrictedResults(results, resultSetType, obligations));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "next":
                return nextRow();
            case "unwrap":
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return proxy;
                }
                throw new SecurityException("warden: this result set is restricted by policy and cannot be unwrapped");
            case "isWrapperFor":
                return ((Class<?>) args[0]).isInstance(proxy);
            default:
                break;
        }
        if (obligations.limitsRows() && SCROLLING.contains(name)) {
            throw new SecurityException("warden: scrolling is not available on a row-limited result set");
        }
        if (name.startsWith("get") && args != null && args.length >= 1 && isRedacted(args[0])) {
            return redactedValue(method, args);
        }
        return call(method, args);
    }

    private Object nextRow() throws Throwable {
        if (obligations.limitsRows() && rowsRead >= obligations.maxRows()) {
            return Boolean.FALSE;
        }
        Object hasRow = call(resultSetMethod("next"), null);
        if (Boolean.TRUE.equals(hasRow)) {
            rowsRead++;
        }
        return hasRow;
    }

    private boolean isRedacted(Object column) throws Throwable {
        if (obligations.redact().isEmpty()) {
            return false;
        }
        if (column instanceof String) {
            return obligations.redacts((String) column);
        }
        if (column instanceof Integer) {
            Integer index = (Integer) column;
            Boolean known = redactedColumns.get(index);
            if (known == null) {
                known = obligations.redacts(columnLabel(index)) || obligations.redacts(columnName(index));
                redactedColumns.put(index, known);
            }
            return known;
        }
        return false;
    }

    private String columnLabel(int index) throws Throwable {
        return metaDataString("getColumnLabel", index);
    }

    private String columnName(int index) throws Throwable {
        return metaDataString("getColumnName", index);
    }

    private String metaDataString(String getter, int index) throws Throwable {
        Method getMetaData = resultSetMethod("getMetaData");
        Object metaData = call(getMetaData, null);
        Method method = getMetaData.getReturnType().getMethod(getter, int.class);
        try {
            return (String) method.invoke(metaData, index);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Method resultSetMethod(String name) throws NoSuchMethodException {
        return resultSetType.getMethod(name);
    }

    private static Object redactedValue(Method method, Object[] args) {
        Class<?> type = method.getReturnType();
        if (args.length == 2 && args[1] instanceof Class) {
            type = (Class<?>) args[1];
        }
        if (type.isAssignableFrom(String.class)) {
            return REDACTED;
        }
        if (type == boolean.class) {
            return Boolean.FALSE;
        }
        if (type.isPrimitive()) {
            return zeroOf(type);
        }
        if (type == byte[].class) {
            return REDACTED.getBytes(StandardCharsets.UTF_8);
        }
        if (type == java.io.Reader.class) {
            return new StringReader(REDACTED);
        }
        if (type == java.io.InputStream.class) {
            return new ByteArrayInputStream(REDACTED.getBytes(StandardCharsets.US_ASCII));
        }
        return null;
    }

    private static Object zeroOf(Class<?> primitive) {
        if (primitive == int.class) {
            return 0;
        }
        if (primitive == long.class) {
            return 0L;
        }
        if (primitive == double.class) {
            return 0d;
        }
        if (primitive == float.class) {
            return 0f;
        }
        if (primitive == short.class) {
            return (short) 0;
        }
        return (byte) 0;
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(results, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
