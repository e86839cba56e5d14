package dev.gridhouse.ads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdsPostgresSinkTest {
    private static final Map<String, String> ENV =
            Collections.singletonMap(AdsPostgresOptions.PASSWORD_ENV, "from-env");

    private static Configuration enabled() {
        Configuration conf = new Configuration();
        conf.set(AdsPostgresOptions.ENABLED, true);
        return conf;
    }

    @Test
    void disabledByDefault() {
        assertThat(AdsPostgresSink.fromConfig(new Configuration(), ENV)).isNull();
    }

    @Test
    void shippedScriptIsTheDdlTheJobRuns() throws Exception {
        String ddl = AdsPostgresSink.fromConfig(enabled(), ENV).ddl();
        Path script = Paths.get("..", "deploy", "sql", "ads-schema.sql");
        Files.writeString(Paths.get("target", "ads-schema.generated.sql"), ddl);
        String shipped = Files.readString(script, StandardCharsets.UTF_8);
        // the script has a comment header; the statements are the job's, byte for byte
        assertThat(shipped.substring(shipped.indexOf("CREATE SCHEMA"))).isEqualTo(ddl);
    }

    @Test
    void passwordComesFromTheFileElseTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "from-file\nignored\n");
        assertThat(AdsPostgresSink.password(file.toString(), ENV)).isEqualTo("from-file");
        assertThat(AdsPostgresSink.password(null, ENV)).isEqualTo("from-env");
        assertThatThrownBy(() -> AdsPostgresSink.password(null, Collections.emptyMap()))
                .hasMessageContaining("--pg-sink.password-file")
                .hasMessageContaining(AdsPostgresOptions.PASSWORD_ENV);
    }

    @Test
    void schemaOptionIsValidated() {
        Configuration conf = enabled();
        conf.set(AdsPostgresOptions.SCHEMA, "ads; drop table x");
        assertThatThrownBy(() -> AdsPostgresSink.fromConfig(conf, ENV))
                .hasMessageContaining("Invalid PostgreSQL schema name");
    }
}
