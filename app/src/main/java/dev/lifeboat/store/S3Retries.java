package dev.lifeboat.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How lifeboat's own requests ({@link S3Requests}, {@link S3Listing}) are retried, as the SDK's
 * standard strategy would retry them: 5xx (but 501), 429, SlowDown and the other throttling codes,
 * and broken connections, with jittered backoff, up to {@link S3Clients#MAX_ATTEMPTS} attempts;
 * any other refusal is final.
 */
final class S3Retries {
    private S3Retries() {}

    /** One attempt of a request; {@link #retrying} repeats it. */
    @FunctionalInterface
    interface Attempt<T> {
        T run() throws IOException;
    }

    private static final Set<String> RETRIED_CODES = Set.of("SlowDown", "InternalError", "ServiceUnavailable",
            "RequestTimeout", "Throttling", "ThrottlingException");

    /** Runs {@code attempt} until it succeeds, is refused for good, or has failed {@link S3Clients#MAX_ATTEMPTS} times. */
    static <T> T retrying(Attempt<T> attempt) throws IOException {
        return retrying(true, attempt);
    }

    /** {@link #retrying(Attempt)}; {@code broken}: whether a broken connection or a timeout is retried too. */
    static <T> T retrying(boolean broken, Attempt<T> attempt) throws IOException {
        for (int n = 1; ; n++) {
            if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("request interrupted");
            try {
                return attempt.run();
            } catch (S3Requests.Refused e) {
                if (!retried(e) || n >= S3Clients.MAX_ATTEMPTS) throw e;
            } catch (IOException e) {
                boolean interrupted = e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException);
                if (!broken || interrupted || n >= S3Clients.MAX_ATTEMPTS) throw e;
            }
            backOff(n);
        }
    }

    /** Whether a refusal may pass if asked again: 5xx but 501 (Not Implemented, which is an answer), 429, the throttling codes. */
    private static boolean retried(S3Requests.Refused e) {
        return e.status() >= 500 && e.status() != 501 || e.status() == 429 || RETRIED_CODES.contains(e.code());
    }

    /** A pause drawn from [c/2, c] for c = 100 ms × 2^(attempt-1), at most 5 s. */
    private static void backOff(int attempt) throws InterruptedIOException {
        long ceiling = Math.min(5_000, 100L << Math.min(attempt - 1, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("request interrupted");
        }
    }
}
