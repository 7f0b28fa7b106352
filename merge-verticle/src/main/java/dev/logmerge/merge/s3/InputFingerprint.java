package dev.logmerge.merge.s3;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A digest of everything that determines a merge's output: the listed inputs in merge order, each
 * by bucket, key, size and version (ETag, or modification time where the store reports no ETag).
 * Two jobs with the same fingerprint produce the same bytes, so one merge serves both; any input
 * added, removed or replaced changes it. The version prefix changes with anything else that comes
 * to shape the output (the merge's rules, a filter).
 */
public final class InputFingerprint {
  private static final String VERSION = "logmerge-inputs-v1";

  private InputFingerprint() {}

  /** Lower-case hex SHA-256 of the inputs' descriptions. */
  public static String of(List<LogObject> inputs) {
    MessageDigest sha256 = sha256();
    update(sha256, VERSION);
    for (LogObject input : inputs) {
      update(sha256, input.bucket());
      update(sha256, input.key());
      update(sha256, Long.toString(input.size()));
      update(
          sha256,
          input.etag() != null ? input.etag() : "modified:" + input.lastModified().toEpochMilli());
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** Each field is preceded by its length, so no two lists of fields digest alike. */
  private static void update(MessageDigest digest, String field) {
    byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
    digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).flip());
    digest.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
