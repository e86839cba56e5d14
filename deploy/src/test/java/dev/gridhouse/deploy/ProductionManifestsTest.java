package dev.gridhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gridhouse.ads.AdsJob;
import dev.gridhouse.core.config.JobOptions;
import dev.gridhouse.dws.DwsJob;
import dev.gridhouse.lake.LakeJob;
import dev.gridhouse.ods.OdsJob;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The production manifests (Kubernetes FlinkDeployments, Fluss Helm values, Docker Compose, the job
 * image's Dockerfile) cannot run here (no Kubernetes, no Docker engine): this checks them against
 * the build instead — versions and image tags, jar paths and names, main classes, every job
 * argument parsed by the job's own options, every Flink setting a real Flink option key.
 */
class ProductionManifestsTest {
    private static final Path REPO = Paths.get("").toAbsolutePath().getParent();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Class<?>> MAIN =
            Map.of(
                    "ods", OdsJob.class,
                    "dws", DwsJob.class,
                    "ads", AdsJob.class,
                    "lake", LakeJob.class);
    private static final Map<String, JobOptions> OPTIONS =
            Map.of(
                    "ods", OdsJob.OPTIONS,
                    "dws", DwsJob.OPTIONS,
                    "ads", AdsJob.OPTIONS,
                    "lake", LakeJob.OPTIONS);

    private static String pomValue(String tag) throws Exception {
        String pom = Files.readString(REPO.resolve("pom.xml"));
        Matcher m = Pattern.compile("<" + Pattern.quote(tag) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as("pom.xml has <%s>", tag).isTrue();
        return m.group(1);
    }

    private static String projectVersion() throws Exception {
        String pom = Files.readString(REPO.resolve("pom.xml"));
        // the project's own version follows its artifactId
        Matcher m =
                Pattern.compile("<artifactId>gridhouse-parent</artifactId>\\s*<version>([^<]+)<")
                        .matcher(pom);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String jarName(String layer) throws Exception {
        return "pipeline-" + layer + "-" + projectVersion() + "-job.jar";
    }

    /** Every key (and deprecated fallback key) of Flink's option classes used in manifests. */
    private static Set<String> flinkKeys() throws Exception {
        Set<String> keys = new HashSet<>();
        for (Class<?> c :
                List.of(
                        CheckpointingOptions.class,
                        StateBackendOptions.class,
                        RestartStrategyOptions.class,
                        PipelineOptions.class,
                        TaskManagerOptions.class,
                        JobManagerOptions.class)) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    keys.add(o.key());
                    for (FallbackKey k : o.fallbackKeys()) {
                        keys.add(k.getKey());
                    }
                }
            }
        }
        keys.add("jobmanager.rpc.address");
        return keys;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ods", "dws", "ads", "lake"})
    void flinkDeploymentMatchesTheBuild(String layer) throws Exception {
        JsonNode d =
                YAML.readTree(
                        REPO.resolve("deploy/k8s/flink-deployment-" + layer + ".yaml").toFile());
        assertThat(d.get("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(d.get("kind").asText()).isEqualTo("FlinkDeployment");
        JsonNode spec = d.get("spec");
        String flink = EnvironmentInformation.getVersion(); // 1.20.3 on the test classpath
        assertThat(flink).isEqualTo(pomValue("flink.version"));
        assertThat(spec.get("flinkVersion").asText())
                .isEqualTo("v" + flink.substring(0, flink.lastIndexOf('.')).replace('.', '_'));
        assertThat(spec.get("image").asText())
                .isEqualTo("gridhouse/flink-jobs:" + projectVersion());

        JsonNode job = spec.get("job");
        assertThat(job.get("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(job.get("state").asText()).isEqualTo("running");
        assertThat(job.get("parallelism").asInt()).isPositive();
        assertThat(job.get("jarURI").asText())
                .isEqualTo("local:///opt/flink/usrlib/" + jarName(layer));
        assertThat(job.get("entryClass").asText()).isEqualTo(MAIN.get(layer).getName());
        Path jar = REPO.resolve("pipeline-" + layer + "/target/" + jarName(layer));
        if (Files.exists(jar)) { // built by the reactor before this module's tests
            try (JarFile j = new JarFile(jar.toFile())) {
                assertThat(j.getManifest().getMainAttributes().getValue("Main-Class"))
                        .isEqualTo(MAIN.get(layer).getName());
            }
        }
        // the image puts exactly this jar into /opt/flink/usrlib
        assertThat(Files.readString(REPO.resolve("deploy/docker/Dockerfile")))
                .contains(
                        "COPY pipeline-"
                                + layer
                                + "/target/"
                                + jarName(layer)
                                + " /opt/flink/usrlib/")
                .contains("FROM flink:" + flink + "-");

        // the job's own option parser accepts every argument
        List<String> args = new ArrayList<>();
        job.get("args").forEach(a -> args.add(a.asText()));
        assertThatCode(() -> OPTIONS.get(layer).parse(args.toArray(new String[0])))
                .doesNotThrowAnyException();
        assertThat(args).contains("--fluss.bootstrap-servers");

        Set<String> known = flinkKeys();
        spec.get("flinkConfiguration")
                .fieldNames()
                .forEachRemaining(k -> assertThat(known).as("Flink option key").contains(k));
        assertThat(spec.get("flinkConfiguration").get("execution.checkpointing.dir").asText())
                .isNotBlank();
        assertThat(
                        spec.get("flinkConfiguration")
                                .get("execution.checkpointing.savepoint-dir")
                                .asText())
                .isNotBlank();
        assertThat(spec.at("/jobManager/resource/memory").asText()).isNotBlank();
        assertThat(spec.at("/taskManager/resource/memory").asText()).isNotBlank();
    }

    @Test
    void flussHelmValuesMatchTheStackAndTheJobs() throws Exception {
        JsonNode v = YAML.readTree(REPO.resolve("deploy/k8s/fluss-values.yaml").toFile());
        assertThat(v.at("/image/repository").asText()).isEqualTo("apache/fluss");
        assertThat(v.at("/image/tag").asText()).isEqualTo(pomValue("fluss.version"));
        int clientPort = v.at("/listeners/client/port").asInt();
        for (String layer : MAIN.keySet()) {
            JsonNode d =
                    YAML.readTree(
                            REPO.resolve("deploy/k8s/flink-deployment-" + layer + ".yaml")
                                    .toFile());
            List<String> args = new ArrayList<>();
            d.at("/spec/job/args").forEach(a -> args.add(a.asText()));
            String bootstrap = args.get(args.indexOf("--fluss.bootstrap-servers") + 1);
            // the chart's headless coordinator service on its client listener
            assertThat(bootstrap).startsWith("coordinator-server-hs.").endsWith(":" + clientPort);
            if (layer.equals("lake")) {
                // the tiering job writes the warehouse the servers are configured with
                assertThat(args.get(args.indexOf("--lake.warehouse") + 1))
                        .isEqualTo(
                                v.at("/configurationOverrides")
                                        .get("datalake.paimon.warehouse")
                                        .asText());
                assertThat(v.at("/configurationOverrides").get("datalake.format").asText())
                        .isEqualTo("paimon");
            }
        }
    }

    @Test
    void composeFileMatchesTheStack() throws Exception {
        Path file = REPO.resolve("deploy/compose/docker-compose.yaml");
        JsonNode c = YAML.readTree(file.toFile());
        JsonNode services = c.get("services");
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .contains(
                        "zookeeper",
                        "coordinator-server",
                        "tablet-server",
                        "jobmanager",
                        "taskmanager",
                        "postgres");
        String flink = EnvironmentInformation.getVersion();
        assertThat(services.at("/jobmanager/image").asText()).startsWith("flink:" + flink + "-");
        assertThat(services.at("/taskmanager/image").asText()).startsWith("flink:" + flink + "-");
        assertThat(services.at("/coordinator-server/image").asText())
                .isEqualTo("apache/fluss:" + pomValue("fluss.version"));
        assertThat(services.at("/tablet-server/image").asText())
                .isEqualTo("apache/fluss:" + pomValue("fluss.version"));
        assertThat(services.at("/postgres/command").toString()).contains("wal_level=logical");

        // published ports only on loopback
        services.forEach(
                s -> s.path("ports").forEach(p -> assertThat(p.asText()).startsWith("127.0.0.1:")));
        // every mounted file exists (relative to the compose file), jars named as the build names
        // them
        for (JsonNode s : services) {
            for (JsonNode vol : s.path("volumes")) {
                String src = vol.asText().split(":")[0];
                if (src.startsWith(".")) {
                    Path p = file.getParent().resolve(src).normalize();
                    if (src.endsWith("-job.jar")) {
                        String layer = p.getFileName().toString().split("-")[1];
                        assertThat(p.getFileName().toString()).isEqualTo(jarName(layer));
                    } else {
                        assertThat(p).as("mounted file").exists();
                    }
                }
            }
        }
        // the Flink settings of the containers are real Flink keys
        Set<String> known = flinkKeys();
        for (String svc : List.of("jobmanager", "taskmanager")) {
            String props = services.at("/" + svc + "/environment/0").asText();
            for (String line : props.split("\n")) {
                if (line.contains(":") && !line.startsWith("FLINK_PROPERTIES")) {
                    assertThat(known).contains(line.substring(0, line.indexOf(':')).trim());
                }
            }
        }
    }
}
