package dev.lifeboat.stage;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The compressor of a backup, chosen by {@code BACKUP_COMPRESSION}; the object key's suffix
 * names it ({@code .gz}, {@code .zst}, nothing), and readers pick the decoder from the suffix.
 */
public enum Compression {
    GZIP(".gz", 6, 1, 9),
    ZSTD(".zst", 3, 1, 19),
    NONE("", 0, 0, 0);

    static final int ZSTD_JOB_SIZE = 4 << 20;

    public final String suffix;
    public final int defaultLevel;
    private final int minLevel;
    private final int maxLevel;

    Compression(String suffix, int defaultLevel, int minLevel, int maxLevel) {
        this.suffix = suffix;
        this.defaultLevel = defaultLevel;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
    }

    /** The level from {@code BACKUP_COMPRESSION_LEVEL}, or this compressor's default. */
    public int level(Env env) {
        if (this == NONE) return 0;
        return env.integer("BACKUP_COMPRESSION_LEVEL", defaultLevel, minLevel, maxLevel);
    }

    public static Compression fromEnv(Env env) {
        return valueOf(env.choice("BACKUP_COMPRESSION", "gzip", "gzip", "zstd", "none").toUpperCase());
    }

    /** The compressor named by a key's suffix (an outer {@code .gpg} ignored). */
    public static Compression fromKey(String key) {
        String k = key.endsWith(".gpg") ? key.substring(0, key.length() - 4) : key;
        if (k.endsWith(".gz")) return GZIP;
        if (k.endsWith(".zst")) return ZSTD;
        return NONE;
    }

    /**
     * Wraps {@code out}; closing the result finishes the stream (trailer written) and closes
     * {@code out}. {@code workers} is how many threads may compress at once; gzip with more
     * than one worker writes multi-member gzip ({@link ParallelGzipOutputStream}).
     */
    public OutputStream compress(OutputStream out, int level, int workers) throws IOException {
        switch (this) {
            case GZIP:
                if (workers > 1) return new ParallelGzipOutputStream(out, level, workers);
                return new GZIPOutputStream(out, 64 * 1024) {
                    { def.setLevel(level); }
                };
            case ZSTD:
                ZstdOutputStream z = new ZstdOutputStream(out, level);
                if (workers > 1) {
                    z.setWorkers(workers);
                    // zstd's default job at level 3 is 8 MiB, with several jobs' input and output buffered
                    // natively; 4 MiB jobs compress as well and as fast here with ~30 MiB less memory
                    z.setJobSize(ZSTD_JOB_SIZE);
                }
                return z;
            default:
                return out;
        }
    }

    /** Wraps {@code in}; a multi-member gzip stream is decoded to its very end. */
    public InputStream decompress(InputStream in) throws IOException {
        switch (this) {
            case GZIP:
                return GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
            case ZSTD:
                return new ZstdInputStream(in);
            default:
                return in;
        }
    }

    public static LifeboatException unknown(String what) {
        return LifeboatException.config("unknown compression " + what);
    }
}
