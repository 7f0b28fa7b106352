package dev.logmerge.http;

import static dev.logmerge.http.ApiClient.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.logmerge.core.job.JobIds;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests outside the API still get problem documents: 404 for unknown paths, 405 with Allow for
 * wrong methods.
 */
@ExtendWith(VertxExtension.class)
class ApiRoutesTest {
  private static final String ID = JobIds.newId();

  private static TestServices services;
  private static ApiClient api;

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path s3Dir) {
    services = TestServices.start(vertx, s3Dir, Map.of());
    api = services.deployApi(services.config);
  }

  @AfterAll
  static void stop() {
    services.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/", "/initiate/extra", "/downloads/x", "/status", "/status/a/b", "/favicon.ico"})
  void answersUnknownPathsWith404(String path) {
    assertProblem(api.get(path), 404, "not-found", path, path);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET,    /initiate,            POST",
    "GET,    /initiate/,           POST",
    "PUT,    /initiate,            POST",
    "POST,   /download/ID,       'DELETE, GET, HEAD'",
    "DELETE, /download,            'GET, HEAD'",
    "DELETE, /status/ID,         'GET, HEAD'",
    "POST,   /download,            'GET, HEAD'",
    "OPTIONS, /download,           'GET, HEAD'",
    "PATCH,  /status/ID,         'GET, HEAD'"
  })
  void answersAWrongMethodWith405AndAllow(HttpMethod method, String path, String allow) {
    String realPath = path.replace("ID", ID);

    var response = api.send(method, realPath, MultiMap.caseInsensitiveMultiMap());

    assertProblem(response, 405, "method-not-allowed", realPath, method.name());
    assertEquals(allow, response.getHeader("Allow"));
  }
}
