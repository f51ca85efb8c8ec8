package dev.lifeboat.verify;

import java.util.List;

/**
 * {@code <stem>.verified.json} ({@code lifeboat-verified/1}): written beside the manifest after a
 * full verification in which every layer of the backup held; rotate counts such a backup as
 * verified. {@code by} is the command that wrote it ({@code verify}; drill writes its own).
 */
public record VerifiedRecord(String format, String key, String level, String verifiedAt, String by, List<Check> checks,
                             String lifeboatVersion) {
    public static final String FORMAT = "lifeboat-verified/1";
}
