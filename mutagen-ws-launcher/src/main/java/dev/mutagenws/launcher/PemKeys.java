package dev.mutagenws.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the TLS private key in the PEM forms OpenSSL writes: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA
 * ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC ({@code BEGIN EC PRIVATE KEY}). Netty reads only the first without
 * BouncyCastle, so the other two are re-wrapped as PKCS#8 here (the key bytes themselves are not touched).
 */
final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");
    /** 1.2.840.113549.1.1.1 (rsaEncryption), DER-encoded with its tag. */
    private static final byte[] RSA_ENCRYPTION = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
        0x01, 0x01, 0x01};
    /** 1.2.840.10045.2.1 (id-ecPublicKey), DER-encoded with its tag. */
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] DER_NULL = {0x05, 0x00};

    private PemKeys() {
    }

    /** The key in {@code file}; the message of the exception says what is wrong with it in one line. */
    static PrivateKey read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IOException("the " + type + " block is not valid base64");
            }
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der, keyAlgorithm(der));
                case "RSA PRIVATE KEY":
                    return pkcs8(wrap(0, concat(RSA_ENCRYPTION, DER_NULL), der), "RSA");
                case "EC PRIVATE KEY":
                    return pkcs8(wrap(0, namedCurve(der), der), "EC");
                case "ENCRYPTED PRIVATE KEY":
                    throw new IOException("the key is encrypted; give it unencrypted"
                            + " (openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem) and keep the file private");
                default:
                    break; // e.g. EC PARAMETERS before the key, or a certificate in the same file
            }
        }
        throw new IOException("no private key found (expected a PEM block BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY"
                + " or BEGIN EC PRIVATE KEY)");
    }

    /**
     * Whether {@code key} belongs to {@code certificate}: a probe signed with the key must verify with the
     * certificate's public key. (The TLS stack would only find out at the first handshake, every time.)
     */
    static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        byte[] probe = "mutagen-ws key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an RSA key with an EC certificate
        }
    }

    private static PrivateKey pkcs8(byte[] der, String algorithm) throws IOException {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IOException("not a valid " + algorithm + " private key: " + e.getMessage());
        }
    }

    /** The algorithm named in a PKCS#8 structure: RSA, EC, or (Ed25519 and the like) their own names. */
    private static String keyAlgorithm(byte[] pkcs8) throws IOException {
        Der outer = new Der(pkcs8).enter(0x30);
        outer.skip(0x02); // version
        byte[] oid = outer.enter(0x30).element(0x06);
        if (Arrays.equals(oid, RSA_ENCRYPTION)) {
            return "RSA";
        }
        if (Arrays.equals(oid, EC_PUBLIC_KEY)) {
            return "EC";
        }
        if (Arrays.equals(oid, new byte[] {0x06, 0x03, 0x2b, 0x65, 0x70})) {
            return "Ed25519";
        }
        if (Arrays.equals(oid, new byte[] {0x06, 0x03, 0x2b, 0x65, 0x71})) {
            return "Ed448";
        }
        throw new IOException("unsupported private key algorithm (RSA, EC, Ed25519 and Ed448 keys work)");
    }

    /** The algorithm identifier of a SEC1 key: id-ecPublicKey and the curve named in its parameters [0]. */
    private static byte[] namedCurve(byte[] sec1) throws IOException {
        Der key = new Der(sec1).enter(0x30);
        key.skip(0x02); // version 1
        key.skip(0x04); // the private key
        if (!key.hasNext() || key.peek() != 0xa0) {
            throw new IOException("the EC key does not name its curve");
        }
        byte[] curve = key.enter(0xa0).element(0x06);
        return concat(EC_PUBLIC_KEY, curve);
    }

    /** PrivateKeyInfo ::= SEQUENCE { version, SEQUENCE { algorithm identifier }, OCTET STRING key }. */
    private static byte[] wrap(int version, byte[] algorithmIdentifier, byte[] key) {
        return tlv(0x30, concat(tlv(0x02, new byte[] {(byte) version}), tlv(0x30, algorithmIdentifier),
                tlv(0x04, key)));
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
                out.write((n >>> shift) & 0xff);
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A cursor over DER elements, enough for the few fields read above. */
    private static final class Der {
        private final byte[] bytes;
        private int pos;
        private final int end;

        Der(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        private Der(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.pos = from;
            this.end = to;
        }

        boolean hasNext() {
            return pos < end;
        }

        int peek() {
            return bytes[pos] & 0xff;
        }

        /** The children of the next element, which must have {@code tag}. */
        Der enter(int tag) throws IOException {
            int[] bounds = next(tag);
            return new Der(bytes, bounds[1], bounds[2]);
        }

        void skip(int tag) throws IOException {
            next(tag);
        }

        /** The next element whole (tag, length and value). */
        byte[] element(int tag) throws IOException {
            int[] bounds = next(tag);
            return Arrays.copyOfRange(bytes, bounds[0], bounds[2]);
        }

        /** Start of the element, start of its value, end of its value. */
        private int[] next(int tag) throws IOException {
            int start = pos;
            if (pos + 2 > end || (bytes[pos] & 0xff) != tag) {
                throw new IOException("malformed key (unexpected DER structure)");
            }
            int length = bytes[pos + 1] & 0xff;
            int value = pos + 2;
            if (length >= 0x80) {
                int count = length & 0x7f;
                if (count < 1 || count > 4 || value + count > end) {
                    throw new IOException("malformed key (bad DER length)");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (bytes[value + i] & 0xff);
                }
                value += count;
            }
            if (length < 0 || value + length > end) {
                throw new IOException("malformed key (truncated)");
            }
            pos = value + length;
            return new int[] {start, value, pos};
        }
    }
}
