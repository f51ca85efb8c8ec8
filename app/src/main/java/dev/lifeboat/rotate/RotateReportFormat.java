package dev.lifeboat.rotate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Renders a {@link RotateReport}: a table for people (the plan, key by key) or one JSON document for scripts. */
public final class RotateReportFormat {
    private RotateReportFormat() {}

    public static void table(RotateReport r, PrintStream out) {
        out.printf("rotate %s in %s at %s%s%n", r.source(), r.store(), r.now(), r.dryRun() ? " (dry run: nothing is deleted)" : "");
        out.printf("policy: %s%n", r.policy());
        int width = Math.max(3, r.backups().stream().mapToInt(b -> b.key().length()).max().orElse(3));
        out.printf("%-" + width + "s  %-20s  %-6s  %s%n", "KEY", "TIME", "ACTION", "REASONS");
        for (RotateReport.Row b : r.backups()) {
            out.printf("%-" + width + "s  %-20s  %-6s  %s%n", b.key(), b.time(), b.keep() ? "keep" : "remove", String.join(", ", b.reasons()));
        }
        out.printf("backups: %d kept, %d to remove%n", r.keptCount(), r.removedCount());
        list(out, "own incomplete leftovers (older than 24h)", r.leftovers());
        list(out, "unfinished uploads to abort", r.unfinishedUploads());
        list(out, "expired copies under minio-replaced/", r.expiredReplaced());
        for (String refusal : r.refusals()) out.printf("%s: %s%n", r.forced() ? "overridden by --force" : "REFUSED", refusal);
        if (r.applied()) out.printf("deleted %d objects%n", r.deleted().size());
        for (Map.Entry<String, String> f : r.failed().entrySet()) out.printf("FAILED to delete %s: %s%n", f.getKey(), f.getValue());
        out.flush();
    }

    private static void list(PrintStream out, String heading, List<String> keys) {
        if (keys.isEmpty()) return;
        out.printf("%s: %d%n", heading, keys.size());
        for (String k : keys) out.printf("  %s%n", k);
    }

    public static String json(RotateReport r) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("command", "rotate");
        root.put("source", r.source());
        root.put("store", r.store());
        root.put("now", r.now().toString());
        root.put("dryRun", r.dryRun());
        root.put("forced", r.forced());
        root.put("policy", r.policy());
        root.put("applied", r.applied());
        strings(root.putArray("refusals"), r.refusals());
        ArrayNode backups = root.putArray("backups");
        for (RotateReport.Row b : r.backups()) {
            ObjectNode n = backups.addObject();
            n.put("kind", b.kind());
            n.put("key", b.key());
            n.put("time", b.time().toString());
            if (b.tag() == null) n.putNull("tag");
            else n.put("tag", b.tag());
            n.put("verified", b.verified());
            n.put("objects", b.objects());
            n.put("bytes", b.bytes());
            n.put("action", b.keep() ? "keep" : "remove");
            strings(n.putArray("reasons"), b.reasons());
        }
        root.put("kept", r.keptCount());
        root.put("removed", r.removedCount());
        strings(root.putArray("leftovers"), r.leftovers());
        strings(root.putArray("unfinishedUploads"), r.unfinishedUploads());
        strings(root.putArray("expiredReplaced"), r.expiredReplaced());
        strings(root.putArray("deleted"), r.deleted());
        ObjectNode failed = root.putObject("failed");
        r.failed().forEach(failed::put);
        try {
            return mapper.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
