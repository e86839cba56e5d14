package dev.gridhouse.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.junit.jupiter.api.Test;

class BoundedCloseSinkTest {

    /** A writer whose close blocks until interrupted, like a Fluss 0.9.1 writer in an outage. */
    private static final class BlockingWriter implements SinkWriter<String> {
        final CountDownLatch never = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();

        @Override
        public void write(String element, Context context) {}

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }
    }

    @Test
    void aBlockedCloseIsInterruptedAfterTheTimeoutAndReturns() throws Exception {
        BlockingWriter blocking = new BlockingWriter();
        SinkWriter<String> writer =
                new BoundedCloseSink.Writer<>(blocking, Duration.ofMillis(200), "t");
        long before = BoundedCloseSink.timedOutCloses();
        long started = System.nanoTime();
        writer.close();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(tookMs).isBetween(150L, 4_000L);
        assertThat(blocking.interrupted).isTrue();
        assertThat(BoundedCloseSink.timedOutCloses()).isEqualTo(before + 1);
    }

    @Test
    void aCloseInTimeBehavesLikeTheWrappedOneExceptionsIncluded() {
        SinkWriter<String> failing =
                new SinkWriter<>() {
                    @Override
                    public void write(String element, Context context) {}

                    @Override
                    public void flush(boolean endOfInput) {}

                    @Override
                    public void close() throws Exception {
                        throw new java.io.IOException("async write failed");
                    }
                };
        SinkWriter<String> writer =
                new BoundedCloseSink.Writer<>(failing, Duration.ofSeconds(5), "t");
        assertThatThrownBy(writer::close).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void theTimeoutMustBePositive() {
        assertThatThrownBy(() -> new BoundedCloseSink<String>(null, Duration.ZERO, "t"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
