package dev.lifeboat.stage;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.util.Optional;

/**
 * The system's libdeflate (libdeflate.so.0, Debian/Ubuntu package {@code libdeflate0}) through
 * JNA: whole-buffer gzip compression, several times faster than zlib at the same level and
 * writing a standard gzip member. {@link #load()} is empty when the library (or JNA's native
 * part) is missing; callers then use {@link java.util.zip.Deflater}.
 */
public final class LibDeflate {
    /** The C functions used (libdeflate.h); size_t is 64 bits on the platforms this is used on. */
    interface Api extends Library {
        Pointer libdeflate_alloc_compressor(int level);

        long libdeflate_gzip_compress(Pointer compressor, byte[] in, long inBytes, byte[] out, long outAvail);

        long libdeflate_gzip_compress_bound(Pointer compressor, long inBytes);

        void libdeflate_free_compressor(Pointer compressor);
    }

    private final Api api;

    private LibDeflate(Api api) {
        this.api = api;
    }

    /** The library, or empty when it cannot be loaded here (or {@code LIFEBOAT_LIBDEFLATE=off}). */
    public static Optional<LibDeflate> load() {
        if ("off".equals(System.getenv("LIFEBOAT_LIBDEFLATE"))) return Optional.empty();
        try {
            if (Native.SIZE_T_SIZE != 8) return Optional.empty();
            return Optional.of(new LibDeflate(Native.load("deflate", Api.class)));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A compressor at {@code level} (1..12; 6 is gzip's default); not thread-safe, {@link Compressor#close()} frees it. */
    public Compressor compressor(int level) {
        Pointer p = api.libdeflate_alloc_compressor(level);
        if (p == null) throw new IllegalStateException("libdeflate could not allocate a compressor at level " + level);
        return new Compressor(p);
    }

    public final class Compressor implements AutoCloseable {
        private Pointer handle;

        private Compressor(Pointer handle) {
            this.handle = handle;
        }

        /** The most bytes one gzip member of {@code length} input bytes can take. */
        public int bound(int length) {
            return (int) Math.min(Integer.MAX_VALUE - 16, api.libdeflate_gzip_compress_bound(handle, length));
        }

        /** Compresses {@code in[0, length)} into one gzip member at the start of {@code out}; returns its length. */
        public int gzip(byte[] in, int length, byte[] out) {
            long n = api.libdeflate_gzip_compress(handle, in, length, out, out.length);
            if (n <= 0) throw new IllegalStateException("libdeflate: " + out.length + " bytes are too few for the member");
            return (int) n;
        }

        @Override
        public void close() {
            if (handle != null) api.libdeflate_free_compressor(handle);
            handle = null;
        }
    }
}
