package dev.lifeboat.stage;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ChunkPipeTest {
    private static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    @Test
    void chunksPassFromPipeToPipeWithoutLosingOrReorderingByte() throws Exception {
        byte[] all = data(5 * ChunkPipe.CHUNK + 12345);
        ChunkPipe.Pool pool = new ChunkPipe.Pool(12);
        ChunkPipe first = new ChunkPipe(4, pool);
        ChunkPipe second = new ChunkPipe(4, pool);
        CompletableFuture<Long> producer = CompletableFuture.supplyAsync(() -> {
            try {
                return first.readFrom(new ByteArrayInputStream(all));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        CompletableFuture<byte[]> consumer = CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ChunkPipe.Source in = second.source()) {
                ChunkPipe.Chunk c;
                while ((c = in.next()) != null) out.write(c.bytes(), 0, c.length());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            return out.toByteArray();
        });
        ChunkPipe.Chunk c;
        while ((c = first.take()) != null) second.put(c);
        second.end();
        assertEquals(all.length, producer.get(30, TimeUnit.SECONDS));
        assertArrayEquals(all, consumer.get(30, TimeUnit.SECONDS));
    }

    @Test
    void theStreamViewsReadWhatWasWritten() throws Exception {
        byte[] all = data(300_000);
        ChunkPipe pipe = new ChunkPipe(2);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (var out = pipe.sink()) {
                for (int off = 0; off < all.length; off += 7000) out.write(all, off, Math.min(7000, all.length - off));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        try (InputStream in = pipe.source()) {
            assertArrayEquals(all, in.readAllBytes());
        }
        writer.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aReaderThatStopsNeverBlocksTheProducer() throws Exception {
        ChunkPipe pipe = new ChunkPipe(1);
        ChunkPipe.Source in = pipe.source();
        in.close();
        // far more than the pipe holds: every chunk is dropped, none waits for room
        assertEquals(20L * ChunkPipe.CHUNK, pipe.readFrom(new ByteArrayInputStream(new byte[20 * ChunkPipe.CHUNK])));
    }
}
