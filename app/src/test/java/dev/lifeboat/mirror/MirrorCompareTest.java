package dev.lifeboat.mirror;

import dev.lifeboat.harness.S3Server;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.ObjectStores;
import dev.lifeboat.config.Env;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparison behind {@code drill --files}. */
class MirrorCompareTest {
    @Test
    void reportsMissingAndDifferingObjectsOutsideTheGracePeriod() throws Exception {
        MirrorFixture f = new MirrorFixture(S3Server.shared(), "compare");
        for (int i = 0; i < 8; i++) f.put("docs/d" + i + ".txt", MirrorFixture.bytes(i, 64));
        assertEquals(0, f.mirror().exit());
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(3)), ZoneOffset.UTC);
        Env env = Env.of(f.env);
        try (ObjectStore store = ObjectStores.fromEnv(env); LiveBucket live = f.liveBucket()) {
            CompareReport clean = MirrorCompare.run(store, live, KeyGlob.none(), Duration.ofHours(2), later);
            assertTrue(clean.ok(), clean.summary());
            assertEquals(8, clean.liveObjects());

            f.put("docs/d1.txt", MirrorFixture.bytes(100, 64));
            f.deleteBackup(MirrorKeys.copyKey(f.live, "docs/d2.txt"));
            f.put("docs/new.txt", new byte[] {1, 2, 3});
            CompareReport bad = MirrorCompare.run(store, live, KeyGlob.none(), Duration.ofHours(2), later);
            assertFalse(bad.ok());
            assertEquals(List.of("docs/d2.txt", "docs/new.txt"), bad.missing());
            assertEquals(1, bad.differing().size());
            assertEquals("docs/d1.txt", bad.differing().get(0).key());

            CompareReport now = MirrorCompare.run(store, live, KeyGlob.none(), Duration.ofHours(2), Clock.systemUTC());
            assertTrue(now.ok(), "everything changed within the grace period is not judged: " + now.summary());
            assertEquals(9, now.recent());

            CompareReport viaEnv = MirrorCompare.run(env, store, Duration.ofHours(2), later);
            assertEquals(bad.missing(), viaEnv.missing());
        }
    }
}
