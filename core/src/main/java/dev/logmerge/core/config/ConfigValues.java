package dev.logmerge.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads typed settings from raw text values, failing with a message that names the setting. */
final class ConfigValues {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)(B|KiB|MiB|GiB|k|m|g)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9][A-Za-z0-9.-]*):(\\d{1,5})");
  private static final String HOST_PORTS = "host:port addresses, comma-separated";

  private final Map<Setting, String> values;

  ConfigValues(Map<Setting, String> values) {
    this.values = values;
  }

  /** The raw text, falling back to the default; null when unset and without default. */
  String text(Setting setting) {
    String value = values.get(setting);
    if (value == null || value.isBlank()) {
      return setting.defaultValue();
    }
    return value.trim();
  }

  int integer(Setting setting, int min, int max) {
    String text = text(setting);
    try {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        throw invalid(setting, "a whole number from " + min + " to " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw invalid(setting, "a whole number from " + min + " to " + max);
    }
  }

  /** {@code true} or {@code false}, in any case. */
  boolean bool(Setting setting) {
    return switch (text(setting).toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(setting, "true or false");
    };
  }

  int port(Setting setting) {
    return integer(setting, 0, 65_535);
  }

  Duration duration(Setting setting) {
    Matcher m = DURATION.matcher(text(setting));
    if (!m.matches()) {
      throw invalid(setting, "a duration such as 500ms, 30s, 5m, 12h or 7d");
    }
    long amount = Long.parseLong(m.group(1));
    Duration duration =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
    if (duration.isZero()) {
      throw invalid(setting, "a duration greater than zero");
    }
    return duration;
  }

  long bytes(Setting setting) {
    Matcher m = SIZE.matcher(text(setting));
    if (!m.matches()) {
      throw invalid(setting, "a size such as 65536, 512KiB or 64MiB");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long multiplier =
        switch (unit) {
          case "kib", "k" -> 1L << 10;
          case "mib", "m" -> 1L << 20;
          case "gib", "g" -> 1L << 30;
          default -> 1;
        };
    return amount * multiplier;
  }

  String bucket(Setting setting) {
    String text = text(setting);
    if (!BUCKET.matcher(text).matches() || text.contains("..")) {
      throw invalid(
          setting, "an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens");
    }
    return text;
  }

  /** An absolute http(s) URI, or null when unset. */
  URI uri(Setting setting, String... schemes) {
    String text = text(setting);
    if (text == null) {
      return null;
    }
    String expected =
        "a URL starting with "
            + String.join(" or ", Arrays.stream(schemes).map(s -> s + "://").toList());
    try {
      URI uri = new URI(text);
      if (uri.getScheme() == null
          || uri.getHost() == null
          || !Arrays.asList(schemes).contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
        throw invalid(setting, expected);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw invalid(setting, expected);
    }
  }

  /** One of an enum's constants, named in any case ({@code json}, {@code JSON}). */
  <E extends Enum<E>> E choice(Setting setting, Class<E> type) {
    String text = text(setting);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(text)) {
        return constant;
      }
    }
    throw invalid(
        setting,
        "one of "
            + String.join(
                ", ",
                Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT))
                    .toList()));
  }

  /** A comma-separated list without blanks; empty when unset. */
  List<String> list(Setting setting) {
    String text = text(setting);
    if (text == null) {
      return List.of();
    }
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * A comma-separated list of {@code host:port} addresses (an IPv6 host in brackets), each port
   * from 1 to 65535; empty when unset.
   */
  List<String> hostPorts(Setting setting) {
    List<String> addresses = list(setting);
    if (text(setting) != null && addresses.isEmpty()) {
      throw invalid(setting, HOST_PORTS);
    }
    for (String address : addresses) {
      Matcher m = HOST_PORT.matcher(address);
      if (!m.matches()) {
        throw invalid(setting, HOST_PORTS + ", not '" + address + "'");
      }
      int port = Integer.parseInt(m.group(2));
      if (port < 1 || port > 65_535) {
        throw invalid(setting, HOST_PORTS + " with ports from 1 to 65535, not '" + address + "'");
      }
    }
    return addresses;
  }

  static ConfigException invalid(Setting setting, String expected) {
    return new ConfigException("invalid " + setting.displayName() + ": expected " + expected);
  }
}
