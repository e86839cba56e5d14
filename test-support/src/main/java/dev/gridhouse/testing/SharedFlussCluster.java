package dev.gridhouse.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that shares one {@link LocalFlussCluster} among all test classes of a test
 * JVM: the first class that needs it starts it, and it is closed when the JVM's test run ends.
 * Classes keep apart by writing to a Fluss database of their own.
 *
 * <pre>{@code
 * class MyITCase {
 *     @RegisterExtension static final SharedFlussCluster FLUSS = new SharedFlussCluster();
 *
 *     @Test
 *     void writes() {
 *         String bootstrap = FLUSS.cluster().bootstrapServers();
 *     }
 * }
 * }</pre>
 *
 * <p>A test that stops or restarts the cluster's servers must start a {@link LocalFlussCluster} of
 * its own instead.
 */
public final class SharedFlussCluster implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SharedFlussCluster.class);

    private LocalFlussCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster =
                context.getRoot()
                        .getStore(NAMESPACE)
                        .getOrComputeIfAbsent("cluster", key -> new Resource(), Resource.class)
                        .cluster;
    }

    /** The shared cluster; only valid once the test class has started. */
    public LocalFlussCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException(
                    "SharedFlussCluster is not started: register it with @RegisterExtension on a"
                            + " static field");
        }
        return cluster;
    }

    /** Owns the cluster in the root store, which closes it at the end of the test run. */
    private static final class Resource implements ExtensionContext.Store.CloseableResource {
        final LocalFlussCluster cluster;

        Resource() {
            try {
                cluster = LocalFlussCluster.start();
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the shared Fluss cluster", e);
            }
        }

        @Override
        public void close() throws Exception {
            cluster.close();
        }
    }
}
