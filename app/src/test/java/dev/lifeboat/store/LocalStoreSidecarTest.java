package dev.lifeboat.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract on a local directory whose file system has no xattrs: metadata in hidden sidecar files. */
class LocalStoreSidecarTest extends ObjectStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ObjectStore newStore() throws IOException {
        return new LocalStore(dir.resolve("store"), false);
    }

    @Override
    protected long largerThanOnePart() {
        return 1024 * 1024 + 3;
    }

    @Test
    void sidecarsAreHiddenAndFollowTheirObject() throws Exception {
        store.put("a/obj", bytes("x"), Map.of(ObjectStore.VERSION_METADATA, "1"));
        assertTrue(Files.isRegularFile(dir.resolve("store/a/.obj.meta.json")));
        assertEquals(List.of("a/obj"), keys(store.list("")));
        store.delete("a/obj");
        assertTrue(Files.notExists(dir.resolve("store/a")));
    }
}
