package dev.lifeboat.store;

import java.time.Instant;

/** An upload that was started and never completed: an S3 multipart upload, or a local temporary file. */
public record Unfinished(String key, String uploadId, Instant started) {}
