package dev.mutagenws.testkit;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code os/user} lookups as Mutagen's Linux release daemon makes them: it is built without cgo, so Go's pure
 * implementation reads {@code /etc/passwd} and {@code /etc/group} of this machine (no NSS, no LDAP). Lookups of
 * the current user (by name or id) are answered from {@code user.Current()} first, like Go does, which also covers
 * a uid that has no passwd entry when {@code $USER} and {@code $HOME} are set.
 */
final class PosixAccounts {
    /** A failed lookup; the message is Go's error text. */
    static final class LookupError extends Exception {
        LookupError(String text) {
            super(text, null, false, false);
        }
    }

    static final PosixAccounts SYSTEM = new PosixAccounts(Path.of("/etc/passwd"), Path.of("/etc/group"));

    private final Path passwd;
    private final Path group;
    private volatile String[] current; // {uid, username}, or {} when Current() fails; computed once like Go's

    PosixAccounts(Path passwd, Path group) {
        this.passwd = passwd;
        this.group = group;
    }

    /** {@code user.Lookup(name)}. */
    String lookupUser(String name) throws LookupError {
        String[] self = current();
        if (self.length == 2 && self[1].equals(name)) {
            return self[0];
        }
        String[] entry = findUser(name, 0);
        if (entry == null) {
            throw new LookupError("user: unknown user " + name);
        }
        return entry[2];
    }

    /** {@code user.LookupId(uid)}. */
    String lookupUserId(String uid) throws LookupError {
        String[] self = current();
        if (self.length == 2 && self[0].equals(uid)) {
            return uid;
        }
        if (!isGoInt(uid)) {
            throw new LookupError("user: invalid userid " + uid);
        }
        if (findUser(uid, 2) == null) {
            throw new LookupError("user: unknown userid " + Long.parseLong(uid)); // Go: strconv.Itoa(i)
        }
        return uid;
    }

    /** {@code user.LookupGroup(name)}. */
    String lookupGroup(String name) throws LookupError {
        String[] entry = findGroup(name, 0);
        if (entry == null) {
            throw new LookupError("group: unknown group " + name);
        }
        return entry[2];
    }

    /** {@code user.LookupGroupId(gid)}: matched as text, like Go's file-based lookup. */
    String lookupGroupId(String gid) throws LookupError {
        if (findGroup(gid, 2) == null) {
            throw new LookupError("group: unknown groupid " + gid);
        }
        return gid;
    }

    /** A passwd row whose field {@code index} is {@code value}: name:pw:uid:gid:gecos:home[:shell]. */
    private String[] findUser(String value, int index) throws LookupError {
        for (String line : lines(passwd)) {
            if (!line.contains((index > 0 ? ":" : "") + value + ":") || colons(line) < 6) {
                continue;
            }
            String[] parts = line.split(":", 7);
            if (parts.length < 6 || !parts[index].equals(value) || parts[0].isEmpty()
                    || parts[0].charAt(0) == '+' || parts[0].charAt(0) == '-') {
                continue;
            }
            if (!isGoInt(parts[2]) || !isGoInt(parts[3])) {
                continue;
            }
            return parts;
        }
        return null;
    }

    /** A group row whose field {@code index} is {@code value}: name:pw:gid:members. */
    private String[] findGroup(String value, int index) throws LookupError {
        for (String line : lines(group)) {
            if (!line.contains((index > 0 ? ":" : "") + value + ":") || colons(line) < 3) {
                continue;
            }
            String[] parts = line.split(":", 4);
            if (parts.length < 4 || parts[0].isEmpty() || !parts[index].equals(value)
                    || parts[0].charAt(0) == '+' || parts[0].charAt(0) == '-') {
                continue;
            }
            if (!isGoInt(parts[2])) {
                continue;
            }
            return parts;
        }
        return null;
    }

    /** Non-blank, non-comment lines, trimmed like glibc (and Go) do. */
    private static List<String> lines(Path file) throws LookupError {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8); // bad bytes never match anyway
        } catch (NoSuchFileException e) {
            throw new LookupError("open " + file + ": no such file or directory");
        } catch (AccessDeniedException e) {
            throw new LookupError("open " + file + ": permission denied");
        } catch (IOException e) {
            throw new LookupError("open " + file + ": " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            line = GoStrings.trimSpace(line); // also drops the '\r' of a CRLF line ending
            if (!line.isEmpty() && line.charAt(0) != '#') {
                out.add(line);
            }
        }
        return out;
    }

    private static int colons(String line) {
        int n = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ':') {
                n++;
            }
        }
        return n;
    }

    /** Whether Go's {@code strconv.Atoi} accepts s (optional sign, decimal digits, 64-bit range). */
    static boolean isGoInt(String s) {
        if (!s.matches("[+-]?[0-9]+")) {
            return false;
        }
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Go's {@code user.Current()} without cgo: the passwd entry of getuid(), else $USER with $HOME. */
    private String[] current() {
        String[] c = current;
        if (c == null) {
            c = computeCurrent();
            current = c;
        }
        return c;
    }

    private String[] computeCurrent() {
        String uid;
        try {
            uid = Long.toString(new UnixSystem().getUid());
        } catch (RuntimeException | LinkageError e) {
            return new String[0];
        }
        try {
            String[] entry = findUser(uid, 2);
            if (entry != null) {
                return new String[] {uid, entry[0]};
            }
        } catch (LookupError ignored) {
            // Falls back to the environment, as Go does.
        }
        String user = System.getenv("USER");
        String home = System.getenv("HOME");
        if (user != null && !user.isEmpty() && home != null && !home.isEmpty()) {
            return new String[] {uid, user};
        }
        return new String[0];
    }
}
