package dev.logmerge.loggen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads generated files back the way the merge sees them: bytes split at '\n', gzip inflated. */
final class LogFiles {
  private LogFiles() {}

  static byte[] content(Path file) throws IOException {
    if (!file.getFileName().toString().endsWith(".gz")) {
      return Files.readAllBytes(file);
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return in.readAllBytes();
    }
  }

  /** The lines without their '\n'; every line must end with one. */
  static List<byte[]> lines(Path file) throws IOException {
    byte[] content = content(file);
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < content.length; i++) {
      if (content[i] == '\n') {
        lines.add(Arrays.copyOfRange(content, start, i));
        start = i + 1;
      }
    }
    if (start != content.length) {
      throw new AssertionError(file + " does not end with a newline");
    }
    return lines;
  }

  static List<String> textLines(Path file) throws IOException {
    return lines(file).stream()
        .map(line -> new String(line, java.nio.charset.StandardCharsets.US_ASCII))
        .toList();
  }

  /** Sorted as {@code LC_ALL=C sort} sorts: by unsigned bytes. */
  static boolean isSorted(List<byte[]> lines) {
    for (int i = 1; i < lines.size(); i++) {
      if (Arrays.compareUnsigned(lines.get(i - 1), lines.get(i)) > 0) {
        return false;
      }
    }
    return true;
  }
}
