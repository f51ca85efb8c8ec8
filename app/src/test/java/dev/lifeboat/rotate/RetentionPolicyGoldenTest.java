package dev.lifeboat.rotate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every case of {@link RetentionCases} planned and compared with its golden file in
 * {@code src/test/resources/rotate/golden/<case>.txt}; the invariants are checked for every
 * case. Regenerate the files (then review the diff by eye) with
 * {@code mvn -B -o test -Dtest=RetentionPolicyGoldenTest -Dlifeboat.golden.update=true}.
 */
class RetentionPolicyGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/rotate/golden");

    static List<RetentionCases.Case> cases() {
        return RetentionCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenFile(RetentionCases.Case c) throws IOException {
        String actual = GoldenFormat.render(c, new RetentionPolicy(c.settings()).plan(c.backups(), c.now()));
        Path file = GOLDEN.resolve(c.name() + ".txt");
        if (Boolean.getBoolean("lifeboat.golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        String expected;
        try {
            expected = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AssertionError("no golden file " + file + "; run with -Dlifeboat.golden.update=true and review it", e);
        }
        assertEquals(expected, actual, "plan differs from " + file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void invariantsHold(RetentionCases.Case c) {
        RetentionPlan plan = new RetentionPolicy(c.settings()).plan(c.backups(), c.now());
        checkInvariants(c.backups(), c.settings(), c.now(), plan);
    }

    static void checkInvariants(List<RetentionCandidate> input, RetentionSettings settings, java.time.Instant now, RetentionPlan plan) {
        Set<String> kept = plan.kept().stream().map(d -> d.backup().id()).collect(Collectors.toSet());
        Set<String> removed = plan.removed().stream().map(d -> d.backup().id()).collect(Collectors.toSet());
        Set<String> all = input.stream().map(RetentionCandidate::id).collect(Collectors.toSet());
        assertEquals(input.size(), plan.decisions().size(), "one decision per backup");
        Set<String> union = new HashSet<>(kept);
        union.addAll(removed);
        assertEquals(all, union, "keep + remove = input");
        assertTrue(kept.stream().noneMatch(removed::contains), "keep and remove are disjoint");
        for (RetentionPlan.Decision d : plan.decisions()) {
            if (d.keep()) assertFalse(d.reasons().isEmpty(), "kept without a reason: " + d.backup().id());
            else assertFalse(d.removeCause() == null || d.removeCause().isEmpty(), "removed without a cause: " + d.backup().id());
            if (settings.held(d.backup().tag())) assertTrue(d.keep(), "held backup removed: " + d.backup().id());
        }
        List<RetentionCandidate> newestFirst = input.stream()
                .sorted(java.util.Comparator.comparing(RetentionCandidate::time).thenComparing(RetentionCandidate::id).reversed())
                .toList();
        java.time.Instant cutoff = settings.maxRetention().map(now::minus).orElse(java.time.Instant.MIN);
        for (RetentionCandidate c : newestFirst.subList(0, Math.min(settings.keepLast(), newestFirst.size()))) {
            if (c.time().isAfter(cutoff)) assertTrue(kept.contains(c.id()), "one of the newest keepLast removed: " + c.id());
        }
        List<RetentionCandidate> newestVerified = newestFirst.stream().filter(RetentionCandidate::verified).limit(settings.keepLast()).toList();
        for (RetentionCandidate c : newestVerified) {
            if (c.time().isAfter(cutoff)) assertTrue(kept.contains(c.id()), "one of the newest verified removed: " + c.id());
        }
        List<RetentionPlan.Decision> order = plan.decisions();
        for (int i = 1; i < order.size(); i++) {
            assertFalse(order.get(i).backup().time().isBefore(order.get(i - 1).backup().time()), "decisions are oldest first");
        }
    }
}
