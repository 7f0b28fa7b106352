package dev.logmerge.devservices;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The output contract, computed the obvious way for tests: every line of every file (gzip inflated,
 * a missing final newline added), sorted as unsigned bytes like {@code LC_ALL=C sort}, each
 * followed by {@code \n}. Deliberately naive and independent of the merge engine; holds everything
 * in memory.
 */
public final class SortOracle {
  private SortOracle() {}

  /** The expected merged bytes of these files. */
  public static byte[] expected(List<Path> files) {
    List<byte[]> lines = new ArrayList<>();
    long size = 0;
    for (Path file : files) {
      byte[] content = read(file);
      int start = 0;
      for (int i = 0; i < content.length; i++) {
        if (content[i] == '\n') {
          lines.add(Arrays.copyOfRange(content, start, i));
          start = i + 1;
        }
      }
      if (start < content.length) {
        lines.add(Arrays.copyOfRange(content, start, content.length));
      }
    }
    lines.sort(Arrays::compareUnsigned);
    for (byte[] line : lines) {
      size += line.length + 1;
    }
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 8));
    for (byte[] line : lines) {
      out.writeBytes(line);
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** Hex SHA-256, for comparing large results in assertion messages without printing them. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }

  private static byte[] read(Path file) {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in =
            file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
