package dev.warden.e2e;

import dev.warden.e2e.host.FileHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * S13 and S14 for files, in host JVMs started with only {@code -javaagent}: under a policy that
 * permits nothing, no java.io or NIO technique changes the disk; under a least-privilege policy the
 * working directory is written and nothing outside it is, whether reached by {@code ..}, a symbolic
 * link or a hard link. What is on disk is checked by the test, not taken from the host; every refusal
 * has a receipt the auditors' verifier accepts.
 */
class FileEndToEndTest {

    private static final Pattern RECEIPT = Pattern.compile("\\(receipt ([0-9a-f-]+)\\)");
    private static final String ORIGINAL = "original\n";

    @TempDir
    Path workspace;

    private Path work;
    private Path outside;
    private Path victim;

    @BeforeEach
    void createDirectories() throws Exception {
        Path root = workspace.toRealPath();
        work = Files.createDirectories(root.resolve("work"));
        outside = Files.createDirectories(root.resolve("outside"));
        victim = Files.writeString(outside.resolve("victim.txt"), ORIGINAL);
        Files.createSymbolicLink(work.resolve("link-out"), victim);
        Files.createSymbolicLink(work.resolve("dir-out"), outside);
    }

    @Test
    void underAPolicyThatPermitsNothingNoTechniqueChangesTheDisk() throws Exception {
        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("audit")));
        // A preferences root whose lock "file" for user x is a directory: the name x/../.. goes through it.
        Path prefs = workspace.toRealPath().resolve("prefs");
        Files.createDirectories(prefs.resolve(".java/.userPrefs/.user.lock.x"));
        List<String> steps = List.of(
                "fos|" + outside.resolve("fos.txt"),
                "filewriter|" + outside.resolve("filewriter.txt"),
                "printwriter|" + outside.resolve("printwriter.txt"),
                "raf|" + outside.resolve("raf.txt"),
                "files-write|" + outside.resolve("files-write.txt"),
                "files-writestring|" + victim,
                "newoutputstream|" + outside.resolve("newoutputstream.txt"),
                "bufferedwriter|" + outside.resolve("bufferedwriter.txt"),
                "channel|" + outside.resolve("channel.txt"),
                "async-channel|" + outside.resolve("async.txt"),
                "createfile|" + outside.resolve("created.txt"),
                "createnewfile|" + outside.resolve("createnewfile.txt"),
                "tempfile|" + outside,
                "copy|" + victim + "|" + outside.resolve("copy.txt"),
                "move|" + victim + "|" + outside.resolve("moved.txt"),
                "rename|" + victim + "|" + outside.resolve("renamed.txt"),
                "delete|" + victim,
                "files-delete|" + victim,
                "symlink|" + outside.resolve("link") + "|/etc/passwd",
                "hardlink|" + outside.resolve("hard") + "|" + victim,
                "mkdirs|" + outside.resolve("dir/sub"),
                "createdirectory|" + outside.resolve("dir2"),
                "setwritable|" + victim,
                "fos|" + work.resolve("link-out"),
                "raf|" + work.resolve("dir-out/through-dir-link.txt"),
                // Through a SecureDirectoryStream: openat, unlinkat and renameat relative to the directory it holds open.
                "sds-write|" + work + "|../outside/sds.txt",
                "sds-write|" + outside + "|sds.txt",
                "sds-write|" + work + "|" + outside.resolve("sds-absolute.txt"),
                "sds-delete|" + outside + "|victim.txt",
                "sds-move|" + outside + "|victim.txt|" + work + "|stolen.txt",
                // Found by a twelfth review (2026-12-07): a unix-domain socket bound to a name is a file the kernel
                // makes there, server or client; neither was decided.
                "unix-bind|" + outside.resolve("server.sock"),
                "unix-bind-client|" + outside.resolve("client.sock"),
                // Also a twelfth review's: java.util.prefs opens its lock file natively, at .user.lock.<user.name>,
                // and a user name holding ../ leads out of its directory. Last: it sets user.name for the host.
                "prefs-flush|" + prefs + "|x/../../../../outside/prefs.lock");

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("empty").run(FileHost.class, steps);

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        for (int step = 0; step < steps.size(); step++) {
            assertThat(host.step(step)).as(steps.get(step)).matches("(REFUSED|FALSE) step=\\d+.*");
        }
        assertThat(listing(outside)).containsExactly("victim.txt");
        assertThat(Files.readString(victim)).isEqualTo(ORIGINAL);
        assertThat(Files.isWritable(victim)).isTrue();
        assertThat(listing(work)).containsExactlyInAnyOrder("dir-out", "link-out");
        everyRefusalHasAReceipt(host, store, steps.size());
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void underALeastPrivilegePolicyOnlyTheWorkingDirectoryIsWritten() throws Exception {
        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("audit")));
        Path rules = FileRules.workingDirectoryOnly(workspace.resolve("rules"), work);
        List<String> steps = List.of(
                /* 0 */ "fos|" + work.resolve("a.txt"),
                /* 1 */ "files-write|" + work.resolve("dir-out/../work/b.txt"), // .. after a link: the link's parent
                /* 2 */ "fos|" + work.resolve("../outside/escape.txt"),
                /* 3 */ "fos|" + work.resolve("link-out"),
                /* 4 */ "files-write|" + work.resolve("dir-out/x.txt"),
                /* 5 */ "copy|" + work.resolve("a.txt") + "|" + outside.resolve("copied.txt"),
                /* 6 */ "copy|" + work.resolve("a.txt") + "|" + work.resolve("c.txt"),
                /* 7 */ "move|" + work.resolve("c.txt") + "|" + work.resolve("d.txt"),
                /* 8 */ "symlink|" + work.resolve("l2") + "|" + victim,
                /* 9 */ "rename|" + work.resolve("d.txt") + "|" + outside.resolve("d.txt"),
                /* 10 */ "delete|" + victim,
                /* 11 */ "hardlink|" + work.resolve("hard") + "|" + victim,
                /* 12 */ "delete|" + work.resolve("d.txt"),
                /* 13 */ "mkdirs|" + work.resolve("x/y"),
                /* 14 */ "read|" + victim,
                /* 15 */ "move|" + victim + "|" + work.resolve("stolen.txt"),
                /* 16 */ "sds-write|" + work + "|sds.txt",
                /* 17 */ "sds-write|" + work + "|../outside/sds.txt",
                /* 18 */ "sds-write|" + work + "|" + outside.resolve("sds-absolute.txt"),
                /* 19 */ "sds-write|" + work + "|dir-out/sds.txt",
                /* 20 */ "sds-delete|" + outside + "|victim.txt",
                /* 21 */ "sds-move|" + outside + "|victim.txt|" + work + "|stolen.txt",
                /* 22 */ "sds-move|" + work + "|sds.txt|" + outside + "|sds.txt",
                /* 23 */ "sds-move|" + work + "|sds.txt|" + work + "|sds-moved.txt",
                // Found by an eighth review (2026-12-07): what a File subclass's mkdir and getCanonicalFile made, called
                // by a permitted mkdirs, inherited its decision; the directories were made outside, with no receipt.
                /* 24 */ "mkdirs-subclass|" + work.resolve("own/dir") + "|" + outside);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).run(FileHost.class, steps);

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        for (int permitted : new int[] {0, 1, 6, 7, 12, 13, 14, 16, 23}) {
            assertThat(host.step(permitted)).as(steps.get(permitted)).startsWith("OK step=").doesNotContain("result=false");
        }
        for (int refused : new int[] {2, 3, 4, 5, 8, 9, 10, 11, 15, 17, 18, 19, 20, 21, 22, 24}) {
            assertThat(host.step(refused)).as(steps.get(refused)).matches("(REFUSED|FALSE) step=\\d+.*");
        }
        assertThat(host.step(2)).contains("thrown=java.io.FileNotFoundException", "no rule permits file WRITE on " + outside.resolve("escape.txt"));
        assertThat(host.step(4)).contains("thrown=java.nio.file.AccessDeniedException", "on " + outside.resolve("x.txt"));
        assertThat(host.step(17)).contains("thrown=java.nio.file.AccessDeniedException", "on " + outside.resolve("sds.txt"));
        assertThat(listing(work)).containsExactlyInAnyOrder("a.txt", "b.txt", "x", "dir-out", "link-out", "sds-moved.txt");
        assertThat(Files.readString(work.resolve("sds-moved.txt"))).isEqualTo("written by the host\n");
        assertThat(Files.readString(work.resolve("a.txt"))).isEqualTo("written by the host\n");
        assertThat(Files.isDirectory(work.resolve("x/y"))).isTrue();
        assertThat(listing(outside)).containsExactly("victim.txt");
        assertThat(Files.readString(victim)).isEqualTo(ORIGINAL);

        List<Receipt> receipts = store.all();
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("file") && receipt.target().equals(outside.resolve("escape.txt").toString()))
                .singleElement().satisfies(receipt -> {
                    assertThat(receipt.outcome()).isEqualTo("SILENCE");
                    assertThat(receipt.summary()).containsEntry("file.path.raw", work.resolve("../outside/escape.txt").toString())
                            .containsEntry("file.via", "FileOutputStream");
                });
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("file") && receipt.operation().equals("MKDIR")
                        && receipt.target().startsWith(work.resolve("x").toString()))
                .as("mkdirs is one action").hasSize(1);
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("file") && receipt.operation().equals("MKDIR")
                        && receipt.target().startsWith(outside.toString()))
                .as("what the File subclass made elsewhere").extracting(Receipt::target, Receipt::outcome)
                .containsExactlyInAnyOrder(tuple(outside.resolve("via-mkdir").toString(), "SILENCE"),
                        tuple(outside.resolve("canonical").toString(), "SILENCE"));
        everyRefusalHasAReceipt(host, store, steps.size());
        assertThat(store.verify().exitCode()).isZero();
    }

    /**
     * Found by a review (2026-12-06): a link named {@code \xff} (bytes that are not UTF-8) that leads outside, reached
     * through a link to it with a plain name or through a directory listing, was decided as a file named U+FFFD inside
     * the working directory, and the write landed outside; a temporary file's prefix {@code ../work/report} was decided
     * in the working directory, while the JDK keeps only its last name and makes the file where it was asked to.
     * Found by a seventh review (2026-12-07): with the JVM started with {@code -Duser.dir} naming another directory than
     * the one it runs in, a relative {@code java.io} name was decided against {@code user.dir} while the kernel opened
     * it from the process's directory: a write and a {@code mkdir} landed outside, and the signing key was read.
     */
    @Test
    void namesAreDecidedWhereTheirBytesLead() throws Exception {
        Process links = new ProcessBuilder("sh", "-c", "ln -s \"$(printf '\\377')\" docs && ln -s \"$1\" \"$(printf '\\377')\"",
                "links", outside.toString()).directory(work.toFile()).inheritIO().start();
        assertThat(links.waitFor()).isZero();
        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("audit")));
        Path rules = FileRules.workingDirectoryOnly(workspace.resolve("rules"), work);
        List<String> steps = List.of(
                /* 0 */ "fos|" + work.resolve("docs/a.txt"),
                /* 1 */ "files-write|" + work.resolve("docs/b.txt"),
                /* 2 */ "into-each|" + work + "|c.txt",
                /* 3 */ "tempfile-prefix|" + outside + "|../work/report",
                /* 4 */ "fos|" + work.resolve("plain.txt"),
                // Relative names, with the JVM started in outside and -Duser.dir naming work/sub: java.io hands them to
                // the kernel as they are (from outside), NIO resolves them against user.dir (a seventh review).
                /* 5 */ "fos|relative-fos.txt",
                /* 6 */ "files-write|relative-nio.txt",
                /* 7 */ "mkdir|relative-dir",
                /* 8 */ "fis|../audit/" + store.privateKey().getFileName());
        Path userDir = Files.createDirectories(work.resolve("sub"));

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).jvm("-Duser.dir=" + userDir)
                .in(outside).run(FileHost.class, steps);

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        for (int refused : new int[] {0, 1, 3, 5, 8}) {
            assertThat(host.step(refused)).as(steps.get(refused)).startsWith("REFUSED step=");
        }
        assertThat(host.step(5)).contains("no rule permits file WRITE on " + outside.resolve("relative-fos.txt"));
        assertThat(host.step(6)).startsWith("OK step=6");
        assertThat(host.step(7)).isEqualTo("FALSE step=7");
        assertThat(host.step(8)).as("the signing key, read from where the kernel opens it").contains("warden.own-files");
        assertThat(userDir.resolve("relative-nio.txt")).exists();
        assertThat(host.step(2)).as("docs, \\xff and dir-out listed (and sub, written)").isEqualTo("OK step=2 result=written=1 refused=3");
        assertThat(host.step(0)).contains("not text in the file system's encoding");
        assertThat(host.step(4)).startsWith("OK step=4");
        assertThat(listing(outside)).as("what landed outside").containsExactly("victim.txt");
        assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("file")
                        && receipt.summary().getOrDefault("file.error", "").contains("not text in the file system's encoding"))
                .as("docs/a.txt, docs/b.txt, and docs/c.txt and \\xff/c.txt as listed").hasSize(4);
        everyRefusalHasAReceipt(host, store, steps.size());
        assertThat(store.verify().exitCode()).isZero();

        // Under LC_ALL=C every byte beyond ASCII reads as U+FFFD, and the first fix let the link be skipped (a second reading).
        Receipts inC = Receipts.in(Files.createDirectories(workspace.resolve("audit-c")));
        List<String> again = List.of("fos|" + work.resolve("docs/a2.txt"), "files-write|" + work.resolve("docs/b2.txt"));
        HostJvm.Result c = HostJvm.withAgent(inC.agentArguments()).with("rules=" + rules).env("LC_ALL", "C").env("LANG", "C")
                .run(FileHost.class, again);
        assertThat(c.step(0)).as(c.toString()).startsWith("REFUSED step=0").contains("not text in the file system's encoding");
        assertThat(c.step(1)).startsWith("REFUSED step=1").contains("not text in the file system's encoding");
        assertThat(listing(outside)).as("what landed outside").containsExactly("victim.txt");
        assertThat(inC.verify().exitCode()).isZero();
    }

    @Test
    void readsAreDecidedWhenTheOperatorAsks() throws Exception {
        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("audit")));
        // Reads anywhere but the outside directory: the JVM reads its own class path and modules too.
        Path rules = FileRules.workingDirectoryOnly(workspace.resolve("rules"), work, """
                rule "reads, except the outside directory"
                when
                    Action(surface == "file", operation == "READ", !targetsUnder("%s"))
                then
                    verdict.permit("reading is fine outside the secrets");
                end
                """.formatted(outside));
        Files.writeString(work.resolve("notes.txt"), "notes");

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("file-reads=true")
                .run(FileHost.class, List.of("fis|" + victim, "read|" + victim, "read|" + work.resolve("notes.txt")));

        assertThat(host.step(0)).contains("REFUSED", "thrown=java.io.FileNotFoundException", "no rule permits file READ on " + victim);
        assertThat(host.step(1)).contains("REFUSED", "thrown=java.nio.file.AccessDeniedException");
        assertThat(host.step(2)).isEqualTo("OK step=2 result=5");
        everyRefusalHasAReceipt(host, store, 3);
    }

    @Test
    void badPathsGetADecisionAndAReceiptAndNeverCrashTheHost() throws Exception {
        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("audit")));
        Path rules = FileRules.workingDirectoryOnly(workspace.resolve("rules"), work);
        Files.createSymbolicLink(work.resolve("loop1"), work.resolve("loop2"));
        Files.createSymbolicLink(work.resolve("loop2"), work.resolve("loop1"));
        String dotDots = work + "/" + "../".repeat(40) + "etc/warden-was-here";
        String longPath = work + "/" + "a/".repeat(3000) + "x";
        List<String> steps = List.of(
                /* 0 */ "delete|" + work.resolve("a{NUL}b"),
                /* 1 */ "mkdir|" + work + "/{NUL}/../../outside/x",
                /* 2 */ "fos|" + outside + "/{LONE}name",
                /* 3 */ "fos|" + work + "/{LONE}name",
                /* 4 */ "fos|" + dotDots,
                /* 5 */ "fos|" + work.resolve("loop1/x"),
                /* 6 */ "fos|" + longPath,
                /* 7 */ "fos|" + work.resolve("after.txt"),
                // A name of 20 million characters: its receipt, target and reason whole, was more than the log appends.
                /* 8 */ "fos|" + work + "/{HUGE}",
                /* 9 */ "fos|" + work.resolve("after-huge.txt"));

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).run(FileHost.class, steps);

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        assertThat(host.step(0)).isEqualTo("FALSE step=0");
        assertThat(host.step(1)).isEqualTo("FALSE step=1");
        // java.io hands the kernel '?' for a lone surrogate: the decision is on the file that would be written.
        assertThat(host.step(2)).contains("REFUSED", "no rule permits file WRITE on " + outside + "/?name");
        assertThat(host.step(3)).startsWith("OK step=3");
        assertThat(work.resolve("?name")).exists();
        assertThat(host.step(4)).contains("REFUSED", "no rule permits file WRITE on /etc/warden-was-here");
        // Refused before the policy: where an unresolved path leads may be into Warden's own files (a seventh review).
        assertThat(host.step(5)).contains("REFUSED", "warden.own-files", "(too many levels of symbolic links)");
        assertThat(host.step(6)).contains("REFUSED", "warden.own-files", "(path longer than 4096 characters)");
        assertThat(host.step(7)).startsWith("OK step=7");
        assertThat(host.step(8)).contains("REFUSED", "warden.own-files", "(path longer than 4096 characters)");
        assertThat(host.step(9)).startsWith("OK step=9");
        assertThat(Path.of("/etc/warden-was-here")).doesNotExist();
        assertThat(listing(outside)).containsExactly("victim.txt");

        List<Receipt> files = store.all().stream().filter(receipt -> receipt.surface().equals("file")).toList();
        assertThat(files).hasSize(steps.size());
        assertThat(files.get(0).summary()).containsEntry("file.error", "path contains NUL")
                .containsEntry("file.path", work + "/a\\0b");
        assertThat(files.get(0).outcome()).isEqualTo("DENY");
        assertThat(files.get(1).outcome()).isEqualTo("DENY");
        String huge = work + "/" + "h".repeat(20_000_000);
        assertThat(files.get(8).target()).as("cut, with how much more there was")
                .isEqualTo(huge.substring(0, 64 * 1024) + "...[" + (huge.length() - 64 * 1024) + " more chars]");
        assertThat(files.get(8).reason()).endsWith(" more chars]").hasSizeLessThan(70 * 1024);
        everyRefusalHasAReceipt(host, store, steps.size());
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void whenWhatTheAdviceReadsThrowsTheCallIsRefusedAndTheNextCallIsDecided() throws Exception {
        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("audit")));
        Path rules = FileRules.workingDirectoryOnly(workspace.resolve("rules"), work);

        Files.writeString(work.resolve("r.txt"), ORIGINAL);
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).run(FileHost.class, List.of(
                "throwing-options|" + work.resolve("t.txt"), "newoutputstream|" + work.resolve("t.txt"),
                "throwing-options|" + outside.resolve("t.txt"), "fos|" + outside.resolve("u.txt"),
                // A File of the host's own class whose getPath throws: a rename's destination, a temporary file's directory.
                "throwing-rename|" + work.resolve("r.txt") + "|" + work.resolve("renamed.txt"), "newoutputstream|" + work.resolve("after.txt"),
                "throwing-temp-dir|" + work, "fos|" + outside.resolve("v.txt")));

        assertThat(host.step(0)).contains("REFUSED", "thrown=java.nio.file.AccessDeniedException", "warden.fail-closed",
                "could not describe the file action", "the host's option set cannot be iterated");
        assertThat(host.step(1)).startsWith("OK step=1");
        assertThat(host.step(2)).contains("REFUSED", "warden.fail-closed");
        assertThat(host.step(3)).contains("REFUSED", "default-deny");
        assertThat(host.step(4)).isEqualTo("FALSE step=4");
        assertThat(host.step(5)).startsWith("OK step=5");
        assertThat(host.step(6)).contains("REFUSED", "thrown=java.nio.file.AccessDeniedException", "warden.fail-closed",
                "could not describe the file action", "the host's file object cannot say its path");
        assertThat(host.step(7)).contains("REFUSED", "default-deny");
        assertThat(Files.readString(work.resolve("t.txt"))).isEqualTo("written by the host\n");
        assertThat(Files.readString(work.resolve("r.txt"))).as("the rename did not happen").isEqualTo(ORIGINAL);
        assertThat(listing(work)).as("no temporary file was created").containsExactlyInAnyOrder("t.txt", "r.txt", "after.txt",
                "link-out", "dir-out");
        assertThat(listing(outside)).containsExactly("victim.txt");
        // Each unreadable call is refused with a receipt of its own (the engine refuses it without the rules).
        assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("file"))
                .extracting(Receipt::operation, Receipt::target, Receipt::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("UNREADABLE", "", "DENY"),
                        org.assertj.core.groups.Tuple.tuple("WRITE", work.resolve("t.txt").toString(), "PERMIT"),
                        org.assertj.core.groups.Tuple.tuple("UNREADABLE", "", "DENY"),
                        org.assertj.core.groups.Tuple.tuple("WRITE", outside.resolve("u.txt").toString(), "SILENCE"),
                        org.assertj.core.groups.Tuple.tuple("UNREADABLE", "", "DENY"),
                        org.assertj.core.groups.Tuple.tuple("WRITE", work.resolve("after.txt").toString(), "PERMIT"),
                        org.assertj.core.groups.Tuple.tuple("UNREADABLE", "", "DENY"),
                        org.assertj.core.groups.Tuple.tuple("WRITE", outside.resolve("v.txt").toString(), "SILENCE"));
        everyRefusalHasAReceipt(host, store, 8);
    }

    /** Every REFUSED line names a receipt that refused; every FALSE line has a refusing receipt too. */
    private static void everyRefusalHasAReceipt(HostJvm.Result host, Receipts store, int steps) throws Exception {
        List<Receipt> receipts = store.all();
        List<Receipt> refusals = receipts.stream().filter(receipt -> receipt.surface().equals("file")
                && !receipt.outcome().equals("PERMIT")).toList();
        int refusedLines = 0;
        for (int step = 0; step < steps; step++) {
            String line = host.step(step);
            if (line.startsWith("REFUSED")) {
                refusedLines++;
                Matcher receipt = RECEIPT.matcher(line);
                assertThat(receipt.find()).as(line).isTrue();
                assertThat(refusals).extracting(Receipt::id).as(line).contains(receipt.group(1));
            } else if (line.startsWith("FALSE")) {
                refusedLines++;
            }
        }
        assertThat(refusals).hasSizeGreaterThanOrEqualTo(refusedLines);
    }

    private static List<String> listing(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }
}
