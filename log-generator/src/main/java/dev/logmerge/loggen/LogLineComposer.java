package dev.logmerge.loggen;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.ArrayList;
import java.util.List;

/**
 * Composes what follows a line's timestamp: level, customer, request, outcome and message, e.g.
 * {@code INFO cust-004217 GET /api/v1/orders/88123 200 37ms order lookup served from cache}.
 * Everything is pre-encoded, so composing copies bytes and formats a few numbers.
 */
final class LogLineComposer {
  // a few busy customers account for many lines, as in real traffic: this share of lines goes to
  // the first BUSY_CUSTOMERS ids
  private static final int BUSY_LINES_PER_MILLE = 125;
  private static final int BUSY_CUSTOMERS = 100;

  private static final byte[] INFO = ascii("INFO ");
  private static final byte[] DEBUG = ascii("DEBUG ");
  private static final byte[] WARN = ascii("WARN ");
  private static final byte[] ERROR = ascii("ERROR ");
  private static final byte[] CUSTOMER_PREFIX = ascii("cust-");
  private static final byte[] MILLIS_SUFFIX = ascii("ms ");

  // repeated entries weight the mix: reads are more common than writes
  private static final Endpoint[] ENDPOINTS = {
    endpoint(
        "GET",
        "/api/v1/orders/#",
        200,
        "order lookup served from cache",
        "order lookup served from primary database",
        "order details assembled with line items"),
    endpoint(
        "GET",
        "/api/v1/orders/#",
        200,
        "order lookup served from read replica",
        "order lookup served from cache"),
    endpoint(
        "POST",
        "/api/v1/orders",
        201,
        "order created and queued for fulfilment",
        "order created with express shipping requested"),
    endpoint(
        "GET",
        "/api/v1/customers/@/invoices",
        200,
        "invoice list rendered for the last 90 days",
        "invoice list served from cache"),
    endpoint(
        "GET",
        "/api/v1/products/#",
        200,
        "product page assembled from catalog service",
        "product served from edge cache"),
    endpoint("GET", "/api/v1/products/#", 200, "product availability checked across 3 warehouses"),
    endpoint(
        "PUT",
        "/api/v1/carts/#/items/#",
        200,
        "cart item quantity updated",
        "cart item replaced with a newer variant"),
    endpoint("DELETE", "/api/v1/carts/#/items/#", 204, "cart item removed from cart"),
    endpoint(
        "POST",
        "/api/v1/payments/#/capture",
        200,
        "payment captured by card provider",
        "payment capture confirmed by acquiring bank"),
    endpoint("PATCH", "/api/v1/customers/@/address", 200, "shipping address updated and validated"),
    endpoint(
        "GET",
        "/api/v1/shipments/#/tracking",
        200,
        "tracking events fetched from carrier api",
        "tracking events served from cache"),
    endpoint(
        "POST",
        "/auth/token",
        200,
        "access token issued for web client",
        "refresh token rotated for mobile client"),
    endpoint(
        "GET",
        "/api/v1/customers/@/recommendations",
        200,
        "recommendations computed from purchase history"),
  };

  private static final byte[][] DEBUG_MESSAGES =
      asciiAll(
          "cache hit for request key",
          "feature flag new-checkout evaluated to false",
          "database connection reused from pool",
          "request headers validated against api schema",
          "response body compressed with gzip");

  private static final Outcome[] WARN_OUTCOMES = {
    new Outcome(404, "requested resource not found"),
    new Outcome(409, "version conflict detected, client asked to retry"),
    new Outcome(429, "rate limit exceeded for api key, request rejected"),
    new Outcome(400, "request rejected: quantity must be a positive number"),
    new Outcome(0, "slow response from inventory service"),
  };

  private static final Outcome[] ERROR_OUTCOMES = {
    new Outcome(500, "unhandled exception in request handler"),
    new Outcome(502, "payment provider returned bad gateway"),
    new Outcome(503, "database connection pool exhausted, request shed"),
    new Outcome(504, "upstream timed out waiting for inventory service"),
  };

  private final int customers;
  private final int busyCustomers;

  /**
   * @param customers how many distinct customers lines draw from, ids 0 to {@code customers - 1}
   */
  LogLineComposer(int customers) {
    this.customers = customers;
    this.busyCustomers = Math.min(BUSY_CUSTOMERS, customers);
  }

