package dev.gridhouse.lake;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.fluss.config.Configuration;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.options.Options;

/**
 * The Paimon warehouse the Fluss tables are tiered into: a filesystem catalog at a warehouse path
 * (a local directory by default, any path Paimon's file IO supports, e.g. {@code s3://…}).
 *
 * <p>The same three settings appear in three places, which this class keeps consistent: the Fluss
 * servers' {@code server.yaml} ({@link #serverConfig()}), the tiering job ({@link
 * #tieringLakeConfig()}) and readers ({@link #openCatalog()}, {@link #createCatalogSql(String)}).
 * Fluss puts the tiered table {@code db.t} at the Paimon identifier {@code db.t}.
 */
public final class PaimonLakehouse implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The {@code datalake.format} of Fluss. */
    public static final String FORMAT = "paimon";

    private final String warehouse;

    private PaimonLakehouse(String warehouse) {
        this.warehouse = warehouse;
    }

    /**
     * A warehouse at {@code location}: a URI with a scheme ({@code file:///…}, {@code s3://…},
     * {@code hdfs://…}) or a local path, made absolute.
     */
    public static PaimonLakehouse at(String location) {
        Objects.requireNonNull(location, "location");
        if (location.isBlank()) {
            throw new IllegalArgumentException(
                    "The Paimon warehouse location is empty: give a directory or a URI such as"
                            + " file:///var/lib/gridhouse/lake or s3://bucket/lake.");
        }
        URI uri = URI.create(location.replace('\\', '/'));
        if (uri.getScheme() == null || uri.getScheme().length() == 1) {
            // no trailing slash, whether or not the directory exists yet
            String local = Paths.get(location).toAbsolutePath().normalize().toUri().toString();
            return new PaimonLakehouse(
                    local.endsWith("/") ? local.substring(0, local.length() - 1) : local);
        }
        return new PaimonLakehouse(location);
    }

    /** The warehouse URI. */
    public String warehouse() {
        return warehouse;
    }

    /** The {@code datalake.*} settings of the Fluss coordinator and tablet servers. */
    public Map<String, String> serverConfig() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("datalake.format", FORMAT);
        conf.put("datalake.paimon.metastore", "filesystem");
        conf.put("datalake.paimon.warehouse", warehouse);
        return conf;
    }

    /** The lake configuration handed to Fluss's tiering job (the keys without their prefix). */
    public Configuration tieringLakeConfig() {
        Configuration conf = new Configuration();
        conf.setString("metastore", "filesystem");
        conf.setString("warehouse", warehouse);
        return conf;
    }

    /** The arguments of Fluss's own tiering entry point for this warehouse. */
    public String[] tieringEntrypointArgs(String bootstrapServers) {
        return new String[] {
            "--fluss.bootstrap.servers", bootstrapServers,
            "--datalake.format", FORMAT,
            "--datalake.paimon.metastore", "filesystem",
            "--datalake.paimon.warehouse", warehouse
        };
    }

    /** A Paimon catalog over the warehouse (Paimon's Java API); the caller closes it. */
    public Catalog openCatalog() {
        Options options = new Options();
        options.set("metastore", "filesystem");
        options.set("warehouse", warehouse);
        return CatalogFactory.createCatalog(CatalogContext.create(options));
    }

    /** Flink SQL that registers the warehouse as a Paimon catalog named {@code name}. */
    public String createCatalogSql(String name) {
        return "CREATE CATALOG `"
                + name.replace("`", "``")
                + "` WITH ('type' = 'paimon', 'warehouse' = '"
                + warehouse.replace("'", "''")
                + "')";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PaimonLakehouse && ((PaimonLakehouse) o).warehouse.equals(warehouse);
    }

    @Override
    public int hashCode() {
        return warehouse.hashCode();
    }

    @Override
    public String toString() {
        return "PaimonLakehouse{" + warehouse + "}";
    }
}
