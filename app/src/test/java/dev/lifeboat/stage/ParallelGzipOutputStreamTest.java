package dev.lifeboat.stage;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelGzipOutputStreamTest {
    @TempDir
    Path dir;

    @Test
    void emptyInputIsAValidEmptyGzipFile() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ParallelGzipOutputStream(out, 6, 2).close();
        assertTrue(out.size() > 0, "an empty gzip still has a header and trailer");
        assertArrayEquals(new byte[0], readAll(out.toByteArray()));
        Path gz = Files.write(dir.resolve("empty.gz"), out.toByteArray());
        assertEquals(0, run(gz, "gzip", "-t").exitCode);
        assertEquals(0, run(gz, "gunzip", "-c").bytes);
    }

    @Test
    void singleByteWritesAcrossManyBlocks() throws Exception {
        byte[] data = input(new Random(1), 20_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new ParallelGzipOutputStream(out, 6, 2, 1024)) {
            for (byte b : data) gz.write(b);
        }
        assertArrayEquals(data, readAll(out.toByteArray()));
    }

    @Test
    void largeSeededInputRoundTripsThroughCommonsCompressAndGunzip() throws Exception {
        Path gz = dir.resolve("big.gz");
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        long total = 0;
        try (OutputStream out = new ParallelGzipOutputStream(Files.newOutputStream(gz), 6, 2)) {
            while (total < 50L << 20) {
                byte[] chunk = input(random, 1 + random.nextInt(300_000));
                out.write(chunk);
                written.update(chunk);
                total += chunk.length;
            }
        }
        String expected = HexFormat.of().formatHex(written.digest());

        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long readBytes = 0;
        try (InputStream in = Compression.GZIP.decompress(Files.newInputStream(gz))) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                read.update(buf, 0, n);
                readBytes += n;
            }
        }
        assertEquals(total, readBytes);
        assertEquals(expected, HexFormat.of().formatHex(read.digest()));

        assertEquals(0, run(gz, "gzip", "-t").exitCode);
        Result gunzip = run(gz, "gunzip", "-c");
        assertEquals(0, gunzip.exitCode);
        assertEquals(total, gunzip.bytes);
        assertEquals(expected, gunzip.sha256);

        // it really is multi-member: a reader that stops after the first member sees one block only
        try (InputStream first = GzipCompressorInputStream.builder().setInputStream(Files.newInputStream(gz))
                .setDecompressConcatenated(false).get()) {
            assertEquals(ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE, first.readAllBytes().length);
        }
    }

    @Test
    void zlibAndLibdeflateBlocksBothDecodeToTheInput() throws Exception {
        java.util.Optional<LibDeflate> lib = LibDeflate.load();
        org.junit.jupiter.api.Assumptions.assumeTrue(lib.isPresent(), "libdeflate is not installed here");
        byte[] data = new byte[5 * 65536 + 777];
        Random random = new Random(5);
        for (int off = 0; off < data.length; ) {
            byte[] chunk = input(random, Math.min(data.length - off, 20_000));
            System.arraycopy(chunk, 0, data, off, chunk.length);
            off += chunk.length;
        }
        for (LibDeflate backend : new LibDeflate[] {null, lib.get()}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream gz = new ParallelGzipOutputStream(out, 6, 2, 65536, backend)) {
                gz.write(data);
            }
            String which = backend == null ? "zlib" : "libdeflate";
            assertArrayEquals(data, readAll(out.toByteArray()), which);
            Path file = Files.write(dir.resolve(which + ".gz"), out.toByteArray());
            assertEquals(0, run(file, "gzip", "-t").exitCode, which);
            assertEquals(data.length, run(file, "gunzip", "-c").bytes, which);
            assertTrue(out.size() < data.length * 3 / 4, which + " compressed " + data.length + " to " + out.size());
        }
        assertNoWorkerThreads();
    }

    @Test
    void closingTwiceClosesDownstreamOnce() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream downstream = new FilterOutputStream(sink) {
            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };
        ParallelGzipOutputStream gz = new ParallelGzipOutputStream(downstream, 6, 2);
        gz.write("hello".getBytes());
        gz.close();
        assertDoesNotThrow(gz::close);
        assertEquals(1, closes.get());
        assertEquals("hello", new String(readAll(sink.toByteArray())));
        assertThrows(IOException.class, () -> gz.write(1));
    }

    @Test
    void downstreamFailurePropagatesAndStopsTheWorkers() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        OutputStream broken = new OutputStream() {
            long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 100_000) throw new IOException("disk full");
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };
        ParallelGzipOutputStream gz = new ParallelGzipOutputStream(broken, 1, 2, 64 * 1024);
        Random random = new Random(7);
        IOException thrown = assertThrows(IOException.class, () -> {
            try (gz) {
                for (int i = 0; i < 1000; i++) gz.write(input(random, 64 * 1024));
            }
        });
        assertEquals("disk full", thrown.getMessage());
        assertEquals(1, closes.get());
        IOException again = assertThrows(IOException.class, () -> gz.write(1));
        assertEquals("disk full", again.getMessage());
        assertNoWorkerThreads();
    }

    @Test
    void noThreadOutlivesClose() throws Exception {
        try (OutputStream gz = new ParallelGzipOutputStream(OutputStream.nullOutputStream(), 6, 2, 4096)) {
            gz.write(input(new Random(3), 100_000));
        }
        assertNoWorkerThreads();
    }

    /** Not an assertion: prints the throughput of both gzip writers on this machine. */
    @Test
    void throughput() throws Exception {
        byte[] data = new byte[64 << 20];
        Random random = new Random(11);
        for (int off = 0; off < data.length; ) {
            byte[] chunk = input(random, Math.min(data.length - off, 1 << 16));
            System.arraycopy(chunk, 0, data, off, chunk.length);
            off += chunk.length;
        }
        LibDeflate lib = LibDeflate.load().orElse(null);
        for (int variant = 0; variant < 4; variant++) {
            long start = System.nanoTime();
            OutputStream out = switch (variant) {
                case 0 -> new GZIPOutputStream(OutputStream.nullOutputStream(), 1 << 16);
                case 1 -> new ParallelGzipOutputStream(OutputStream.nullOutputStream(), 6, 2, 1 << 20, null);
                case 2 -> lib == null ? null : new ParallelGzipOutputStream(OutputStream.nullOutputStream(), 6, 1, 1 << 20, lib);
                default -> lib == null ? null : new ParallelGzipOutputStream(OutputStream.nullOutputStream(), 6, 2, 1 << 20, lib);
            };
            if (out == null) continue;
            try (out) {
                out.write(data);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String[] names = {"GZIPOutputStream", "zlib, 2 workers", "libdeflate, 1 worker", "libdeflate, 2 workers"};
            System.out.printf("gzip level 6, %s: %.1f MB/s%n", names[variant], data.length / 1e6 / seconds);
        }
    }

    private static void assertNoWorkerThreads() {
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("lifeboat-gzip-") && t.isAlive()), "gzip worker threads left running");
    }

    /** Half random, half repetitive text-like bytes: compressible, but not trivially. */
    static byte[] input(Random random, int size) {
        byte[] b = new byte[size];
        if (random.nextBoolean()) {
            random.nextBytes(b);
        } else {
            String words = "insert into film values (" + random.nextInt(1000) + ", 'ACADEMY DINOSAUR', 2006);\n";
            for (int i = 0; i < size; i++) b[i] = (byte) words.charAt(i % words.length());
        }
        return b;
    }

    private static byte[] readAll(byte[] gz) throws IOException {
        try (InputStream in = Compression.GZIP.decompress(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private record Result(int exitCode, long bytes, String sha256) {
    }

    private static Result run(Path input, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectInput(input.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long bytes = 0;
        try (InputStream in = p.getInputStream()) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
                bytes += n;
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Result(p.exitValue(), bytes, HexFormat.of().formatHex(digest.digest()));
    }
}
