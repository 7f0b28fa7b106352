package dev.logmerge.devservices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SortOracleTest {
  @Test
  void sortsAllLinesAsUnsignedBytesAddingMissingNewlines(@TempDir Path dir) throws IOException {
    Path a = Files.writeString(dir.resolve("a"), "b\nd");
    Path b = Files.write(dir.resolve("b"), "a\n\u00e9\nc\n".getBytes(StandardCharsets.UTF_8));
    Path empty = Files.writeString(dir.resolve("empty"), "");
    Path gz = dir.resolve("c.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write("B\n\n".getBytes(StandardCharsets.UTF_8));
    }
    String expected = "\nB\na\nb\nc\nd\n\u00e9\n";
    assertEquals(
        expected,
        new String(SortOracle.expected(List.of(a, b, empty, gz)), StandardCharsets.UTF_8));
  }
}
