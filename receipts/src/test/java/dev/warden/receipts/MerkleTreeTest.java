package dev.warden.receipts;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 6962/9162 tree hashing: the incremental tree, the recursive definition, and inclusion proofs agree. */
class MerkleTreeTest {

    @Test
    void theEmptyTreeHasTheHashOfTheEmptyString() {
        assertThat(Hex.of(new CompactRange().root()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void theIncrementalRootIsTheRecursiveMthForEverySize() {
        List<byte[]> leaves = leaves(70);
        CompactRange tree = new CompactRange();
        for (int n = 1; n <= leaves.size(); n++) {
            tree.append(leaves.get(n - 1));
            assertThat(tree.root()).as("size %d", n).isEqualTo(InclusionProofs.root(leaves, 0, n));
        }
    }

    @Test
    void aTreeRestoredFromItsFrontierGrowsLikeTheOriginal() {
        List<byte[]> leaves = leaves(23);
        CompactRange original = new CompactRange();
        leaves.subList(0, 13).forEach(original::append);
        CompactRange restored = CompactRange.restore(13, original.frontier());
        leaves.subList(13, 23).forEach(original::append);
        leaves.subList(13, 23).forEach(restored::append);
        assertThat(restored.root()).isEqualTo(original.root());
    }

    @Test
    void everyInclusionProofVerifiesAndNoOtherLeafPasses() {
        List<byte[]> leaves = leaves(33);
        for (int size = 1; size <= leaves.size(); size++) {
            byte[] root = InclusionProofs.root(leaves, 0, size);
            for (int i = 0; i < size; i++) {
                List<byte[]> path = InclusionProofs.path(leaves, i, size);
                assertThat(InclusionProofs.verify(leaves.get(i), i, size, path, root)).as("leaf %d of %d", i, size).isTrue();
                int other = (i + 1) % size;
                if (other != i) {
                    assertThat(InclusionProofs.verify(leaves.get(other), i, size, path, root)).isFalse();
                }
            }
        }
    }

    @Test
    void aProofAgainstAnotherRootFails() {
        List<byte[]> leaves = leaves(10);
        List<byte[]> path = InclusionProofs.path(leaves, 3, 10);
        assertThat(InclusionProofs.verify(leaves.get(3), 3, 10, path, InclusionProofs.root(leaves, 0, 9))).isFalse();
    }

    @Test
    void leafAndNodeHashesAreDomainSeparated() {
        byte[] a = TreeHashes.leaf(new byte[] {1});
        byte[] b = TreeHashes.leaf(new byte[] {2});
        byte[] concatenated = new byte[64];
        System.arraycopy(a, 0, concatenated, 0, 32);
        System.arraycopy(b, 0, concatenated, 32, 32);
        assertThat(TreeHashes.node(a, b)).isNotEqualTo(TreeHashes.leaf(concatenated));
    }

    @Test
    void anAppendAllocatesNothing() {
        // The signer appends every receipt's leaf and the verifier every leaf of the log: a node per leaf was garbage.
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] leaf = TreeHashes.leaf(new byte[8]);
        CompactRange tree = new CompactRange();
        for (int i = 0; i < 50_000; i++) {
            tree.append(leaf); // every level's slot made, and the loop compiled
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            tree.append(leaf);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 100,000 appends").isLessThan(100_000);
    }

    @Test
    void aLeafOrFrontierHashThatIsNot32BytesIsRefused() {
        CompactRange tree = new CompactRange();
        assertThatThrownBy(() -> tree.append(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThat(tree.size()).isZero();
        assertThatThrownBy(() -> CompactRange.restore(1, List.of(new byte[33]))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompactRange.restore(3, List.of(new byte[32]))).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] data = new byte[8];
            Arrays.fill(data, (byte) i);
            leaves.add(TreeHashes.leaf(data));
        }
        return leaves;
    }
}
