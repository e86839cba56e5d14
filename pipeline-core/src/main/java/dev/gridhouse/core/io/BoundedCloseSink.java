package dev.gridhouse.core.io;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Sink V2 wrapper whose writer's {@code close()} returns within a bounded time.
 *
 * <p>Why: in Fluss 0.9.1 the sink writer closes its connection gracefully, and the connection waits
 * without a limit for every pending write ({@code WriterClient.close(Long.MAX_VALUE)}; the writer
 * retries forever by default). While the Fluss servers are unreachable a failover's task
 * cancellation therefore hangs in the sink's close — Flink does not interrupt a task during that
 * clean-up, and after {@code task.cancellation.timeout} it kills the TaskManager
 * (apache/fluss#3809, fixed after 0.9.1 by closing the connection with a zero timeout on failover).
 *
 * <p>What: {@code close()} runs the wrapped writer's close on its own thread and waits at most
 * {@code closeTimeout}. If that is not enough it logs a warning and interrupts the closing thread —
 * in Fluss 0.9.1 that makes the writer client shut its sender down and force-close, abandoning the
 * unsent records — waits a little more, and returns. Nothing acknowledged is lost: a checkpoint
 * (and the end of input) flushes the writer first, so the abandoned records are newer than the last
 * checkpoint and are replayed after the restore. A close that finishes in time behaves exactly like
 * the wrapped one, exceptions included. Writing, flushing, watermarks and the pre-write topology
 * are the wrapped sink's.
 *
 * @param <T> the record type
 */
public final class BoundedCloseSink<T> implements Sink<T>, SupportsPreWriteTopology<T> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BoundedCloseSink.class);

    /** How long to wait after interrupting a close that ran out of time. */
    static final Duration AFTER_INTERRUPT = Duration.ofSeconds(5);

    /** Closes in this JVM that ran out of time (for tests and diagnostics). */
    private static final AtomicLong TIMED_OUT_CLOSES = new AtomicLong();

    private final Sink<T> delegate;
    private final Duration closeTimeout;
    private final String name;

    /**
     * @param delegate the sink whose writers are wrapped (its writers must be plain {@link
     *     SinkWriter}s: no committer, no writer state)
     * @param closeTimeout how long a writer's close may take before it is interrupted
     * @param name what the writer writes (e.g. the table), for the log
     */
    public BoundedCloseSink(Sink<T> delegate, Duration closeTimeout, String name) {
        if (closeTimeout.isNegative() || closeTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "The writer close timeout must be positive, was " + closeTimeout);
        }
        this.delegate = delegate;
        this.closeTimeout = closeTimeout;
        this.name = name;
    }

    /** How many writer closes in this JVM ran out of time and were interrupted. */
    public static long timedOutCloses() {
        return TIMED_OUT_CLOSES.get();
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        return new Writer<>(delegate.createWriter(context), closeTimeout, name);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer<>(delegate.createWriter(context), closeTimeout, name);
    }

    @Override
    @SuppressWarnings("unchecked")
    public DataStream<T> addPreWriteTopology(DataStream<T> input) {
        return delegate instanceof SupportsPreWriteTopology
                ? ((SupportsPreWriteTopology<T>) delegate).addPreWriteTopology(input)
                : input;
    }

    /** The wrapped writer with a bounded close. */
    static final class Writer<T> implements SinkWriter<T> {
        private final SinkWriter<T> delegate;
        private final Duration closeTimeout;
        private final String name;

        Writer(SinkWriter<T> delegate, Duration closeTimeout, String name) {
            this.delegate = delegate;
            this.closeTimeout = closeTimeout;
            this.name = name;
        }

        @Override
        public void write(T element, Context context) throws IOException, InterruptedException {
            delegate.write(element, context);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            delegate.flush(endOfInput);
        }

        @Override
        public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
            delegate.writeWatermark(watermark);
        }

        @Override
        public void close() throws Exception {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            Thread closer =
                    new Thread(
                            () -> {
                                try {
                                    delegate.close();
                                    closed.complete(null);
                                } catch (Throwable t) {
                                    closed.completeExceptionally(t);
                                }
                            },
                            "bounded-close : " + name);
            closer.setDaemon(true);
            closer.start();
            try {
                closed.get(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception) {
                    throw (Exception) cause;
                }
                throw e;
            } catch (TimeoutException e) {
                TIMED_OUT_CLOSES.incrementAndGet();
                LOG.warn(
                        "Closing the writer of {} did not finish within {} (Fluss unreachable?):"
                                + " interrupting it; its unsent records are newer than the last"
                                + " checkpoint and are replayed after the restore",
                        name,
                        closeTimeout);
                closer.interrupt();
                try {
                    closed.get(AFTER_INTERRUPT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillBlocked) {
                    LOG.error(
                            "The writer of {} is still closing {} after the interrupt; leaving"
                                    + " its thread '{}' behind",
                            name,
                            AFTER_INTERRUPT,
                            closer.getName());
                } catch (ExecutionException failed) {
                    LOG.warn("Closing the writer of {} failed after the interrupt", name, failed);
                }
            } catch (InterruptedException e) {
                closer.interrupt();
                Thread.currentThread().interrupt();
            }
        }
    }
}
