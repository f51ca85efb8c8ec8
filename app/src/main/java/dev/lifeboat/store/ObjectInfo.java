package dev.lifeboat.store;

import java.time.Instant;
import java.util.Map;

/** One stored object. {@code etag} may be null (local store); {@code metadata} is empty in listings. */
public record ObjectInfo(String key, long size, Instant lastModified, String etag, Map<String, String> metadata) {
    public ObjectInfo {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public boolean writtenByLifeboat() {
        return metadata.containsKey(ObjectStore.VERSION_METADATA);
    }
}
