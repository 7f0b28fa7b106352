package dev.logmerge.launcher;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What one logmerge JVM runs. */
public enum Role {
  /**
   * HTTP and merge verticles in one unclustered JVM, with embedded S3/Redis unless endpoints are
   * given.
   */
  ALL(true, true, false),
  /** The REST front end only, on the clustered event bus. */
  HTTP(true, false, true),
  /** Merge workers only, on the clustered event bus. */
  MERGE(false, true, true),
  /** Embedded S3 and Redis only, for running the other roles in separate JVMs on one machine. */
  SERVICES(false, false, false);

  private final boolean http;
  private final boolean merge;
  private final boolean clustered;

  Role(boolean http, boolean merge, boolean clustered) {
    this.http = http;
    this.merge = merge;
    this.clustered = clustered;
  }

  public boolean runsHttp() {
    return http;
  }

  public boolean runsMerge() {
    return merge;
  }

  public boolean clustered() {
    return clustered;
  }

  /** Whether this role may start embedded S3/Redis when no endpoint is configured. */
  public boolean mayEmbedServices() {
    return this == ALL || this == SERVICES;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromLabel(String label) {
    return Arrays.stream(values()).filter(r -> r.label().equals(label)).findFirst();
  }
}
