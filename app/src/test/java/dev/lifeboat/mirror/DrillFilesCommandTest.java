package dev.lifeboat.mirror;

import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.S3Server;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `lifeboat drill --files`: the live bucket against its copy, exit 1 when something is missing or differs. */
class DrillFilesCommandTest {
    @Test
    void passesWhenTheCopyMatchesAndNamesWhatIsMissingOrDiffers() throws Exception {
        MirrorFixture f = new MirrorFixture(S3Server.shared(), "drillfiles");
        for (int i = 0; i < 5; i++) f.put("receipts/r" + i + ".pdf", MirrorFixture.bytes(i, 128));
        assertEquals(0, f.mirror().exit());

        Lifeboat.Result ok = Lifeboat.run(f.env, "drill", "--files", "--grace", "0s");
        assertEquals(0, ok.exit(), ok.out() + "|" + ok.err());
        assertTrue(ok.out().contains("5 live objects") && ok.out().contains(": ok"), ok.out());

        f.put("receipts/r1.pdf", MirrorFixture.bytes(99, 128));
        f.put("receipts/new.pdf", MirrorFixture.bytes(7, 16));
        Lifeboat.Result recent = Lifeboat.run(f.env, "drill", "--files");
        assertEquals(0, recent.exit(), "changes within the default 2h grace are not judged: " + recent.out());
        Lifeboat.Result bad = Lifeboat.run(f.env, "drill", "--files", "--grace", "0s");
        assertEquals(1, bad.exit(), bad.out() + bad.err());
        assertTrue(bad.err().contains("1 missing") && bad.err().contains("1 differing"), bad.err());
    }
}
