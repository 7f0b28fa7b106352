package dev.logmerge.merge.stats;

import dev.logmerge.merge.stats.StatsOracle.Request;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

/**
 * Writes generated requests as request lines in every form the rules allow (offsets, fractions,
 * leading zeros, odd levels and paths, with and without free text), and lines that are not
 * requests, many of them one rule away from being one.
 */
final class LineRenderer {
  private static final String[] OFFSETS = {
    "Z", "Z", "Z", "+00:00", "-00:00", "+02:00", "-05:30", "+14:00", "-11:45", "+05:45"
  };
  private static final String[] LEVELS = {"INFO", "WARN", "ERROR", "DEBUG", "é", "lvl\t1"};
  private static final String[] METHODS = {"GET", "POST", "DELETE", "PROPFIND", "X"};
  private static final String[] TEXTS = {
    "order lookup served from cache", "", "  spaced  out ", "ms 200 GET", "é日本", "\t"
  };
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm");

  private LineRenderer() {}

  /** One of the ways to write {@code request}. */
  static String render(Random random, Request request, boolean longFreeText) {
    StringBuilder line = new StringBuilder(timestamp(random, request)).append(' ');
    line.append(LEVELS[random.nextInt(LEVELS.length)]).append(' ');
    line.append(request.customer()).append(' ');
    line.append(METHODS[random.nextInt(METHODS.length)]).append(' ');
    line.append(random.nextBoolean() ? "/api/v1/orders/" + random.nextInt(99_999) : "/é?q=1&r");
    line.append(' ').append(request.status()).append(' ');
    line.append(random.nextInt(8) == 0 ? "00" : "").append(request.durationMs()).append("ms");
    int tail = random.nextInt(10);
    if (longFreeText) {
      line.append(' ').append("long free text ".repeat(5000));
    } else if (tail < 7) {
      line.append(' ').append(TEXTS[random.nextInt(TEXTS.length)]);
    } else if (tail < 8) {
      line.append(' ');
    }
    return line.toString();
  }

  /** A line that is not a request. */
  static String unparsed(Random random, Request almost) {
    String valid = render(random, almost, false);
    String status = " " + almost.status() + " ";
    return switch (random.nextInt(12)) {
      case 0 -> "";
      case 1 -> "2019-08-19:14:05:00 10.0.0.1 Mozilla/5.0 /index.html";
      case 2 -> replaceFirst(valid, status, " 600 ");
      case 3 -> replaceFirst(valid, status, " 20 ");
      case 4 -> replaceFirst(valid, " " + almost.customer() + " ", " " + "c".repeat(65) + " ");
      case 5 -> replaceFirst(valid, " ", "  ");
      case 6 -> replaceFirst(valid, "ms", "s");
      case 7 -> replaceFirst(valid, "T", " ");
      case 8 -> valid.substring(0, 10) + "T25" + valid.substring(13);
      case 9 -> replaceFirst(valid, status, " 200 /path" + "p".repeat(70_000) + " ");
      case 10 -> " " + valid;
      default -> "just some text";
    };
  }

  private static String replaceFirst(String text, String target, String replacement) {
    int at = text.indexOf(target);
    return text.substring(0, at) + replacement + text.substring(at + target.length());
  }

  /** The request's UTC minute at one of several offsets, with a random second and fraction. */
  private static String timestamp(Random random, Request request) {
    String zone = OFFSETS[random.nextInt(OFFSETS.length)];
    ZoneOffset offset = zone.equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(zone);
    OffsetDateTime local =
        request
            .date()
            .atTime(request.minuteOfDay() / 60, request.minuteOfDay() % 60)
            .atOffset(ZoneOffset.UTC)
            .withOffsetSameInstant(offset);
    int second = random.nextInt(50) == 0 ? 60 : random.nextInt(60);
    StringBuilder text = new StringBuilder(MINUTE.format(local)).append(':');
    text.append(second < 10 ? "0" : "").append(second);
    int fraction = random.nextInt(14);
    if (fraction > 0) {
      text.append('.');
      for (int i = 0; i < fraction; i++) {
        text.append(random.nextInt(10));
      }
    }
    return text.append(zone).toString();
  }
}
