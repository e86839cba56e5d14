package dev.gridhouse.core.io;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.fluss.config.Configuration;

/**
 * Where the warehouse lives: Fluss bootstrap servers, database, and extra client options (e.g.
 * {@code client.lookup.batch-timeout}). Serializable, so operators carry it to the task managers.
 */
public final class FlussEndpoint implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String bootstrapServers;
    private final String database;
    private final Map<String, String> clientOptions;

    public FlussEndpoint(
            String bootstrapServers, String database, Map<String, String> clientOptions) {
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers");
        this.database = requireNonNull(database, "database");
        if (bootstrapServers.trim().isEmpty()) {
            throw new IllegalArgumentException(
                    "Fluss bootstrap servers are empty: pass --fluss.bootstrap-servers host:port");
        }
        this.clientOptions =
                Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(clientOptions)));
    }

    public FlussEndpoint(String bootstrapServers, String database) {
        this(bootstrapServers, database, Collections.emptyMap());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String database() {
        return database;
    }

    public Map<String, String> clientOptions() {
        return clientOptions;
    }

    /** A copy with one more client option. */
    public FlussEndpoint withClientOption(String key, String value) {
        Map<String, String> options = new LinkedHashMap<>(clientOptions);
        options.put(key, value);
        return new FlussEndpoint(bootstrapServers, database, options);
    }

    /** Fluss client configuration for this endpoint. */
    public Configuration toFlussConfig() {
        Configuration conf = new Configuration();
        clientOptions.forEach(conf::setString);
        conf.setString("bootstrap.servers", bootstrapServers);
        return conf;
    }

    @Override
    public String toString() {
        return "fluss://" + bootstrapServers + "/" + database;
    }
}
