package dev.gridhouse.deploy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM while {@code gridhouse local} runs: a shutdown hook that tells the
 * runner to stop (interrupting it) and then holds the JVM (up to a minute) until the runner has
 * cancelled its jobs, dropped its replication slots and said so. Closing it releases the hook.
 */
final class StopSignal implements AutoCloseable {
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    /** Interrupts the calling thread on a signal, so that it leaves any blocking read. */
    StopSignal() {
        Thread runner = Thread.currentThread();
        hook =
                new Thread(
                        () -> {
                            stopped.countDown();
                            runner.interrupt();
                            try {
                                done.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "gridhouse-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Waits up to {@code millis} for a stop signal; true if one came. */
    boolean await(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    /** True once a stop signal came (the JVM is shutting down). */
    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /**
     * After a stop signal: clears the runner's interrupt so that its clean-up (cancelling jobs,
     * dropping slots) can block again.
     */
    void clearInterrupt() {
        if (isStopped()) {
            Thread.interrupted();
        }
    }

    /**
     * Closes {@code resource}; after a stop signal a failure is ignored (the servers' own shutdown
     * hooks may have stopped them already).
     */
    void close(AutoCloseable resource) throws Exception {
        try {
            resource.close();
        } catch (Exception e) {
            if (!isStopped()) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        done.countDown();
        if (!isStopped()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
    }
}
