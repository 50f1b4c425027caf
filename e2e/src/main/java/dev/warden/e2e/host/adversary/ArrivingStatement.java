package dev.warden.e2e.host.adversary;

/**
 * A statement of the application's own, which prints what reaches its code ({@code ARRIVED sql}): the side channel
 * of {@code NamelessClassHost}, which defines it from its class file without a name.
 */
public class ArrivingStatement implements java.sql.Statement {

    public boolean execute(String a0) {System.out.println("ARRIVED "+a0);return false;}
    public boolean execute(String a0,String[] a1) {System.out.println("ARRIVED "+a0);return false;}
    public boolean execute(String a0,int[] a1) {System.out.println("ARRIVED "+a0);return false;}
    public boolean execute(String a0,int a1) {System.out.println("ARRIVED "+a0);return false;}
    public void close() {}
    public void cancel() {}
    public java.sql.ResultSet executeQuery(String a0) {System.out.println("ARRIVED "+a0);return null;}
    public int executeUpdate(String a0,String[] a1) {System.out.println("ARRIVED "+a0);return 0;}
    public int executeUpdate(String a0,int a1) {System.out.println("ARRIVED "+a0);return 0;}
    public int executeUpdate(String a0) {System.out.println("ARRIVED "+a0);return 0;}
    public int executeUpdate(String a0,int[] a1) {System.out.println("ARRIVED "+a0);return 0;}
    public int getMaxFieldSize() {return 0;}
    public void setMaxFieldSize(int a0) {}
    public int getMaxRows() {return 0;}
    public void setMaxRows(int a0) {}
    public void setEscapeProcessing(boolean a0) {}
    public int getQueryTimeout() {return 0;}
    public void setQueryTimeout(int a0) {}
    public java.sql.SQLWarning getWarnings() {return null;}
    public void clearWarnings() {}
    public void setCursorName(String a0) {}
    public java.sql.ResultSet getResultSet() {return null;}
    public int getUpdateCount() {return 0;}
    public boolean getMoreResults(int a0) {return false;}
    public boolean getMoreResults() {return false;}
    public void setFetchDirection(int a0) {}
    public int getFetchDirection() {return 0;}
    public void setFetchSize(int a0) {}
    public int getFetchSize() {return 0;}
    public int getResultSetConcurrency() {return 0;}
    public int getResultSetType() {return 0;}
    public void addBatch(String a0) {}
    public void clearBatch() {}
    public int[] executeBatch() {return null;}
    public java.sql.Connection getConnection() {return null;}
    public java.sql.ResultSet getGeneratedKeys() {return null;}
    public int getResultSetHoldability() {return 0;}
    public boolean isClosed() {return false;}
    public void setPoolable(boolean a0) {}
    public boolean isPoolable() {return false;}
    public void closeOnCompletion() {}
    public boolean isCloseOnCompletion() {return false;}
    public <T> T unwrap(Class<T> a0) {return null;}
    public boolean isWrapperFor(Class<?> a0) {return false;}
}