  /** Appends the rest of one line, without the timestamp and without the newline. */
  void composeTail(AsciiBuffer out, SeededRandom random) {
    int levelRoll = random.nextInt(100);
    Endpoint endpoint = ENDPOINTS[random.nextInt(ENDPOINTS.length)];
    // two draws whatever the number of customers: the default draws exactly what earlier versions
    // drew, and another number changes the customer ids only
    int customer =
        random.chance(BUSY_LINES_PER_MILLE)
            ? random.nextInt(busyCustomers)
            : random.nextInt(customers);

    int status;
    int millis;
    byte[] message;
    byte[] level;
    if (levelRoll < 70) {
      level = INFO;
      status = endpoint.okStatus;
      millis = random.chance(200) ? 1 + random.nextInt(900) : 1 + random.nextInt(80);
      message = endpoint.messages[random.nextInt(endpoint.messages.length)];
    } else if (levelRoll < 82) {
      level = DEBUG;
      status = endpoint.okStatus;
      millis = random.nextInt(15);
      message = DEBUG_MESSAGES[random.nextInt(DEBUG_MESSAGES.length)];
    } else if (levelRoll < 94) {
      level = WARN;
      Outcome outcome = WARN_OUTCOMES[random.nextInt(WARN_OUTCOMES.length)];
      boolean slow = outcome.status == 0;
      status = slow ? endpoint.okStatus : outcome.status;
      millis = slow ? 1000 + random.nextInt(4000) : 1 + random.nextInt(50);
      message = outcome.message;
    } else {
      level = ERROR;
      Outcome outcome = ERROR_OUTCOMES[random.nextInt(ERROR_OUTCOMES.length)];
      status = outcome.status;
      millis = status == 504 ? 5000 : 1 + random.nextInt(3000);
      message = outcome.message;
    }

    out.put(level).put(CUSTOMER_PREFIX).putZeroPadded(customer, 6).put((byte) ' ');
    out.put(endpoint.method).put((byte) ' ');
    endpoint.path.writeTo(out, customer, random);
    out.put((byte) ' ').putDecimal(status).put((byte) ' ').putDecimal(millis).put(MILLIS_SUFFIX);
    out.put(message);
  }

  private static Endpoint endpoint(String method, String path, int okStatus, String... messages) {
    return new Endpoint(ascii(method), PathTemplate.parse(path), okStatus, asciiAll(messages));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(US_ASCII);
  }

  private static byte[][] asciiAll(String... strings) {
    byte[][] encoded = new byte[strings.length][];
    for (int i = 0; i < strings.length; i++) {
      encoded[i] = ascii(strings[i]);
    }
    return encoded;
  }

  private record Endpoint(byte[] method, PathTemplate path, int okStatus, byte[][] messages) {}

  /** A non-success outcome; status 0 means "the endpoint's success status, but slow". */
  private record Outcome(int status, byte[] message) {
    Outcome(int status, String message) {
      this(status, ascii(message));
    }
  }

  /**
   * A path with placeholders: {@code #} becomes a random id, {@code @} the line's customer number.
   */
  private static final class PathTemplate {
    private final byte[][] literals;
    private final char[] placeholders;

    private PathTemplate(byte[][] literals, char[] placeholders) {
      this.literals = literals;
      this.placeholders = placeholders;
    }

    static PathTemplate parse(String template) {
      List<byte[]> literals = new ArrayList<>();
      StringBuilder placeholders = new StringBuilder();
      int start = 0;
      for (int i = 0; i < template.length(); i++) {
        char c = template.charAt(i);
        if (c == '#' || c == '@') {
          literals.add(ascii(template.substring(start, i)));
          placeholders.append(c);
          start = i + 1;
        }
      }
      literals.add(ascii(template.substring(start)));
      return new PathTemplate(
          literals.toArray(new byte[0][]), placeholders.toString().toCharArray());
    }

    void writeTo(AsciiBuffer out, int customer, SeededRandom random) {
      for (int i = 0; i < placeholders.length; i++) {
        out.put(literals[i]);
        if (placeholders[i] == '@') {
          out.putZeroPadded(customer, 6);
        } else {
          out.putDecimal(1000 + random.nextInt(99_000));
        }
      }
      out.put(literals[placeholders.length]);
    }
  }
}
