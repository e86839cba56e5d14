package dev.gridhouse.ods.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobFileFilterTest {
    @TempDir Path dir;

    @Test
    void detectsGlobsOnlyInTheFileName() {
        assertThat(GlobFileFilter.isGlob("/data/day-*.jsonl")).isTrue();
        assertThat(GlobFileFilter.isGlob("/data/day-?.jsonl")).isTrue();
        assertThat(GlobFileFilter.isGlob("/data/day-{1,2}.jsonl")).isTrue();
        assertThat(GlobFileFilter.isGlob("/data/day-[12].jsonl")).isTrue();
        assertThat(GlobFileFilter.isGlob("/data/telemetry.jsonl")).isFalse();
        assertThat(GlobFileFilter.isGlob("/data/telemetry")).isFalse();
    }

    @Test
    void enumeratesMatchingFilesOfTheDirectoryOnly() throws Exception {
        for (String name :
                new String[] {
                    "day-1.jsonl",
                    "day-2.jsonl",
                    "day-3.json",
                    "other.jsonl",
                    ".day-4.jsonl",
                    "_day-5.jsonl"
                }) {
            Files.writeString(dir.resolve(name), "{}\n");
        }
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/day-9.jsonl"), "{}\n");

        GlobFileFilter glob = GlobFileFilter.of(dir + File.separator + "day-*.jsonl");
        // the filter travels inside the job graph
        GlobFileFilter copy = InstantiationUtil.clone(glob);
        Collection<FileSourceSplit> splits =
                new NonSplittingRecursiveEnumerator(copy)
                        .enumerateSplits(new org.apache.flink.core.fs.Path[] {copy.directory()}, 1);
        List<String> names = new ArrayList<>();
        for (FileSourceSplit s : splits) {
            names.add(s.path().getName());
        }
        assertThat(names).containsExactlyInAnyOrder("day-1.jsonl", "day-2.jsonl");
    }

    @Test
    void relativeGlobsResolveAgainstTheWorkingDirectory() {
        GlobFileFilter glob = GlobFileFilter.of("data/*.jsonl");
        assertThat(glob.directory().getPath())
                .isEqualTo(
                        new File("data").getAbsoluteFile().toURI().getPath().replaceAll("/$", ""));
        assertThat(glob.glob()).isEqualTo("*.jsonl");
    }

    @Test
    void kafkaSourceOptionsAreChecked() {
        assertThat(KafkaTelemetrySource.StartingOffsets.parse(" Earliest "))
                .isEqualTo(KafkaTelemetrySource.StartingOffsets.EARLIEST);
        assertThatThrownBy(() -> KafkaTelemetrySource.StartingOffsets.parse("newest"))
                .hasMessageContaining("earliest, latest or committed");
        assertThatThrownBy(
                        () ->
                                new KafkaTelemetrySource(
                                        "",
                                        "t",
                                        "g",
                                        KafkaTelemetrySource.StartingOffsets.LATEST,
                                        false))
                .hasMessageContaining("bootstrap servers");
        KafkaTelemetrySource k =
                new KafkaTelemetrySource(
                        "127.0.0.1:9092",
                        "t",
                        "g",
                        KafkaTelemetrySource.StartingOffsets.COMMITTED,
                        true);
        assertThat(k.jsonLines().getBoundedness())
                .isEqualTo(org.apache.flink.api.connector.source.Boundedness.BOUNDED);
        assertThat(k.avroRecords().getBoundedness())
                .isEqualTo(org.apache.flink.api.connector.source.Boundedness.BOUNDED);
    }
}
