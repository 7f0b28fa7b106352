package dev.logmerge.http;

import static dev.logmerge.http.TestServices.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Real HTTP requests to one verticle, and the assertions every problem answer must pass. */
final class ApiClient {
  private static final String HOST = "127.0.0.1";

  private final Vertx vertx;
  private final int port;
  private final WebClient client;

  ApiClient(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
    this.client =
        WebClient.create(vertx, new WebClientOptions().setDefaultHost(HOST).setDefaultPort(port));
  }

  int port() {
    return port;
  }

  HttpResponse<Buffer> post(String path, String contentType, String body) {
    var request = client.post(path);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
  }

  HttpResponse<Buffer> postJson(String body) {
    return post("/initiate", "application/json", body);
  }

  HttpResponse<Buffer> initiate(String start, String end) {
    return postJson(new JsonObject().put("start_date", start).put("end_date", end).encode());
  }

  /** Initiates a job for the range and returns its id. */
  String initiated(String start, String end) {
    HttpResponse<Buffer> response = initiate(start, end);
    assertEquals(201, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getString("download_id");
  }

  HttpResponse<Buffer> get(String path) {
    return send(HttpMethod.GET, path, MultiMap.caseInsensitiveMultiMap());
  }

  HttpResponse<Buffer> head(String path) {
    return send(HttpMethod.HEAD, path, MultiMap.caseInsensitiveMultiMap());
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, MultiMap headers) {
    return await(client.request(method, path).putHeaders(headers).send());
  }

  /**
   * Sends one request as given (no body when null) and returns this server's own answer: a redirect
   * is not followed.
   */
  HttpResponse<Buffer> exchange(HttpMethod method, String uri, MultiMap headers, Buffer body) {
    var request = client.request(method, uri).putHeaders(headers).followRedirects(false);
    return await(body == null ? request.send() : request.sendBuffer(body));
  }

  /**
   * GETs the path on a connection of its own, hands the response (headers received) to {@code
   * onHead} to read the body as it arrives, and completes with the body's end.
   */
  Future<Void> stream(String path, Consumer<HttpClientResponse> onHead) {
    return stream(path, Map.of(), onHead);
  }

  /** Like {@link #stream(String, Consumer)}, sending these request headers. */
  Future<Void> stream(
      String path, Map<String, String> headers, Consumer<HttpClientResponse> onHead) {
    HttpClient http = vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setHost(HOST).setPort(port).setURI(path);
    headers.forEach(options::addHeader);
    return http.request(options)
        .compose(request -> request.send())
        .compose(
            response -> {
              onHead.accept(response);
              return response.end();
            })
        .eventually(() -> http.close());
  }

  /**
   * Asserts an RFC 9457 answer: the status, the problem media type, the stable type URI, a title,
   * the status and request path repeated in the body, and a detail containing each given fragment.
   */
  static JsonObject assertProblem(
      HttpResponse<Buffer> response,
      int status,
      String typeSlug,
      String path,
      String... detailFragments) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals("application/problem+json", response.getHeader("Content-Type"));
    JsonObject problem = response.bodyAsJsonObject();
    assertEquals(
        "https://logmerge.dev/problems/" + typeSlug, problem.getString("type"), problem.encode());
    assertFalse(problem.getString("title", "").isBlank(), problem.encode());
    assertEquals(status, problem.getInteger("status"));
    assertEquals(path, problem.getString("instance"));
    String detail = problem.getString("detail", "");
    for (String fragment : detailFragments) {
      assertTrue(
          detail.contains(fragment),
          "detail \"" + detail + "\" should contain \"" + fragment + "\"");
    }
    assertFalse(response.bodyAsString().contains("Exception"), "no exception leaks to the client");
    return problem;
  }

  /**
   * Asserts a problem that tells the client to come back: answered {@code within} the given time,
   * with {@code Retry-After}.
   */
  static void assertPromptProblemWithRetryAfter(
      Supplier<HttpResponse<Buffer>> request,
      Duration within,
      int status,
      String typeSlug,
      String path,
      String detailFragment) {
    long started = System.nanoTime();
    HttpResponse<Buffer> response = request.get();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertProblem(response, status, typeSlug, path, detailFragment);
    assertTrue(Integer.parseInt(response.getHeader("Retry-After")) > 0);
    assertTrue(took.compareTo(within) < 0, "answered after " + took);
  }
}
