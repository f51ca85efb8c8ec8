package dev.lifeboat.store;

/**
 * How a multipart upload holds its parts: {@code buffers} part buffers (one being filled, the
 * others uploading), each keeping at most {@code memoryPerBuffer} bytes in the heap and the rest
 * of its part in a temporary file. The heap the parts take, {@code buffers * memoryPerBuffer},
 * stays within a quarter of the heap and no more than {@link #MAX_MEMORY}, whatever the part
 * size: a multi-terabyte object's parts of hundreds of MiB are spooled to disk instead.
 */
record PartPlan(long partSize, int buffers, long memoryPerBuffer) {
    /** The most heap all part buffers of one upload take together. */
    static final long MAX_MEMORY = 32L << 20;

    /** The plan for parts of {@code partSize} bytes in a JVM whose heap is at most {@code maxHeap} bytes. */
    static final long MIB = 1L << 20;
    static final long MIN_PART = 8 * MIB;
    static final long MAX_PART = 5L * 1024 * MIB;
    /** What an upload of unknown size is prepared for. */
    static final long UNKNOWN_SIZE = 5L << 40;

    /**
     * The multipart part size for an object of about {@code sizeHint} bytes (-1: unknown): whole
     * MiB, at least 8 MiB, and large enough that 1.5 times the hint fits in 9,000 parts (equal
     * parts, under S3's 10,000 even for a multi-terabyte dump).
     */
    static long partSize(long sizeHint) {
        double raw = sizeHint < 0 ? UNKNOWN_SIZE / 9000.0 : sizeHint * 1.5 / 9000.0;
        long mib = (long) Math.ceil(raw / MIB);
        return Math.min(MAX_PART, Math.max(MIN_PART, mib * MIB));
    }

    static PartPlan of(long partSize, long maxHeap) {
        long budget = Math.max(2L * PartBuffer.BLOCK, Math.min(MAX_MEMORY, maxHeap / 4));
        long fit = budget / partSize;
        if (fit >= 2) {
            int buffers = (int) Math.min(4, fit);
            return new PartPlan(partSize, buffers, partSize);
        }
        int buffers = 3;
        long perBuffer = Math.max(PartBuffer.BLOCK, budget / buffers / PartBuffer.BLOCK * PartBuffer.BLOCK);
        return new PartPlan(partSize, buffers, perBuffer);
    }

    /** Parts uploading while the next one is filled. */
    int inFlight() {
        return buffers - 1;
    }

    boolean spooled() {
        return memoryPerBuffer < partSize;
    }

    /** The most heap the part buffers take together. */
    long memoryBytes() {
        long perBuffer = (memoryPerBuffer + PartBuffer.BLOCK - 1) / PartBuffer.BLOCK * PartBuffer.BLOCK;
        return buffers * perBuffer;
    }
}
