package dev.logmerge.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@code /metrics} answer in the Prometheus text format (0.0.4), parsed: every sample with its
 * name, labels and value. Comment lines ({@code # HELP}, {@code # TYPE}) are checked for shape and
 * skipped. A line that is not a valid sample fails the parse, so a malformed answer fails the test.
 */
record PrometheusScrape(List<Sample> samples) {

  /** One line: {@code name{label="value",…} value}. */
  record Sample(String name, Map<String, String> labels, double value) {}

  static PrometheusScrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("#")) {
        if (!line.startsWith("# HELP ") && !line.startsWith("# TYPE ")) {
          throw new IllegalArgumentException("not a HELP or TYPE comment: " + line);
        }
        continue;
      }
      samples.add(sample(line));
    }
    return new PrometheusScrape(samples);
  }

  /** The sum of the samples of this name whose labels include these pairs; 0 when none. */
  double sum(String name, String... labelPairs) {
    return matching(name, labelPairs).stream().mapToDouble(Sample::value).sum();
  }

  /** Whether any sample has this name. */
  boolean has(String name) {
    return samples.stream().anyMatch(sample -> sample.name().equals(name));
  }

  /** The one sample of this name with these labels; fails unless exactly one matches. */
  double value(String name, String... labelPairs) {
    List<Sample> found = matching(name, labelPairs);
    if (found.size() != 1) {
      throw new AssertionError(
          found.size() + " samples of " + name + " " + List.of(labelPairs) + ": " + found);
    }
    return found.get(0).value();
  }

  List<Sample> matching(String name, String... labelPairs) {
    return samples.stream()
        .filter(sample -> sample.name().equals(name) && hasLabels(sample, labelPairs))
        .toList();
  }

  private static boolean hasLabels(Sample sample, String... labelPairs) {
    for (int i = 0; i + 1 < labelPairs.length; i += 2) {
      if (!labelPairs[i + 1].equals(sample.labels().get(labelPairs[i]))) {
        return false;
      }
    }
    return true;
  }

  private static Sample sample(String line) {
    int braces = line.indexOf('{');
    int space = line.indexOf(' ');
    Map<String, String> labels = new TreeMap<>();
    String name;
    int valueStart;
    if (braces >= 0 && (space < 0 || braces < space)) {
      name = line.substring(0, braces);
      int end = labels(line, braces + 1, labels);
      valueStart = end + 1;
    } else {
      name = line.substring(0, space);
      valueStart = space;
    }
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new IllegalArgumentException("bad metric name in: " + line);
    }
    String[] rest = line.substring(valueStart).trim().split(" ");
    return new Sample(name, labels, Double.parseDouble(rest[0]));
  }

  /** Reads {@code a="x",b="y"}} from {@code start}; returns the index of the closing brace. */
  private static int labels(String line, int start, Map<String, String> into) {
    int i = start;
    while (line.charAt(i) != '}') {
      int equals = line.indexOf('=', i);
      String label = line.substring(i, equals);
      if (line.charAt(equals + 1) != '"') {
        throw new IllegalArgumentException("unquoted label value in: " + line);
      }
      StringBuilder value = new StringBuilder();
      int j = equals + 2;
      for (; line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\') {
          char escaped = line.charAt(++j);
          value.append(escaped == 'n' ? '\n' : escaped);
        } else {
          value.append(c);
        }
      }
      into.put(label, value.toString());
      i = j + 1;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    return i;
  }
}
