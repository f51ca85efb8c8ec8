package dev.lifeboat.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.harness.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What mirror refuses to do, and how it behaves when an object fails. A private server: faults are armed on it. */
class MirrorSafetyTest {
    private static S3Server server;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Map<String, byte[]> small(int n) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) m.put("dir/f" + i + ".bin", MirrorFixture.bytes(i, 100 + i));
        return m;
    }

    @Test
    void aDeletedSourceStaysWithoutRemoveAndIsMovedAsideWithIt() throws Exception {
        MirrorFixture f = new MirrorFixture(server, "remove");
        Map<String, byte[]> objects = small(10);
        f.putAll(objects);
        assertEquals(0, f.mirror().exit());
        for (int i = 0; i < 3; i++) f.deleteLive("dir/f" + i + ".bin");

        MirrorFixture.Run plain = f.mirror("--json");
        assertEquals(0, plain.exit(), plain.err());
        assertEquals(0, plain.count("removed"));
        assertEquals(10, f.copySizes().size(), "without --remove the copies stay");

        MirrorFixture.Run capped = f.mirror("--remove", "--max-delete", "2", "--json");
        assertEquals(1, capped.exit(), "more than --max-delete is refused: " + capped.err());
        assertTrue(capped.err().contains("--max-delete 2"), capped.err());
        assertEquals(10, f.copySizes().size(), "nothing removed when the cap is exceeded");

        MirrorFixture.Run dry = f.mirror("--remove", "--dry-run");
        assertEquals(0, dry.exit(), dry.err());
        assertTrue(dry.out().contains("remove dir/f0.bin"), dry.out());
        assertEquals(10, f.copySizes().size(), "a dry run removes nothing");

        MirrorFixture.Run removing = f.mirror("--remove", "--json");
        assertEquals(0, removing.exit(), removing.err());
        assertEquals(3, removing.count("removed"));
        assertEquals(7, f.copySizes().size());
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        for (int i = 0; i < 3; i++) {
            byte[] kept = f.backupBytes("minio-replaced/" + f.live + "/" + day + "/dir/f" + i + ".bin").orElseThrow();
            assertArrayEquals(objects.get("dir/f" + i + ".bin"), kept, "a removed copy is moved under minio-replaced/");
        }
    }

    @Test
    void nothingIsRemovedWhenTheLiveListingIsEmpty() throws Exception {
        MirrorFixture f = new MirrorFixture(server, "emptied");
        f.putAll(small(5));
        assertEquals(0, f.mirror().exit());
        for (int i = 0; i < 5; i++) f.deleteLive("dir/f" + i + ".bin");
        MirrorFixture.Run run = f.mirror("--remove", "--json");
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.json().get("removal_refused").asText().contains("empty"), run.out());
        assertEquals(5, f.copySizes().size(), "an empty live listing removes nothing");
    }

    @Test
    void anObjectCutMidCopyIsReportedTheRestAreCopiedAndTheNextRunCompletesIt() throws Exception {
        MirrorFixture f = new MirrorFixture(server, "cut");
        Map<String, byte[]> objects = small(20);
        byte[] big = MirrorFixture.bytes(99, 3 * 1024 * 1024);
        objects.put("dir/big.bin", big);
        f.putAll(objects);
        f.deleteLive("dir/f0.bin");
        server.proxy().cutNext(1, 1024 * 1024);
        MirrorFixture.Run broken = f.mirror("--remove", "--json");
        assertEquals(0, server.proxy().faultsPending(), "the cut happened");
        assertEquals(3, broken.exit(), broken.err());
        JsonNode failed = broken.json().get("failed");
        assertEquals(1, failed.size(), broken.out());
        assertEquals("dir/big.bin", failed.get(0).get("key").asText());
        assertTrue(broken.err().contains("dir/big.bin"), broken.err());
        assertEquals(19, broken.count("copied"));
        assertFalse(f.copySizes().containsKey("dir/big.bin"), "a cut copy never becomes an object");

        MirrorFixture.Run next = f.mirror("--json");
        assertEquals(0, next.exit(), next.err());
        assertEquals(1, next.count("copied"));
        assertArrayEquals(big, f.copyBytes("dir/big.bin"));
    }

    @Test
    void errorsInTheRunStopRemovals() throws Exception {
        MirrorFixture f = new MirrorFixture(server, "errstop");
        f.putAll(small(6));
        assertEquals(0, f.mirror().exit());
        f.deleteLive("dir/f1.bin");
        f.put("dir/big.bin", MirrorFixture.bytes(5, 2 * 1024 * 1024));
        server.proxy().cutNext(1, 1024 * 1024);
        MirrorFixture.Run run = f.mirror("--remove", "--json");
        assertEquals(3, run.exit(), run.err());
        assertEquals(0, run.count("removed"));
        assertTrue(run.json().get("removal_refused").asText().contains("errors"), run.out());
        assertTrue(f.copySizes().containsKey("dir/f1.bin"), "no removal in a run with errors");
    }

    @Test
    void dryRunPrefixAndExclude() throws Exception {
        MirrorFixture f = new MirrorFixture(server, "scope");
        Map<String, byte[]> objects = new LinkedHashMap<>();
        objects.put("keep/a.txt", new byte[] {1});
        objects.put("keep/tmp/b.txt", new byte[] {2});
        objects.put("other/c.txt", new byte[] {3});
        f.putAll(objects);
        server.proxy().clearRequests();
        MirrorFixture.Run dry = f.mirror("--dry-run", "--prefix", "keep/", "--exclude", "keep/tmp/**");
        assertEquals(0, dry.exit(), dry.err());
        assertEquals(List.of("copy keep/a.txt"), dry.out().lines().toList());
        assertEquals(0, server.proxy().count("PUT", "/") + server.proxy().count("DELETE", "/") + server.proxy().count("POST", "/"),
                "a dry run writes nothing");
        MirrorFixture.Run real = f.mirror("--prefix", "keep/", "--exclude", "keep/tmp/**", "--json");
        assertEquals(0, real.exit(), real.err());
        assertEquals(1, real.count("copied"));
        assertEquals(1, real.count("excluded"));
        assertEquals(List.of("keep/a.txt"), List.copyOf(f.copySizes().keySet()));
    }

    @Test
    void aDamagedIndexIsRebuiltFromTheCopiesMetadata() throws Exception {
        MirrorFixture f = new MirrorFixture(server, "damaged");
        f.putAll(small(5));
        assertEquals(0, f.mirror().exit());
        f.writeBackup(MirrorKeys.indexKey(f.live), "garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        server.proxy().clearRequests();
        MirrorFixture.Run run = f.mirror("--json");
        assertEquals(0, run.exit(), run.err());
        assertEquals(0, run.count("copied"), "the copies are recognised by their metadata");
        assertEquals(5, server.proxy().count("HEAD", "/" + f.backup + "/minio/"));
        byte[] index = f.backupBytes(MirrorKeys.indexKey(f.live)).orElseThrow();
        assertEquals(5, MirrorIndex.decode(index, f.live).size(), "the index is written again, whole");
    }

    @Test
    void configErrorsExitTwoAndNameTheVariable() throws Exception {
        MirrorFixture f = new MirrorFixture(server, "config");
        Map<String, String> env = new LinkedHashMap<>(f.env);
        env.remove("MINIO_BUCKET");
        MirrorFixture.Run run = MirrorFixture.run(env);
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("MINIO_BUCKET"), run.err());
        env.putAll(f.env);
        env.put("MINIO_SECRET_KEY", "wrong-secret-value");
        run = MirrorFixture.run(env);
        assertEquals(2, run.exit(), run.err());
        assertFalse(run.err().contains("wrong-secret-value"), run.err());
    }
}
