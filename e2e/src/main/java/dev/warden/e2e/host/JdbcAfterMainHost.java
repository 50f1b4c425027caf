package dev.warden.e2e.host;

/** {@link JdbcHost}, saying first that its {@code main} runs: {@code MAIN}, then what JdbcHost prints. */
public final class JdbcAfterMainHost {

    public static void main(String[] args) throws Exception {
        System.out.println("MAIN");
        JdbcHost.main(args);
    }
}
