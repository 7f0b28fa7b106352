package dev.logmerge.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic merged-log content of a chosen size, standing in for a result a merge worker
 * uploaded.
 */
final class LogContent {
  private LogContent() {}

  static byte[] bytes(int size) {
    byte[] out = new byte[size];
    int filled = 0;
    for (long line = 0; filled < size; line++) {
      byte[] text = line(line);
      int n = Math.min(text.length, size - filled);
      System.arraycopy(text, 0, out, filled, n);
      filled += n;
    }
    return out;
  }

  /** Writes {@code size} bytes of log lines to a file and returns their SHA-256. */
  static byte[] writeFile(Path file, long size) throws IOException {
    MessageDigest sha256 = sha256();
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha256)) {
      long written = 0;
      for (long line = 0; written < size; line++) {
        byte[] text = line(line);
        int n = (int) Math.min(text.length, size - written);
        out.write(text, 0, n);
        written += n;
      }
    }
    return sha256.digest();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }

  private static byte[] line(long n) {
    return String.format(
            "2019-08-19T%02d:%02d:%02d.%03dZ host-%d GET /item/%d 200\n",
            n / 3_600_000 % 24, n / 60_000 % 60, n / 1000 % 60, n % 1000, n % 7, n)
        .getBytes(StandardCharsets.US_ASCII);
  }
}
