package dev.warden.receipts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9162 consistency proofs made from the old frontier and the new leaves. The vectors are the
 * Certificate Transparency project's published RFC 6962 test data (eight leaves of raw bytes), and
 * were recomputed by an independent Python implementation of RFC 9162 §2.1.4.1 before being written here.
 */
class ConsistencyProofsTest {

    private static final List<byte[]> CT_LEAVES = List.of(
            TreeHashes.leaf(new byte[0]), TreeHashes.leaf(bytes(0x00)), TreeHashes.leaf(bytes(0x10)),
            TreeHashes.leaf(bytes(0x20, 0x21)), TreeHashes.leaf(bytes(0x30, 0x31)),
            TreeHashes.leaf(bytes(0x40, 0x41, 0x42, 0x43)), TreeHashes.leaf(range(0x50, 0x58)), TreeHashes.leaf(range(0x60, 0x70)));

    private static final List<String> CT_ROOTS = List.of(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    private static final Map<String, List<String>> CT_PROOFS = Map.of(
            "1 8", List.of("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            "6 8", List.of("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            "2 5", List.of("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            "1 1", List.of());

    @Test
    void theTreeOfThePublishedLeavesHasThePublishedRoots() {
        for (int n = 1; n <= 8; n++) {
            assertThat(Hex.of(InclusionProofs.root(CT_LEAVES, 0, n))).as("size %d", n).isEqualTo(CT_ROOTS.get(n - 1));
        }
    }

    @Test
    void proofsFromTheOldFrontierAreThePublishedProofs() {
        CT_PROOFS.forEach((sizes, expected) -> {
            int m = Integer.parseInt(sizes.split(" ")[0]);
            int n = Integer.parseInt(sizes.split(" ")[1]);
            List<byte[]> proof = prove(CT_LEAVES, m, n);
            assertThat(proof.stream().map(Hex::of).toList()).as(sizes).isEqualTo(expected);
            assertThat(ConsistencyProofs.verify(m, Hex.parse(CT_ROOTS.get(m - 1)), n, Hex.parse(CT_ROOTS.get(n - 1)), proof))
                    .as(sizes).isTrue();
        });
    }

    @Test
    void everyProofUpTo70LeavesVerifiesAndNoAlteredOneDoes() {
        List<byte[]> leaves = leaves(70);
        for (int n = 1; n <= leaves.size(); n++) {
            byte[] newRoot = InclusionProofs.root(leaves, 0, n);
            for (int m = 1; m <= n; m++) {
                byte[] oldRoot = InclusionProofs.root(leaves, 0, m);
                List<byte[]> proof = prove(leaves, m, n);
                assertThat(ConsistencyProofs.verify(m, oldRoot, n, newRoot, proof)).as("%d -> %d", m, n).isTrue();
                if (m == n) {
                    assertThat(proof).isEmpty();
                    continue;
                }
                for (int i = 0; i < proof.size(); i++) {
                    List<byte[]> altered = new ArrayList<>(proof);
                    byte[] h = altered.get(i).clone();
                    h[0] ^= 1;
                    altered.set(i, h);
                    assertThat(ConsistencyProofs.verify(m, oldRoot, n, newRoot, altered)).as("%d -> %d, node %d altered", m, n, i).isFalse();
                }
                assertThat(ConsistencyProofs.verify(m, oldRoot, n, newRoot, proof.subList(0, proof.size() - 1)))
                        .as("%d -> %d shortened", m, n).isFalse();
                assertThat(ConsistencyProofs.verify(m, newRoot, n, newRoot, proof)).as("%d -> %d, wrong old root", m, n).isFalse();
                if (m > 1) {
                    assertThat(ConsistencyProofs.verify(m - 1, InclusionProofs.root(leaves, 0, m - 1), n, newRoot, proof))
                            .as("%d -> %d, claimed from size %d", m, n, m - 1).isFalse();
                }
            }
        }
    }

    @Test
    void aRewrittenHistoryHasNoProof() {
        List<byte[]> honest = leaves(20);
        List<byte[]> rewritten = new ArrayList<>(honest);
        rewritten.set(3, TreeHashes.leaf("forged".getBytes(StandardCharsets.UTF_8)));
        byte[] honestRoot = InclusionProofs.root(honest, 0, 10);
        List<byte[]> proof = prove(rewritten, 10, 20);
        assertThat(ConsistencyProofs.verify(10, honestRoot, 20, InclusionProofs.root(rewritten, 0, 20), proof)).isFalse();
    }

    @Test
    void fromTheEmptyTreeOrToTheSameSizeTheProofIsEmpty() {
        List<byte[]> leaves = leaves(5);
        byte[] root = InclusionProofs.root(leaves, 0, 5);
        assertThat(ConsistencyProofs.prove(0, List.of(), leaves)).isEmpty();
        assertThat(ConsistencyProofs.verify(0, TreeHashes.emptyRoot(), 5, root, List.of())).isTrue();
        assertThat(ConsistencyProofs.verify(5, root, 5, root, List.of())).isTrue();
        assertThat(ConsistencyProofs.verify(5, root, 5, TreeHashes.emptyRoot(), List.of())).isFalse();
        assertThat(ConsistencyProofs.verify(5, root, 4, root, List.of())).isFalse();
    }

    /** The writer's way: the frontier of the first m leaves, then the leaves appended after it. */
    private static List<byte[]> prove(List<byte[]> leaves, int m, int n) {
        CompactRange old = new CompactRange();
        leaves.subList(0, m).forEach(old::append);
        return ConsistencyProofs.prove(m, old.frontier(), leaves.subList(m, n));
    }

    private static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(TreeHashes.leaf(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return leaves;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] range(int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }
}
