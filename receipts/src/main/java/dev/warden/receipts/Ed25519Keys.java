package dev.warden.receipts;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Ed25519 key files in the formats OpenSSL reads and writes: the private key as PEM PKCS#8
 * ({@code openssl genpkey -algorithm ed25519}), the public key as PEM SubjectPublicKeyInfo
 * ({@code openssl pkey -pubout}).
 */
public final class Ed25519Keys {
    /** id-Ed25519, RFC 8410. */
    private static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");
    private static final AlgorithmIdentifier ED25519 = new AlgorithmIdentifier(ID_ED25519);
    /** Far more than any PEM key Warden reads (an Ed25519 key is under 200 bytes): a bound, not a format check. */
    private static final int MAX_PEM_BYTES = 64 * 1024;

    private Ed25519Keys() {
    }

    /**
     * Generates a key pair, writing the private key readable by its owner only ({@code rw-------}
     * where the file system has POSIX permissions). Refuses to overwrite an existing private key.
     */
    public static SigningKey generate(Path privatePem, Path publicPem) throws IOException {
        SigningKey key = generateInMemory();
        writePrivate(key, privatePem);
        writePublic(key.publicKey(), publicPem);
        return key;
    }

    /** A new key, written nowhere yet (a log writes it once it knows it may start). */
    static SigningKey generateInMemory() {
        return new SigningKey(new Ed25519PrivateKeyParameters(JdkSun.random()));
    }

    public static SigningKey readPrivate(Path pem) throws IOException {
        byte[] der = Pem.decode("PRIVATE KEY", read(pem), "private key " + pem);
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(der);
            requireEd25519(info.getPrivateKeyAlgorithm(), pem);
            byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
            return SigningKey.fromSeed(seed);
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            if (e instanceof KeyFormatException k) {
                throw k;
            }
            throw new KeyFormatException("private key " + pem + " is not a PKCS#8 Ed25519 key: " + e.getMessage());
        }
    }

    public static VerificationKey readPublic(Path pem) throws IOException {
        return parsePublic(read(pem), "public key " + pem);
    }

    /** A public key from the text of a PEM file; {@code what} names it in errors. */
    public static VerificationKey parsePublic(String pemText, String what) throws KeyFormatException {
        byte[] der = Pem.decode("PUBLIC KEY", pemText, what);
        try {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(der);
            if (!ID_ED25519.equals(info.getAlgorithm().getAlgorithm())) {
                throw new KeyFormatException(what + " is not Ed25519 (algorithm " + info.getAlgorithm().getAlgorithm() + ")");
            }
            return new VerificationKey(info.getPublicKeyData().getOctets());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new KeyFormatException(what + " is not an Ed25519 SubjectPublicKeyInfo: " + e.getMessage());
        }
    }

    public static void writePublic(VerificationKey key, Path pem) throws IOException {
        byte[] der = new SubjectPublicKeyInfo(ED25519, key.raw()).getEncoded(ASN1Encoding.DER);
        Files.writeString(pem, Pem.encode("PUBLIC KEY", der), StandardCharsets.US_ASCII);
    }

    static void writePrivate(SigningKey key, Path pem) throws IOException {
        // PKCS#8 v1 without the optional public key: byte for byte what OpenSSL writes.
        byte[] der = new PrivateKeyInfo(ED25519, new DEROctetString(key.seed())).getEncoded(ASN1Encoding.DER);
        byte[] text = Pem.encode("PRIVATE KEY", der).getBytes(StandardCharsets.US_ASCII);
        if (Files.exists(pem)) {
            throw new FileAlreadyExistsException(pem.toString(), null, "refusing to overwrite a private key");
        }
        if (pem.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // Created with the permissions, never widened later: no window in which others can read it.
            Files.createFile(pem, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(pem);
        }
        Files.write(pem, text, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static void requireEd25519(AlgorithmIdentifier algorithm, Path pem) throws KeyFormatException {
        if (!ID_ED25519.equals(algorithm.getAlgorithm())) {
            throw new KeyFormatException("key " + pem + " is not Ed25519 (algorithm " + algorithm.getAlgorithm() + ")");
        }
    }

    /**
     * A PEM key is a few hundred bytes. The approvers' CLI reads the receipts directory's {@code public-key.pem} when not
     * given one, and whoever can write that directory can put a FIFO or a link to {@code /dev/zero} there: read whole,
     * the command never returned (an eighth review, 2026-12-07).
     */
    private static String read(Path pem) throws IOException {
        return new String(BoundedFiles.read(pem, MAX_PEM_BYTES), StandardCharsets.ISO_8859_1);
    }
}
