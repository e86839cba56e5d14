package dev.gridhouse.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract mirrored under {@code docs/spec} is the shared one, and every "contract §x" cited in
 * the repository's code and READMEs names a section that exists in it.
 */
class ContractDocsTest {
    private static final Path REPO = Paths.get("").toAbsolutePath().getParent();
    private static final Path DOCS = REPO.resolve("docs/spec");
    private static final Pattern HEADING = Pattern.compile("^#{2,4} (\\d+(?:\\.\\d+)*)\\.? ");
    private static final Pattern CITATION =
            Pattern.compile("(service )?contract §(\\d+(?:\\.\\d+)*)");

    @ParameterizedTest
    @ValueSource(strings = {"grid-contract.md", "service-contract.md"})
    void mirrorEqualsTheSharedContract(String file) throws IOException {
        Path shared = REPO.getParent().resolve("shared/spec").resolve(file);
        assumeTrue(Files.exists(shared), "no ../shared/spec beside this checkout");
        assertThat(read(DOCS.resolve(file)))
                .as("docs/spec/%s must be a verbatim copy of %s", file, shared)
                .isEqualTo(read(shared));
    }

    @Test
    void everyCitedSectionExists() throws IOException {
        Set<String> grid = sections(DOCS.resolve("grid-contract.md"));
        Set<String> service = sections(DOCS.resolve("service-contract.md"));
        assertThat(grid).contains("1.3", "2", "4", "6");
        List<String> unresolved = new ArrayList<>();
        int citations = 0;
        for (Path file : sourcesAndReadmes()) {
            Matcher m = CITATION.matcher(read(file));
            while (m.find()) {
                citations++;
                Set<String> known = m.group(1) != null ? service : grid;
                if (!known.contains(m.group(2))) {
                    unresolved.add(REPO.relativize(file) + ": " + m.group());
                }
            }
        }
        assertThat(citations).isGreaterThan(50);
        assertThat(unresolved).isEmpty();
    }

    private static Set<String> sections(Path file) throws IOException {
        Set<String> out = new HashSet<>();
        for (String line : read(file).split("\n")) {
            Matcher m = HEADING.matcher(line);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static List<Path> sourcesAndReadmes() throws IOException {
        try (Stream<Path> files = Files.walk(REPO)) {
            return files.filter(p -> !p.toString().contains("/target/"))
                    .filter(p -> !p.toString().contains("/.git/"))
                    .filter(p -> !p.startsWith(DOCS))
                    .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".md"))
                    .collect(Collectors.toList());
        }
    }

    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }
}
