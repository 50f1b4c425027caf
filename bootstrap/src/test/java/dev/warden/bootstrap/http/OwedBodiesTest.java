package dev.warden.bootstrap.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A connection owes the body its last head declared until it is written, and only that connection does. */
class OwedBodiesTest {

    @Test
    void aHeadWhoseBodyWasNeverWrittenLeavesItsConnectionOwingIt() {
        Object connection = new Object();
        Object other = new Object();
        assertThat(OwedBodies.owedBy(connection)).isNull();
        OwedBodies.headWritten(connection, true);
        assertThat(OwedBodies.owedBy(connection)).contains("never wrote");
        assertThat(OwedBodies.owedBy(other)).as("another connection").isNull();
        OwedBodies.settled(connection);
        assertThat(OwedBodies.owedBy(connection)).as("the body written").isNull();
    }

    @Test
    void aBodilessHeadOwesNothingAndASocketBoundAgainStartsAfresh() {
        Object connection = new Object();
        OwedBodies.headWritten(connection, false);
        assertThat(OwedBodies.owedBy(connection)).isNull();
        OwedBodies.headWritten(connection, true);
        OwedBodies.settled(connection); // bind(Socket): a new socket owes nothing of the old one
        assertThat(OwedBodies.owedBy(connection)).isNull();
    }
}
