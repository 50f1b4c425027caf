package dev.warden.bootstrap;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** State attached to a host's object: found by that very object, never by an equal one, and let go with it. */
class AttachmentTest {

    /** Equal to every other instance: an attachment must not confuse two of them. */
    private static final class EqualToAll {
        @Override
        public boolean equals(Object other) {
            return other instanceof EqualToAll;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    @Test
    void aValueIsFoundByItsCarrierAloneAndRemovedOnce() {
        Attachment<String> attachment = new Attachment<>();
        Object carrier = new EqualToAll();
        Object twin = new EqualToAll();
        attachment.set(carrier, "the statement's SQL");

        assertThat(attachment.get(carrier)).isEqualTo("the statement's SQL");
        assertThat(attachment.get(twin)).as("an equal object is another carrier").isNull();
        assertThat(attachment.setIfAbsent(carrier, "replaced")).as("what was captured first stays").isEqualTo("the statement's SQL");
        assertThat(attachment.remove(twin)).isNull();
        assertThat(attachment.remove(carrier)).isEqualTo("the statement's SQL");
        assertThat(attachment.get(carrier)).isNull();
        assertThat(attachment.get(null)).isNull();
    }

    @Test
    void aCollectedCarriersValueGoesWithIt() throws Exception {
        Attachment<byte[]> attachment = new Attachment<>();
        attachment.set(new Object(), new byte[16]);
        List<Object> kept = new ArrayList<>();
        Object alive = new Object();
        attachment.set(alive, new byte[16]);
        for (int round = 0; round < 100 && attachment.size() > 1; round++) {
            System.gc(); // a request: the loop ends on what the attachment says, not on time
            kept.add(new byte[1 << 16]);
        }

        assertThat(attachment.size()).isEqualTo(1);
        assertThat(attachment.get(alive)).hasSize(16);
    }
}
