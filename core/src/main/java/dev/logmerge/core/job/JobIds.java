package dev.logmerge.core.job;

import java.util.UUID;
import java.util.regex.Pattern;

/** Job ids are random UUIDv4s: unguessable, since an id is the only credential for a result. */
public final class JobIds {
  private static final Pattern CANONICAL =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  private JobIds() {}

  public static String newId() {
    return UUID.randomUUID().toString();
  }

  /** Whether the text is a job id in canonical lowercase UUIDv4 form. */
  public static boolean isValid(String text) {
    return text != null && CANONICAL.matcher(text).matches();
  }
}
