package com.enterpriseadmin.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The sample events of {@code events/} (repo root). {@code sam build} copies {@code functions/}
 * alone, without the events folder; there these tests are skipped, everywhere else they run.
 */
public final class Events {
    private Events() {}

    public static Path dir() {
        Path dir = Path.of("..", "events");
        Assumptions.assumeTrue(Files.isDirectory(dir), "events/ is not beside functions/ (sam build copy)");
        return dir;
    }

    public static byte[] load(String name) {
        try {
            return Files.readAllBytes(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Path> all() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
