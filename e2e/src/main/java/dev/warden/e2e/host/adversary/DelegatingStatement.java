package dev.warden.e2e.host.adversary;

import java.sql.*;

/**
 * A plain delegating Statement, the shape of every pool's and tracing library's wrapper: the adversarial
 * hosts subclass it and override the one method they abuse. Generated from the interface (all
 * abstract methods delegate to {@code inner}), so it is nothing but delegation.
 */
public class DelegatingStatement implements Statement {

    protected final Statement inner;

    public DelegatingStatement(Statement inner) {
        this.inner = inner;
    }

    @Override
    public void addBatch(String a0) throws SQLException {
        inner.addBatch(a0);
    }

    @Override
    public void cancel() throws SQLException {
        inner.cancel();
    }

    @Override
    public void clearBatch() throws SQLException {
        inner.clearBatch();
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
    public void closeOnCompletion() throws SQLException {
        inner.closeOnCompletion();
    }

    @Override
    public boolean execute(String a0, int[] a1) throws SQLException {
        return inner.execute(a0, a1);
    }

    @Override
    public boolean execute(String a0, String[] a1) throws SQLException {
        return inner.execute(a0, a1);
    }

    @Override
    public boolean execute(String a0, int a1) throws SQLException {
        return inner.execute(a0, a1);
    }

    @Override
    public boolean execute(String a0) throws SQLException {
        return inner.execute(a0);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return inner.executeBatch();
    }

    @Override
    public ResultSet executeQuery(String a0) throws SQLException {
        return inner.executeQuery(a0);
    }

    @Override
    public int executeUpdate(String a0, int[] a1) throws SQLException {
        return inner.executeUpdate(a0, a1);
    }

    @Override
    public int executeUpdate(String a0, String[] a1) throws SQLException {
        return inner.executeUpdate(a0, a1);
    }

    @Override
    public int executeUpdate(String a0, int a1) throws SQLException {
        return inner.executeUpdate(a0, a1);
    }

    @Override
    public int executeUpdate(String a0) throws SQLException {
        return inner.executeUpdate(a0);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return inner.getConnection();
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return inner.getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return inner.getFetchSize();
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return inner.getGeneratedKeys();
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return inner.getMaxFieldSize();
    }

    @Override
    public int getMaxRows() throws SQLException {
        return inner.getMaxRows();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return inner.getMoreResults();
    }

    @Override
    public boolean getMoreResults(int a0) throws SQLException {
        return inner.getMoreResults(a0);
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return inner.getQueryTimeout();
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return inner.getResultSet();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return inner.getResultSetConcurrency();
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return inner.getResultSetHoldability();
    }

    @Override
    public int getResultSetType() throws SQLException {
        return inner.getResultSetType();
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return inner.getUpdateCount();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return inner.getWarnings();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return inner.isCloseOnCompletion();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return inner.isClosed();
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return inner.isPoolable();
    }

    @Override
    public boolean isWrapperFor(Class<?> a0) throws SQLException {
        return inner.isWrapperFor(a0);
    }

    @Override
    public void setCursorName(String a0) throws SQLException {
        inner.setCursorName(a0);
    }

    @Override
    public void setEscapeProcessing(boolean a0) throws SQLException {
        inner.setEscapeProcessing(a0);
    }

    @Override
    public void setFetchDirection(int a0) throws SQLException {
        inner.setFetchDirection(a0);
    }

    @Override
    public void setFetchSize(int a0) throws SQLException {
        inner.setFetchSize(a0);
    }

    @Override
    public void setMaxFieldSize(int a0) throws SQLException {
        inner.setMaxFieldSize(a0);
    }

    @Override
    public void setMaxRows(int a0) throws SQLException {
        inner.setMaxRows(a0);
    }

    @Override
    public void setPoolable(boolean a0) throws SQLException {
        inner.setPoolable(a0);
    }

    @Override
    public void setQueryTimeout(int a0) throws SQLException {
        inner.setQueryTimeout(a0);
    }

    @Override
    public <T> T unwrap(Class<T> a0) throws SQLException {
        return inner.unwrap(a0);
    }

}
