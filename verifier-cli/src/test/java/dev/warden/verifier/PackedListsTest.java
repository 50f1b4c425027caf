package dev.warden.verifier;

import dev.warden.receipts.ExcerptLocation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The verifier's packed lists of leaf hashes and locations behave as the lists they replace, for what it does with them. */
class PackedListsTest {
    @Test
    void leafHashesKeepEveryHashInOrderPastGrowingAndAfterTheTailIsCut() {
        List<byte[]> packed = new LeafHashes();
        List<byte[]> plain = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            byte[] hash = new byte[32];
            hash[0] = (byte) i;
            hash[31] = (byte) (i >> 8);
            packed.add(hash);
            plain.add(hash);
        }
        packed.subList(2500, packed.size()).clear();
        plain.subList(2500, plain.size()).clear();
        packed.add(new byte[32]);
        plain.add(new byte[32]);

        assertThat(packed).hasSize(2501);
        for (int i = 0; i < plain.size(); i++) {
            assertThat(packed.get(i)).as("leaf %d", i).isEqualTo(plain.get(i));
        }
        packed.get(7)[0] = 99; // a copy: the kept hash does not change
        assertThat(packed.get(7)[0]).isEqualTo((byte) 7);
        assertThatThrownBy(() -> packed.add(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> packed.subList(0, 1).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> packed.get(2501)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void locationsKeepEveryLocationAndPlaceholderInOrderAcrossFiles() {
        List<ExcerptLocation> packed = new Locations();
        List<ExcerptLocation> plain = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            ExcerptLocation at = i % 1000 == 5 ? null : new ExcerptLocation("2026112" + (i / 700) + ".cq4", 16L * i + (1L << 33));
            packed.add(at);
            plain.add(at);
        }
        packed.subList(2000, packed.size()).clear();
        plain.subList(2000, plain.size()).clear();
        packed.add(new ExcerptLocation("20261120.cq4", 1)); // a file seen before, again
        plain.add(new ExcerptLocation("20261120.cq4", 1));

        assertThat(packed).isEqualTo(plain);
        assertThat(packed.indexOf(plain.get(1234))).isEqualTo(1234);
        assertThat(packed.subList(10, 20)).isEqualTo(plain.subList(10, 20));
        assertThatThrownBy(() -> packed.subList(5, 6).clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void placesBeforeACutHeadAreCountedNotStored() {
        LeafHashes leaves = new LeafHashes();
        Locations locations = new Locations();
        leaves.skip(2_147_483_000);
        locations.skip(2_147_483_000);
        byte[] hash = new byte[32];
        hash[0] = 7;
        leaves.add(hash);
        locations.add(new ExcerptLocation("20261206F.cq4", 0x10140));

        assertThat(leaves).hasSize(2_147_483_001);
        assertThat(leaves.get(5)).isEqualTo(new byte[32]);
        assertThat(leaves.get(2_147_483_000)).isEqualTo(hash);
        assertThat(locations.get(5)).isNull();
        assertThat(locations.indexOf(new ExcerptLocation("20261206F.cq4", 0x10140))).isEqualTo(2_147_483_000);
        assertThat(leaves.full()).isFalse();
    }

    @Test
    void aLocationIsFoundByBinarySearchInQueueOrder() {
        Locations locations = new Locations();
        for (int f = 0; f < 3; f++) {
            for (int i = 0; i < 1000; i++) {
                locations.add(new ExcerptLocation("2026120" + f + "F.cq4", 0x10000 + 64L * i));
            }
        }

        assertThat(locations.indexOf(new ExcerptLocation("20261201F.cq4", 0x10000 + 64L * 17))).isEqualTo(1017);
        assertThat(locations.indexOf(new ExcerptLocation("20261202F.cq4", 0x10000 + 64L * 999))).isEqualTo(2999);
        assertThat(locations.indexOf(new ExcerptLocation("20261201F.cq4", 0x10001))).isEqualTo(-1);
        assertThat(locations.indexOf(new ExcerptLocation("20261209F.cq4", 0x10000))).isEqualTo(-1);
    }
}
