package dev.mutagenws.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/** Where the generated token is kept: a file only the user can read (0600 in a 0700 directory). */
final class TokenFile {
    private TokenFile() {
    }

    /** {@code $XDG_RUNTIME_DIR/mutagen-ws/token}, else {@code ~/.mutagen-ws/token}. */
    static Path defaultPath(Map<String, String> environment, Path home) {
        String runtime = environment.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, "mutagen-ws", "token");
        }
        return home.resolve(".mutagen-ws").resolve("token");
    }

    /** Writes the token atomically; the file is never readable by others, not even for a moment. */
    static void write(Path file, String token) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(Files.exists(dir) ? dir : existingAncestor(dir))
                .supportsFileAttributeView(PosixFileAttributeView.class);
        if (posix) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                throw new IOException(dir + " exists and is not a directory", e);
            }
            Path temp = Files.createTempFile(dir, ".token", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temp, token + "\n", StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } else {
            Files.createDirectories(dir);
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        }
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    private static Path existingAncestor(Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? Path.of("/") : p;
    }
}
