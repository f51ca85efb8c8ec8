package dev.lifeboat.mirror;

import java.time.Instant;

/** One object of the live bucket as a listing shows it; {@code etag} without quotes. */
public record LiveObject(String key, long size, String etag, Instant lastModified) {}
