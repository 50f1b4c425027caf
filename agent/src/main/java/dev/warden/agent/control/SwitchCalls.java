package dev.warden.agent.control;

import dev.warden.agent.config.Mode;
import dev.warden.receipts.ReceiptWriteException;

import java.util.Locale;

/** What the MBeans share: reading a mode name, and turning a switch's failure into one a JMX client can read (JDK types only). */
final class SwitchCalls {
    private SwitchCalls() {
    }

    interface Call {
        void run() throws ReceiptWriteException;
    }

    static Mode mode(String name) {
        try {
            return Mode.valueOf(String.valueOf(name).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode must be enforce or shadow, not '" + name + "'");
        }
    }

    static void run(Call call) {
        try {
            call.run();
        } catch (ReceiptWriteException e) {
            throw new IllegalStateException("the switch could not be recorded: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    static String name(Mode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }
}
