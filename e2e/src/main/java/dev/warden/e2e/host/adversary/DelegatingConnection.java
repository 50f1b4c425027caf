package dev.warden.e2e.host.adversary;

import java.sql.*;

/**
 * A plain delegating Connection, the shape of every pool's and tracing library's wrapper: the adversarial
 * hosts subclass it and override the one method they abuse. Generated from the interface (all
 * abstract methods delegate to {@code inner}), so it is nothing but delegation.
 */
public class DelegatingConnection implements Connection {

    protected final Connection inner;

    public DelegatingConnection(Connection inner) {
        this.inner = inner;
    }

    @Override
    public void abort(java.util.concurrent.Executor a0) throws SQLException {
        inner.abort(a0);
    }

    @Override
    public void clearWarnings() throws SQLException {
        inner.clearWarnings();
    }

    @Override
    public void close() throws SQLException {
        inner.close();
    }

    @Override
    public void commit() throws SQLException {
        inner.commit();
    }

    @Override
    public Array createArrayOf(String a0, Object[] a1) throws SQLException {
        return inner.createArrayOf(a0, a1);
    }

    @Override
    public Blob createBlob() throws SQLException {
        return inner.createBlob();
    }

    @Override
    public Clob createClob() throws SQLException {
        return inner.createClob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return inner.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return inner.createSQLXML();
    }

    @Override
    public Statement createStatement() throws SQLException {
        return inner.createStatement();
    }

    @Override
    public Statement createStatement(int a0, int a1, int a2) throws SQLException {
        return inner.createStatement(a0, a1, a2);
    }

    @Override
    public Statement createStatement(int a0, int a1) throws SQLException {
        return inner.createStatement(a0, a1);
    }

    @Override
    public Struct createStruct(String a0, Object[] a1) throws SQLException {
        return inner.createStruct(a0, a1);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return inner.getAutoCommit();
    }

    @Override
    public String getCatalog() throws SQLException {
        return inner.getCatalog();
    }

    @Override
    public java.util.Properties getClientInfo() throws SQLException {
        return inner.getClientInfo();
    }

    @Override
    public String getClientInfo(String a0) throws SQLException {
        return inner.getClientInfo(a0);
    }

    @Override
    public int getHoldability() throws SQLException {
        return inner.getHoldability();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return inner.getMetaData();
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return inner.getNetworkTimeout();
    }

    @Override
    public String getSchema() throws SQLException {
        return inner.getSchema();
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return inner.getTransactionIsolation();
    }

    @Override
    public java.util.Map<String, Class<?>> getTypeMap() throws SQLException {
        return inner.getTypeMap();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return inner.getWarnings();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return inner.isClosed();
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return inner.isReadOnly();
    }

    @Override
    public boolean isValid(int a0) throws SQLException {
        return inner.isValid(a0);
    }

    @Override
    public boolean isWrapperFor(Class<?> a0) throws SQLException {
        return inner.isWrapperFor(a0);
    }

    @Override
    public String nativeSQL(String a0) throws SQLException {
        return inner.nativeSQL(a0);
    }

    @Override
    public CallableStatement prepareCall(String a0, int a1, int a2, int a3) throws SQLException {
        return inner.prepareCall(a0, a1, a2, a3);
    }

    @Override
    public CallableStatement prepareCall(String a0, int a1, int a2) throws SQLException {
        return inner.prepareCall(a0, a1, a2);
    }

    @Override
    public CallableStatement prepareCall(String a0) throws SQLException {
        return inner.prepareCall(a0);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int[] a1) throws SQLException {
        return inner.prepareStatement(a0, a1);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, String[] a1) throws SQLException {
        return inner.prepareStatement(a0, a1);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1, int a2, int a3) throws SQLException {
        return inner.prepareStatement(a0, a1, a2, a3);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1, int a2) throws SQLException {
        return inner.prepareStatement(a0, a1, a2);
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1) throws SQLException {
        return inner.prepareStatement(a0, a1);
    }

    @Override
    public PreparedStatement prepareStatement(String a0) throws SQLException {
        return inner.prepareStatement(a0);
    }

    @Override
    public void releaseSavepoint(Savepoint a0) throws SQLException {
        inner.releaseSavepoint(a0);
    }

    @Override
    public void rollback() throws SQLException {
        inner.rollback();
    }

    @Override
    public void rollback(Savepoint a0) throws SQLException {
        inner.rollback(a0);
    }

    @Override
    public void setAutoCommit(boolean a0) throws SQLException {
        inner.setAutoCommit(a0);
    }

    @Override
    public void setCatalog(String a0) throws SQLException {
        inner.setCatalog(a0);
    }

    @Override
    public void setClientInfo(String a0, String a1) throws SQLClientInfoException {
        inner.setClientInfo(a0, a1);
    }

    @Override
    public void setClientInfo(java.util.Properties a0) throws SQLClientInfoException {
        inner.setClientInfo(a0);
    }

    @Override
    public void setHoldability(int a0) throws SQLException {
        inner.setHoldability(a0);
    }

    @Override
    public void setNetworkTimeout(java.util.concurrent.Executor a0, int a1) throws SQLException {
        inner.setNetworkTimeout(a0, a1);
    }

    @Override
    public void setReadOnly(boolean a0) throws SQLException {
        inner.setReadOnly(a0);
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return inner.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String a0) throws SQLException {
        return inner.setSavepoint(a0);
    }

    @Override
    public void setSchema(String a0) throws SQLException {
        inner.setSchema(a0);
    }

    @Override
    public void setTransactionIsolation(int a0) throws SQLException {
        inner.setTransactionIsolation(a0);
    }

    @Override
    public void setTypeMap(java.util.Map<String, Class<?>> a0) throws SQLException {
        inner.setTypeMap(a0);
    }

    @Override
    public <T> T unwrap(Class<T> a0) throws SQLException {
        return inner.unwrap(a0);
    }

}
