package dev.mutagenws.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The row rules of Go's file-based os/user lookups, on files other than this machine's. */
class PosixAccountsTest {
    @TempDir
    Path dir;

    @Test
    void rowsAreMatchedTheWayGoReadsPasswdAndGroup() throws Exception {
        Path passwd = dir.resolve("passwd");
        Path group = dir.resolve("group");
        Files.writeString(passwd, String.join("\n",
                "# comment:x:1:1::/:/bin/sh",
                "   alice:x:1001:1001:Alice,,,:/home/alice:/bin/bash   ",
                "+nis:x:1002:1002::/:/bin/sh",
                "-gone:x:1003:1003::/:/bin/sh",
                "short:x:71004:71004",
                "badid:x:abc:1005::/:/bin/sh",
                "crlf:x:1006:1006::/:/bin/sh\r",
                ""));
        Files.writeString(group, String.join("\n", "staff:x:50:alice", "+nisgroup:x:51:", "badgid:x:x52:",
                "devs:x:53"));
        PosixAccounts accounts = new PosixAccounts(passwd, group);

        assertThat(accounts.lookupUser("alice")).isEqualTo("1001");
        assertThat(accounts.lookupUserId("1001")).isEqualTo("1001");
        assertThat(accounts.lookupUser("crlf")).isEqualTo("1006");
        assertThat(accounts.lookupGroup("staff")).isEqualTo("50");
        assertThat(accounts.lookupGroupId("50")).isEqualTo("50");
        for (String name : new String[] {"nis", "+nis", "gone", "short", "badid", "comment", "# comment"}) {
            assertThatThrownBy(() -> accounts.lookupUser(name)).hasMessage("user: unknown user " + name);
        }
        assertThatThrownBy(() -> accounts.lookupUserId("71004")).hasMessage("user: unknown userid 71004");
        assertThatThrownBy(() -> accounts.lookupUserId("18446744073709551616"))
                .hasMessage("user: invalid userid 18446744073709551616");
        for (String name : new String[] {"nisgroup", "badgid", "devs"}) {
            assertThatThrownBy(() -> accounts.lookupGroup(name)).hasMessage("group: unknown group " + name);
        }
        assertThatThrownBy(() -> accounts.lookupGroupId("53")).hasMessage("group: unknown groupid 53");
    }

    @Test
    void aMissingFileIsGosOpenError() {
        PosixAccounts accounts = new PosixAccounts(dir.resolve("none"), dir.resolve("nogroup"));
        assertThatThrownBy(() -> accounts.lookupGroup("staff"))
                .hasMessage("open " + dir.resolve("nogroup") + ": no such file or directory");
    }
}
