package dev.logmerge.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.config.Setting;
import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.JobFailure;
import dev.logmerge.core.job.JobIds;
import dev.logmerge.core.job.JobKind;
import dev.logmerge.core.job.JobResult;
import dev.logmerge.core.job.JobState;
import dev.logmerge.core.metrics.LogmergeMeters;
import dev.logmerge.core.stats.DayRecord;
import dev.logmerge.core.stats.StatsRow;
import dev.logmerge.core.stats.StatsRow.StatusClasses;
import dev.logmerge.devservices.LocalPorts;
import dev.logmerge.http.OpenApiContract.Exchange;
import dev.logmerge.http.OpenApiContract.Operation;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.junit5.VertxExtension;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * The OpenAPI document ({@code openapi.yaml}) against the real service: the real HTTP verticle over
 * embedded Redis and S3, with real health-check handlers. The document must be valid OpenAPI 3.1;
 * the router's routes and the document's operations must be the same; every documented answer is
 * provoked and checked (status listed for its operation, headers, body against its schema), or
 * listed in {@link #NOT_PROVOKED} with the reason; and the problem types, failure codes and job
 * states of the code are the document's.
 */
@ExtendWith(VertxExtension.class)
class OpenApiContractTest {
  private static final byte[] RESULT = LogContent.bytes(64 * 1024 + 17);

  private static final String DEFECT_ONLY =
      "only a defect answers 500 internal-error here: every failure the code expects has a"
          + " problem type of its own";

  /** Documented answers this test cannot provoke, by operation and status, with the reason. */
  private static final Map<String, String> NOT_PROVOKED =
      Map.ofEntries(
          Map.entry("POST /initiate 500", DEFECT_ONLY),
          Map.entry("GET /status/{id} 500", DEFECT_ONLY),
          Map.entry("GET /metrics 500", DEFECT_ONLY),
          Map.entry("DELETE /download/{id} 500", DEFECT_ONLY),
          Map.entry("HEAD /status/{id} 500", DEFECT_ONLY),
          Map.entry("GET /customers/{customer_id}/stats 500", DEFECT_ONLY),
          Map.entry("GET /stats/days/{date} 500", DEFECT_ONLY),
          Map.entry("POST /stats/reindex 500", DEFECT_ONLY),
          Map.entry(
              "GET /health 500",
              DEFECT_ONLY + " (a probe reports a failing check as DOWN, 503, never as a failure)"),
          Map.entry(
              "GET /ready 500",
              DEFECT_ONLY + " (a probe reports a failing check as DOWN, 503, never as a failure)"),
          Map.entry(
              "GET /openapi.yaml 500",
              DEFECT_ONLY + " (the document is read when the verticle starts)"),
          Map.entry(
              "GET /openapi.json 500",
              DEFECT_ONLY + " (the document is read when the verticle starts)"),
          Map.entry("GET /docs 500", DEFECT_ONLY + " (the page is read when the verticle starts)"),
          Map.entry(
              "GET /docs/swagger-ui/{file} 500",
              DEFECT_ONLY + " (the files are read from the class path)"));

  private static final String INVALID_REQUEST = "invalid-request";
  private static final String CUSTOMER = "cust-004217";

  /** Whether the probes' checks are UP. */
  private static final AtomicBoolean checksUp = new AtomicBoolean(true);

  private static TestServices services;
  private static HttpVerticle verticle;
  private static OpenApiContract contract;
  private static ApiClient api;
  private static ApiClient redirecting;
  private static ApiClient storageRefusing;
  private static ApiClient queueOfOne;
  private static ApiClient jobStoreDown;

  /** One request whose answer is checked against the document. */
  private record Scenario(String name, int status, String problemType, Supplier<Exchange> run) {}

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path s3Dir) {
    services = TestServices.start(vertx, s3Dir, Map.of());
    verticle = services.deployVerticle(services.config, probes(vertx));
    api = new ApiClient(vertx, verticle.actualPort());
    contract = OpenApiContract.load(vertx, api.get("/openapi.json").bodyAsJsonObject());

    // the same S3 under another host name than S3_ENDPOINT, as DownloadRedirectApiTest does
    String publicEndpoint = "http://localhost:" + services.s3Server.endpoint().getPort();
    redirecting =
        services.deployApi(services.configWith(Map.of("S3_PUBLIC_ENDPOINT", publicEndpoint)));
    storageRefusing =
        services.deployApi(services.configWith(Map.of("S3_SECRET_KEY", "not-the-secret")));
    queueOfOne = services.deployApi(services.configWith(Map.of("MAX_QUEUED_JOBS", "1")));
    String closedPort = "redis://127.0.0.1:" + LocalPorts.resolve("test", 0);
    jobStoreDown = services.deployApi(services.config.with(Setting.REDIS_URL, closedPort));
  }

  @AfterAll
  static void stop() {
    services.close();
  }

  /**
   * The launcher's kind of probes: vertx-health-check handlers, here over a check we switch, and
   * the Prometheus scrape of a registry holding logmerge's meters.
   */
  private static ProbeRoutes probes(Vertx vertx) {
    HealthChecks liveness =
        HealthChecks.create(vertx).register("event-loops", promise -> promise.complete(status()));
    HealthChecks readiness =
        HealthChecks.create(vertx).register("redis", promise -> promise.complete(status()));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new LogmergeMeters(registry).jobInitiated();
    return new ProbeRoutes(
        HealthCheckHandler.createWithHealthChecks(liveness),
        HealthCheckHandler.createWithHealthChecks(readiness),
        PrometheusScrapingHandler.create(registry));
  }

  private static Status status() {
    return checksUp.get()
        ? Status.OK()
        : Status.KO(new JsonObject().put("reason", "switched off by the test"));
  }

  @Test
  void everyRouteOfTheRouterIsInTheDocument() {
    Set<String> documented = documentedOperations();
    List<String> missing =
        routedOperations().stream()
            .filter(routed -> documented.stream().noneMatch(doc -> sameOperation(routed, doc)))
            .map(routed -> "the router answers " + routed + ", which openapi.yaml does not list")
            .toList();
    assertTrue(missing.isEmpty(), String.join("\n", missing));
  }

  @Test
  void everyOperationOfTheDocumentIsRouted() {
    Set<String> routed = routedOperations();
    List<String> missing =
        documentedOperations().stream()
            .filter(doc -> routed.stream().noneMatch(route -> sameOperation(route, doc)))
            .map(doc -> "openapi.yaml lists " + doc + ", which the router does not answer")
            .toList();
    assertTrue(missing.isEmpty(), String.join("\n", missing));
  }

  @Test
  void declaresEachPathParameterInEachOperation() {
    List<String> findings = new ArrayList<>();
    JsonObject paths = contract.resolved().getJsonObject("paths");
    for (String template : OpenApiContract.names(paths)) {
      if (paths.getJsonObject(template).containsKey("parameters")) {
        // Swagger UI 5 does not show them for an OpenAPI 3.1 document
        findings.add(template + ": list its parameters in each operation, not on the path item");
      }
    }
    for (Operation operation : contract.operations()) {
      Matcher parameter = Pattern.compile("\\{([^}]+)\\}").matcher(operation.template());
      while (parameter.find()) {
        if (!operation
            .parameters()
            .contains("path:" + parameter.group(1).toLowerCase(Locale.ROOT))) {
          findings.add(
              operation.key() + ": the path parameter " + parameter.group(1) + " is not declared");
        }
      }
    }
    assertNoViolations(findings);
  }

  @Test
  void everyExampleOfTheDocumentMatchesItsSchema() {
    List<String> findings = new ArrayList<>();
    checkExamples(contract.resolved(), "#", findings);
    assertNoViolations(findings);
  }

  /**
   * Checks the {@code example} of each schema (against itself) and each media type, parameter or
   * header (against its {@code schema}), and the {@code examples} of a media type, under a node.
   */
  private static void checkExamples(Object node, String pointer, List<String> findings) {
    if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        checkExamples(array.getValue(i), pointer + "/" + i, findings);
      }
      return;
    }
    if (!(node instanceof JsonObject object)) {
      return;
    }
    JsonObject schema = object.getValue("schema") instanceof JsonObject s ? s : object;
    if (object.containsKey("example")) {
      findings.addAll(
          OpenApiContract.schemaViolations(
              "the example at " + pointer,
              schema,
              OpenApiContract.withoutAnnotations(object.getValue("example"))));
    }
    if (object.containsKey("schema") && object.getValue("examples") instanceof JsonObject named) {
      for (String name : OpenApiContract.names(named)) {
        findings.addAll(
            OpenApiContract.schemaViolations(
                "the example at " + pointer + "/examples/" + name,
                schema,
                OpenApiContract.withoutAnnotations(named.getJsonObject(name).getValue("value"))));
      }
    }
    for (String name : OpenApiContract.names(object)) {
      if (!name.equals("example") && !name.equals("examples")) {
        checkExamples(object.getValue(name), pointer + "/" + name.replace("/", "~1"), findings);
      }
    }
  }

  @Test
  void everyProblemExampleHasTheStatusItIsDocumentedUnder() {
    Map<String, JsonObject> responses = new LinkedHashMap<>();
    for (Operation operation : contract.operations()) {
      JsonObject byStatus = operation.responses();
      for (String status : OpenApiContract.names(byStatus)) {
        responses.put(operation.key() + " " + status, byStatus.getJsonObject(status));
      }
    }
    responses.put("unrouted 404", contract.component("responses", "NotFound"));
    responses.put("unrouted 405", contract.component("responses", "MethodNotAllowed"));
    List<String> findings = new ArrayList<>();
    responses.forEach(
        (answer, response) -> {
          int status = Integer.parseInt(answer.substring(answer.lastIndexOf(' ') + 1));
          JsonObject content = response.getJsonObject("content", new JsonObject());
          for (String mediaType : OpenApiContract.names(content)) {
            JsonObject media = content.getJsonObject(mediaType);
            List<Object> examples = new ArrayList<>();
            examples.add(media.getValue("example"));
            JsonObject named = media.getJsonObject("examples", new JsonObject());
            OpenApiContract.names(named)
                .forEach(name -> examples.add(named.getJsonObject(name).getValue("value")));
            for (Object example : examples) {
              // a problem's status; a probe's is UP or DOWN
              if (example instanceof JsonObject problem
                  && problem.getValue("status") instanceof Integer said
                  && said != status) {
                findings.add(answer + ": an example says status " + said);
              }
            }
          }
        });
    assertNoViolations(findings);
  }

  @Test
  void servesTheDocumentAsWrittenAndTheSameDocumentAsJson() {
    var yaml = api.get("/openapi.yaml");
    var json = api.get("/openapi.json");

    assertEquals(200, yaml.statusCode());
    assertArrayEquals(
        ClasspathResource.read(ApiDocument.RESOURCE),
        yaml.body().getBytes(),
        "GET /openapi.yaml sends the file as written");
    assertEquals(ApiDocument.parseYaml(yaml.bodyAsString()), json.bodyAsJsonObject());
    assertEquals("3.1.0", json.bodyAsJsonObject().getString("openapi"));
  }

  @Test
  void documentsEveryProblemTypeWithItsTitle() {
    Map<String, String> inCode = new TreeMap<>();
    for (ProblemType type : ProblemType.values()) {
      inCode.put(type.uri().toString(), type.title());
    }
    assertSameEntries(
        "components.schemas.ProblemType", inCode, oneOfConsts("ProblemType", "title"));
  }

  @Test
  void documentsEveryFailureCodeJobStateAndJobKind() {
    Map<String, String> codes = new TreeMap<>();
    for (FailureCode code : FailureCode.values()) {
      codes.put(code.code(), "");
    }
    Map<String, String> states = new TreeMap<>();
    for (JobState state : JobState.values()) {
      states.put(state.name(), "");
    }
    Map<String, String> kinds = new TreeMap<>();
    for (JobKind kind : JobKind.values()) {
      kinds.put(kind.code(), "");
    }

    assertSameEntries(
        "components.schemas.FailureCode",
        codes,
        oneOfConsts("FailureCode", "const").keySet().stream()
            .collect(Collectors.toMap(code -> code, code -> "")));
    assertSameEntries("components.schemas.JobState", states, enumOf("JobState"));
    assertSameEntries("components.schemas.JobKind", kinds, enumOf("JobKind"));
  }

  /** The values of an {@code enum} schema of the document. */
  private static Map<String, String> enumOf(String schema) {
    Map<String, String> values = new TreeMap<>();
    contract
        .component("schemas", schema)
        .getJsonArray("enum")
        .forEach(value -> values.put(String.valueOf(value), ""));
    return values;
  }

  /** Each difference between the code's values (with a text each) and the document's, by value. */
  private static void assertSameEntries(
      String schema, Map<String, String> inCode, Map<String, String> documented) {
    List<String> findings = new ArrayList<>();
    Set<String> values = new TreeSet<>(inCode.keySet());
    values.addAll(documented.keySet());
    for (String value : values) {
      if (!documented.containsKey(value)) {
        findings.add(schema + ": " + value + " is in the code but not in the document");
      } else if (!inCode.containsKey(value)) {
        findings.add(schema + ": " + value + " is in the document but not in the code");
      } else if (!inCode.get(value).equals(documented.get(value))) {
        findings.add(
            schema
                + ": "
                + value
                + " is \""
                + inCode.get(value)
                + "\" in the code but \""
                + documented.get(value)
                + "\" in the document");
      }
    }
    assertNoViolations(findings);
  }

  @Test
  void theDocsPageLoadsOnlyFilesOfThisServerAndShowsTheDocument() {
    String page = api.get("/docs").bodyAsString();
    List<String> files = new ArrayList<>();
    Matcher reference = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page);
    while (reference.find()) {
      files.add(reference.group(1));
    }

    assertFalse(files.isEmpty(), page);
    for (String file : files) {
      assertTrue(file.startsWith(SwaggerUi.ASSETS_PATH), file + " is not served by /docs");
      assertEquals(200, api.get(file).statusCode(), file);
    }
    String initializer = api.get(SwaggerUi.ASSETS_PATH + "swagger-initializer.js").bodyAsString();
    assertTrue(initializer.contains("url: \"/openapi.yaml\""), initializer);
    assertTrue(initializer.contains("validatorUrl: null"), "no call to the online validator");
    for (String text : List.of(page, initializer)) {
      assertFalse(
          text.contains("http://") || text.contains("https://"), "nothing from the internet");
    }
    assertEquals(page, api.get(SwaggerUi.ASSETS_PATH).bodyAsString(), "the webjar's index is ours");
    assertArrayEquals(
        ClasspathResource.read(SwaggerUi.load().webjarRoot() + "/swagger-ui-bundle.js"),
        api.get(SwaggerUi.ASSETS_PATH + "swagger-ui-bundle.js").body().getBytes());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/nowhere", "/download/a/b", "/openapi.yml", "/docs/other"})
  void answersAnUnknownPathWithTheDocumentedNotFound(String path) {
    Exchange exchange = call(api, HttpMethod.GET, path);

    assertEquals(404, exchange.response().statusCode());
    assertTrue(contract.operationFor(HttpMethod.GET, path).isEmpty(), "documented: " + path);
    assertNoViolations(
        contract.responseViolations(
            "GET " + path + " → 404 (components.responses.NotFound)",
            contract.component("responses", "NotFound"),
            exchange));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "PUT,     /initiate,                         POST",
    "PATCH,   /status/ID,                        'GET, HEAD'",
    "POST,    /download,                         'GET, HEAD'",
    "POST,    /health,                           GET",
    "HEAD,    /openapi.yaml,                     GET",
    "POST,    /docs,                             GET",
    "DELETE,  /docs/swagger-ui/swagger-ui.css,   GET",
    "POST,    /customers/cust-1/stats,           GET",
    "HEAD,    /stats/days/2019-08-20,            GET",
    "GET,     /stats/reindex,                    POST"
  })
  void answersAWrongMethodWithTheDocumentedMethodNotAllowed(
      HttpMethod method, String template, String allow) {
    String path = template.replace("ID", JobIds.newId());
    Exchange exchange = call(api, method, path);

    assertEquals(405, exchange.response().statusCode());
    assertEquals(allow, exchange.response().getHeader("Allow"));
    assertTrue(contract.operationFor(method, path).isEmpty(), "documented: " + method + " " + path);
    assertNoViolations(
        contract.responseViolations(
            method + " " + path + " → 405 (components.responses.MethodNotAllowed)",
            contract.component("responses", "MethodNotAllowed"),
            exchange));
  }

  @TestFactory
  Stream<DynamicTest> everyAnswerMatchesTheDocumentAndEveryDocumentedAnswerIsProvoked() {
    Set<String> provoked = new TreeSet<>();
    Stream<DynamicTest> answers =
        scenarios().stream()
            .map(scenario -> dynamicTest(scenario.name(), () -> check(scenario, provoked)));
    DynamicTest coverage =
        dynamicTest(
            "every documented answer is provoked above or listed in NOT_PROVOKED",
            () -> assertCoverage(provoked));
    return Stream.concat(answers, Stream.of(coverage));
  }

  private static void check(Scenario scenario, Set<String> provoked) {
    services.flushRedis();
    Exchange exchange = scenario.run().get();
    var response = exchange.response();
    assertEquals(scenario.status(), response.statusCode(), () -> response.bodyAsString());
    Operation operation =
        contract
            .operationFor(exchange.method(), exchange.path())
            .orElseThrow(
                () ->
                    new AssertionError(
                        exchange.method()
                            + " "
                            + exchange.path()
                            + " answered "
                            + response.statusCode()
                            + ", but the document has no operation for it"));
    provoked.add(operation.key() + " " + response.statusCode());
    List<String> violations = contract.violations(operation, exchange);
    assertTrue(
        violations.isEmpty(),
        () -> "scenario: " + scenario.name() + "\n" + String.join("\n", violations));
    if (scenario.problemType() != null && exchange.method() != HttpMethod.HEAD) {
      JsonObject problem = response.bodyAsJsonObject();
      assertEquals(
          "https://logmerge.dev/problems/" + scenario.problemType(), problem.getString("type"));
      assertEquals(response.statusCode(), problem.getInteger("status"), "status in the body");
    }
  }

  private static void assertCoverage(Set<String> provoked) {
    Set<String> documented = contract.documentedAnswers();
    List<String> findings = new ArrayList<>();
    for (String answer : documented) {
      if (!provoked.contains(answer) && !NOT_PROVOKED.containsKey(answer)) {
        findings.add(
            answer + " is documented, but neither provoked here nor listed in NOT_PROVOKED");
      }
    }
    NOT_PROVOKED.forEach(
        (answer, reason) -> {
          if (provoked.contains(answer)) {
            findings.add(answer + " is provoked: take it out of NOT_PROVOKED");
          } else if (!documented.contains(answer)) {
            findings.add(answer + " is in NOT_PROVOKED but not documented");
          }
        });
    assertNoViolations(findings);
  }

  private static void assertNoViolations(List<String> violations) {
    assertTrue(violations.isEmpty(), () -> String.join("\n", violations));
  }

  // --- the scenarios ---------------------------------------------------------------------------

  private static List<Scenario> scenarios() {
    List<Scenario> all = new ArrayList<>();
    initiate(all);
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
      download(all, method, "/download/%s");
      download(all, method, "/download?id=%s");
      status(all, method);
    }
    cancel(all);
    all.add(
        new Scenario(
            "GET /download/{id} of a DONE job with S3_PUBLIC_ENDPOINT set → 307",
            307,
            null,
            () -> call(redirecting, HttpMethod.GET, "/download/" + doneJob())));
    all.add(
        new Scenario(
            "GET /download?id= of a DONE job with S3_PUBLIC_ENDPOINT set → 307",
            307,
            null,
            () -> call(redirecting, HttpMethod.GET, "/download?id=" + doneJob())));
    all.add(
        new Scenario(
            "GET /download/{id} of a DONE job with Accept-Encoding: gzip → 200, gzip-encoded",
            200,
            null,
            () ->
                call(
                    api,
                    HttpMethod.GET,
                    "/download/" + doneJob(),
                    headers("Accept-Encoding", "gzip"),
                    null)));
    all.add(
        new Scenario(
            "GET /download/{id} with If-Range of another version → 200, the whole file",
            200,
            null,
            () ->
                call(
                    api,
                    HttpMethod.GET,
                    "/download/" + doneJob(),
                    headers("Range", "bytes=0-9", "If-Range", "\"another\""),
                    null)));
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
      all.add(
          new Scenario(
              method + " /download without an id → 400",
              400,
              INVALID_REQUEST,
              () -> call(api, method, "/download")));
      all.add(
          new Scenario(
              method + " /download?id= twice → 400",
              400,
              INVALID_REQUEST,
              () -> call(api, method, "/download?id=" + JobIds.newId() + "&id=" + JobIds.newId())));
    }
    customerStats(all);
    statsDays(all);
    reindex(all);
    statsJobs(all);
    probes(all);
    documentation(all);
    return all;
  }

  private static void initiate(List<Scenario> all) {
    all.add(
        new Scenario(
            "POST /initiate a valid range → 201",
            201,
            null,
            () -> initiate(api, "application/json", range("2019-08-19", "2019-08-23"))));
    all.add(
        new Scenario(
            "POST /initiate malformed JSON → 400",
            400,
            INVALID_REQUEST,
            () -> initiate(api, "application/json", "{\"start_date\": \"2019-08-19\",")));
    all.add(
        new Scenario(
            "POST /initiate a date that does not exist → 400",
            400,
            INVALID_REQUEST,
            () -> initiate(api, "application/json", range("2019-02-30", "2019-08-23"))));
    all.add(
        new Scenario(
            "POST /initiate a body over 16 KiB → 413",
            413,
            "payload-too-large",
            () -> initiate(api, "application/json", "{\"x\":\"" + "a".repeat(17 * 1024) + "\"}")));
    all.add(
        new Scenario(
            "POST /initiate a text/plain body → 415",
            415,
            "unsupported-media-type",
            () -> initiate(api, "text/plain", range("2019-08-19", "2019-08-23"))));
    all.add(
        new Scenario(
            "POST /initiate with MAX_QUEUED_JOBS jobs waiting → 503",
            503,
            "queue-full",
            () -> {
              queueOfOne.initiated("2019-08-19", "2019-08-23");
              return initiate(queueOfOne, "application/json", range("2019-08-19", "2019-08-23"));
            }));
    all.add(
        new Scenario(
            "POST /initiate while Redis is unreachable → 503",
            503,
            "job-store-unavailable",
            () -> initiate(jobStoreDown, "application/json", range("2019-08-19", "2019-08-23"))));
  }

  private static void download(List<Scenario> all, HttpMethod method, String uriFormat) {
    String form = method + " " + uriFormat.replace("%s", "{id}");
    all.add(
        new Scenario(
            form + " of a QUEUED job → 202",
            202,
            null,
            () ->
                call(api, method, uriFormat.formatted(api.initiated("2019-08-19", "2019-08-23")))));
    all.add(
        new Scenario(
            form + " of a RUNNING job → 202",
            202,
            null,
            () -> {
              String id = api.initiated("2019-08-19", "2019-08-23");
              services.claim(id);
              return call(api, method, uriFormat.formatted(id));
            }));
    all.add(
        new Scenario(
            form + " of a DONE job → 200",
            200,
            null,
            () -> call(api, method, uriFormat.formatted(doneJob()))));
    all.add(
        new Scenario(
            form + " of a DONE job with Range → 206",
            206,
            null,
            () ->
                call(
                    api,
                    method,
                    uriFormat.formatted(doneJob()),
                    headers("Range", "bytes=0-9"),
                    null)));
    all.add(
        new Scenario(
            form + " of a DONE job with If-None-Match of its ETag → 304",
            304,
            null,
            () -> {
              String id = doneJob();
              String etag = api.head("/download/" + id).getHeader("ETag");
              return call(
                  api, method, uriFormat.formatted(id), headers("If-None-Match", etag), null);
            }));
    all.add(
        new Scenario(
            form + " of a DONE job with a Range past its end → 416",
            416,
            "range-not-satisfiable",
            () ->
                call(
                    api,
                    method,
                    uriFormat.formatted(doneJob()),
                    headers("Range", "bytes=" + RESULT.length + "-"),
                    null)));
    all.add(
        new Scenario(
            form + " of a DONE job whose file is gone → 404",
            404,
            "result-expired",
            () -> {
              String id = api.initiated("2019-08-19", "2019-08-23");
              services.complete(
                  id, new JobResult(services.config.resultsBucket(), "gone-" + id, 10, "\"0123\""));
              return call(api, method, uriFormat.formatted(id));
            }));
    all.add(
        new Scenario(
            form + " of an unknown id → 404",
            404,
            "job-not-found",
            () -> call(api, method, uriFormat.formatted(JobIds.newId()))));
    all.add(
        new Scenario(
            form + " of a malformed id → 400",
            400,
            INVALID_REQUEST,
            () -> call(api, method, uriFormat.formatted("not-a-uuid"))));
    all.add(
        new Scenario(
            form + " of a CANCELLED job → 410",
            410,
            "job-cancelled",
            () -> call(api, method, uriFormat.formatted(cancelledJob()))));
    all.add(failedJob(method, uriFormat, FailureCode.NO_INPUT, 404));
    all.add(failedJob(method, uriFormat, FailureCode.INPUT_UNREADABLE, 500));
    all.add(failedJob(method, uriFormat, FailureCode.S3_UNAVAILABLE, 502));
    all.add(
        new Scenario(
            form + " of a DONE job while S3 refuses this server → 502",
            502,
            "storage-unavailable",
            () -> call(storageRefusing, method, uriFormat.formatted(doneJob()))));
    all.add(
        new Scenario(
            form + " while Redis is unreachable → 503",
            503,
            "job-store-unavailable",
            () -> call(jobStoreDown, method, uriFormat.formatted(JobIds.newId()))));
  }

  private static Scenario failedJob(
      HttpMethod method, String uriFormat, FailureCode code, int status) {
    return new Scenario(
        method
            + " "
            + uriFormat.replace("%s", "{id}")
            + " of a job FAILED with "
            + code.code()
            + " → "
            + status,
        status,
        "job-failed",
        () -> {
          String id = api.initiated("2019-08-19", "2019-08-23");
          services.fail(id, new JobFailure(code, "the worker's words about " + code.code()));
          return call(api, method, uriFormat.formatted(id));
        });
  }

  private static void status(List<Scenario> all, HttpMethod method) {
    String form = method + " /status/{id}";
    Map<String, Supplier<String>> jobs = new LinkedHashMap<>();
    jobs.put("QUEUED", () -> api.initiated("2019-08-19", "2019-08-23"));
    jobs.put(
        "RUNNING",
        () -> {
          String id = api.initiated("2019-08-19", "2019-08-23");
          services.claim(id);
          return id;
        });
    jobs.put("DONE", OpenApiContractTest::doneJob);
    jobs.put(
        "FAILED",
        () -> {
          String id = api.initiated("2019-08-19", "2019-08-23");
          services.fail(id, new JobFailure(FailureCode.NO_INPUT, "no file in the range"));
          return id;
        });
    jobs.put("CANCELLED", OpenApiContractTest::cancelledJob);
    jobs.put(
        "QUEUED again after a failed attempt",
        () -> {
          String id = api.initiated("2019-08-19", "2019-08-23");
          services.retryLater(id, new JobFailure(FailureCode.S3_UNAVAILABLE, "S3 timed out"));
          return id;
        });
    jobs.forEach(
        (state, job) ->
            all.add(
                new Scenario(
                    form + " of a " + state + " job → 200",
                    200,
                    null,
                    () -> call(api, method, "/status/" + job.get()))));
    all.add(
        new Scenario(
            form + " of a malformed id → 400",
            400,
            INVALID_REQUEST,
            () -> call(api, method, "/status/not-a-uuid")));
    all.add(
        new Scenario(
            form + " of an unknown id → 404",
            404,
            "job-not-found",
            () -> call(api, method, "/status/" + JobIds.newId())));
    all.add(
        new Scenario(
            form + " while Redis is unreachable → 503",
            503,
            "job-store-unavailable",
            () -> call(jobStoreDown, method, "/status/" + JobIds.newId())));
  }

  private static void cancel(List<Scenario> all) {
    String form = "DELETE /download/{id}";
    Map<String, Supplier<String>> cancellable = new LinkedHashMap<>();
    cancellable.put("QUEUED", () -> api.initiated("2019-08-19", "2019-08-23"));
    cancellable.put(
        "RUNNING",
        () -> {
          String id = api.initiated("2019-08-19", "2019-08-23");
          services.claim(id);
          return id;
        });
    cancellable.put("CANCELLED", OpenApiContractTest::cancelledJob);
    cancellable.forEach(
        (state, job) ->
            all.add(
                new Scenario(
                    form + " of a " + state + " job → 200",
                    200,
                    null,
                    () -> call(api, HttpMethod.DELETE, "/download/" + job.get()))));
    all.add(
        new Scenario(
            form + " of a DONE job → 409",
            409,
            "job-finished",
            () -> call(api, HttpMethod.DELETE, "/download/" + doneJob())));
    all.add(
        new Scenario(
            form + " of a FAILED job → 409",
            409,
            "job-finished",
            () -> {
              String id = api.initiated("2019-08-19", "2019-08-23");
              services.fail(id, new JobFailure(FailureCode.NO_INPUT, "no file in the range"));
              return call(api, HttpMethod.DELETE, "/download/" + id);
            }));
    all.add(
        new Scenario(
            form + " of an unknown id → 404",
            404,
            "job-not-found",
            () -> call(api, HttpMethod.DELETE, "/download/" + JobIds.newId())));
    all.add(
        new Scenario(
            form + " of a malformed id → 400",
            400,
            INVALID_REQUEST,
            () -> call(api, HttpMethod.DELETE, "/download/not-a-uuid")));
    all.add(
        new Scenario(
            form + " while Redis is unreachable → 503",
            503,
            "job-store-unavailable",
            () -> call(jobStoreDown, HttpMethod.DELETE, "/download/" + JobIds.newId())));
  }

  private static void customerStats(List<Scenario> all) {
    String form = "GET /customers/{customer_id}/stats";
    String week = "?from=2019-08-19&to=2019-08-23";
    all.add(
        new Scenario(
            form + " of a customer with rows → 200",
            200,
            null,
            () -> {
              indexWeek(Map.of(CUSTOMER, row("2019-08-21")));
              return call(api, HttpMethod.GET, "/customers/" + CUSTOMER + "/stats" + week);
            }));
    all.add(
        new Scenario(
            form + " of an unknown customer → 200, no days",
            200,
            null,
            () -> {
              indexWeek(Map.of(CUSTOMER, row("2019-08-21")));
              return call(api, HttpMethod.GET, "/customers/nobody/stats" + week);
            }));
    all.add(
        new Scenario(
            form + " without to → 200, through the newest indexed day",
            200,
            null,
            () -> {
              indexWeek(Map.of(CUSTOMER, row("2019-08-21")));
              return call(api, HttpMethod.GET, "/customers/" + CUSTOMER + "/stats?from=2019-08-20");
            }));
    all.add(
        new Scenario(
            form + " over days never indexed → 200, pending days",
            200,
            null,
            () -> {
              Exchange exchange =
                  call(api, HttpMethod.GET, "/customers/" + CUSTOMER + "/stats" + week);
              awaitQueuedJob();
              return exchange;
            }));
    Map<String, String> invalid = new LinkedHashMap<>();
    invalid.put("a malformed customer id", "/customers/cust%20004217/stats" + week);
    invalid.put("no from", "/customers/" + CUSTOMER + "/stats?to=2019-08-23");
    invalid.put("a from that does not exist", "/customers/" + CUSTOMER + "/stats?from=2019-02-30");
    invalid.put(
        "a to that does not exist",
        "/customers/" + CUSTOMER + "/stats?from=2019-08-19&to=2019-8-23");
    invalid.put("from after to", "/customers/" + CUSTOMER + "/stats?from=2019-08-23&to=2019-08-19");
    invalid.put(
        "a range longer than MAX_RANGE_DAYS",
        "/customers/" + CUSTOMER + "/stats?from=2019-01-01&to=2020-12-31");
    invalid.put("from twice", "/customers/" + CUSTOMER + "/stats?from=2019-08-19&from=2019-08-20");
    invalid.forEach(
        (what, uri) ->
            all.add(
                new Scenario(
                    form + " with " + what + " → 400",
                    400,
                    INVALID_REQUEST,
                    () -> call(api, HttpMethod.GET, uri))));
    all.add(
        new Scenario(
            form + " while Redis is unreachable → 503",
            503,
            "job-store-unavailable",
            () -> call(jobStoreDown, HttpMethod.GET, "/customers/" + CUSTOMER + "/stats" + week)));
  }

  private static void statsDays(List<Scenario> all) {
    String form = "GET /stats/days/{date}";
    all.add(
        new Scenario(
            form + " of an indexed day → 200",
            200,
            null,
            () -> {
              indexWeek(Map.of(CUSTOMER, row("2019-08-21")));
              return call(api, HttpMethod.GET, "/stats/days/2019-08-21");
            }));
    all.add(
        new Scenario(
            form + " of a day never indexed → 404",
            404,
            "day-not-indexed",
            () -> call(api, HttpMethod.GET, "/stats/days/2019-08-21")));
    all.add(
        new Scenario(
            form + " of a day that does not exist → 400",
            400,
            INVALID_REQUEST,
            () -> call(api, HttpMethod.GET, "/stats/days/2019-02-30")));
    all.add(
        new Scenario(
            form + " while Redis is unreachable → 503",
            503,
            "job-store-unavailable",
            () -> call(jobStoreDown, HttpMethod.GET, "/stats/days/2019-08-21")));
  }

  private static void reindex(List<Scenario> all) {
    String form = "POST /stats/reindex";
    all.add(
        new Scenario(
            form + " a valid range → 202",
            202,
            null,
            () -> reindex(api, "application/json", range("2019-08-19", "2019-08-23"))));
    all.add(
        new Scenario(
            form + " an end before the start → 400",
            400,
            INVALID_REQUEST,
            () -> reindex(api, "application/json", range("2019-08-23", "2019-08-19"))));
    all.add(
        new Scenario(
            form + " a body over 16 KiB → 413",
            413,
            "payload-too-large",
            () -> reindex(api, "application/json", "{\"x\":\"" + "a".repeat(17 * 1024) + "\"}")));
    all.add(
        new Scenario(
            form + " a text/plain body → 415",
            415,
            "unsupported-media-type",
            () -> reindex(api, "text/plain", range("2019-08-19", "2019-08-23"))));
    all.add(
        new Scenario(
            form + " with MAX_QUEUED_JOBS jobs waiting → 503",
            503,
            "queue-full",
            () -> {
              queueOfOne.initiated("2019-08-19", "2019-08-23");
              return reindex(queueOfOne, "application/json", range("2019-08-19", "2019-08-23"));
            }));
    all.add(
        new Scenario(
            form + " while Redis is unreachable → 503",
            503,
            "job-store-unavailable",
            () -> reindex(jobStoreDown, "application/json", range("2019-08-19", "2019-08-23"))));
  }

  /** A statistics job on the routes of jobs: /status shows it, /download knows no such download. */
  private static void statsJobs(List<Scenario> all) {
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
      all.add(
          new Scenario(
              method + " /status/{id} of a stats job → 200",
              200,
              null,
              () -> call(api, method, "/status/" + statsJob())));
      for (String uriFormat : List.of("/download/%s", "/download?id=%s")) {
        all.add(
            new Scenario(
                method + " " + uriFormat.replace("%s", "{id}") + " of a stats job → 404",
                404,
                "job-not-found",
                () -> call(api, method, uriFormat.formatted(statsJob()))));
      }
    }
    all.add(
        new Scenario(
            "DELETE /download/{id} of a stats job → 404",
            404,
            "job-not-found",
            () -> call(api, HttpMethod.DELETE, "/download/" + statsJob())));
  }

  private static Exchange reindex(ApiClient client, String contentType, String body) {
    return call(
        client,
        HttpMethod.POST,
        "/stats/reindex",
        headers("Content-Type", contentType),
        Buffer.buffer(body, StandardCharsets.UTF_8.name()));
  }

  private static String statsJob() {
    HttpResponse<Buffer> queued =
        api.post("/stats/reindex", "application/json", range("2019-08-19", "2019-08-23"));
    assertEquals(202, queued.statusCode(), queued.bodyAsString());
    return queued.bodyAsJsonObject().getString("download_id");
  }

  /**
   * Plays the statistics workers: indexes 2019-08-19 to 2019-08-23, with these rows on the 21st.
   */
  private static void indexWeek(Map<String, StatsRow> rowsOfThe21st) {
    for (LocalDate day : DateRange.parse("2019-08-19", "2019-08-23").dates()) {
      Map<String, StatsRow> rows =
          day.equals(LocalDate.parse("2019-08-21")) ? rowsOfThe21st : Map.of();
      services.indexDay(
          new DayRecord(
              day,
              Instant.parse("2019-08-24T10:16:02.345Z"),
              "fingerprint-" + day,
              3,
              131_072,
              1500,
              2,
              rows.size(),
              Map.of(day.minusDays(1), 4L)),
          rows);
    }
  }

  private static StatsRow row(String date) {
    return new StatsRow(
        LocalDate.parse(date), 121, 3, new StatusClasses(0, 101, 9, 8, 3), 5046, 37, 212, 1);
  }

  /**
   * Waits until a query's request to index its pending days has queued its job, which the query's
   * answer does not wait for: the next scenario's Redis must not receive it.
   */
  private static void awaitQueuedJob() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (services.queuedJobIds().isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the query queued no job for its pending days");
      Thread.onSpinWait();
    }
  }

  private static String cancelledJob() {
    String id = api.initiated("2019-08-19", "2019-08-23");
    HttpResponse<Buffer> cancelled =
        api.send(HttpMethod.DELETE, "/download/" + id, MultiMap.caseInsensitiveMultiMap());
    assertEquals(200, cancelled.statusCode(), cancelled.bodyAsString());
    return id;
  }

  private static void probes(List<Scenario> all) {
    all.add(
        new Scenario("GET /metrics → 200", 200, null, () -> call(api, HttpMethod.GET, "/metrics")));
    for (String probe : List.of("/health", "/ready")) {
      all.add(
          new Scenario(
              "GET " + probe + " with every check UP → 200",
              200,
              null,
              () -> call(api, HttpMethod.GET, probe)));
      all.add(
          new Scenario(
              "GET " + probe + " with a check DOWN → 503",
              503,
              null,
              () -> {
                checksUp.set(false);
                try {
                  return call(api, HttpMethod.GET, probe);
                } finally {
                  checksUp.set(true);
                }
              }));
    }
  }

  private static void documentation(List<Scenario> all) {
    for (String path : List.of("/openapi.yaml", "/openapi.json", "/docs")) {
      all.add(
          new Scenario("GET " + path + " → 200", 200, null, () -> call(api, HttpMethod.GET, path)));
    }
    for (String file :
        List.of(
            "swagger-ui-bundle.js",
            "swagger-ui.css",
            "swagger-initializer.js",
            "favicon-32x32.png")) {
      all.add(
          new Scenario(
              "GET /docs/swagger-ui/" + file + " → 200",
              200,
              null,
              () -> call(api, HttpMethod.GET, SwaggerUi.ASSETS_PATH + file)));
    }
    all.add(
        new Scenario(
            "GET /docs/swagger-ui/{file} with If-Modified-Since its Last-Modified → 304",
            304,
            null,
            () -> {
              String uri = SwaggerUi.ASSETS_PATH + "swagger-ui.css";
              String lastModified = api.get(uri).getHeader("Last-Modified");
              return call(
                  api, HttpMethod.GET, uri, headers("If-Modified-Since", lastModified), null);
            }));
    all.add(
        new Scenario(
            "GET /docs/swagger-ui/{file} of a file it does not have → 404",
            404,
            "not-found",
            () -> call(api, HttpMethod.GET, SwaggerUi.ASSETS_PATH + "missing.js")));
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static Exchange call(ApiClient client, HttpMethod method, String uri) {
    return call(client, method, uri, MultiMap.caseInsensitiveMultiMap(), null);
  }

  private static Exchange call(
      ApiClient client, HttpMethod method, String uri, MultiMap headers, Buffer body) {
    return new Exchange(method, uri, headers, client.exchange(method, uri, headers, body));
  }

  private static Exchange initiate(ApiClient client, String contentType, String body) {
    return call(
        client,
        HttpMethod.POST,
        "/initiate",
        headers("Content-Type", contentType),
        Buffer.buffer(body, StandardCharsets.UTF_8.name()));
  }

  private static String range(String start, String end) {
    return new JsonObject().put("start_date", start).put("end_date", end).encode();
  }

  private static String doneJob() {
    String key = "result-" + JobIds.newId();
    return services.doneJob(api, services.storeResult(key, AsyncRequestBody.fromBytes(RESULT)));
  }

  private static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  // --- routes against operations --------------------------------------------------------------

  /**
   * The router's routes as operations, {@code GET /download/{id}}; a prefix route such as {@code
   * /docs/swagger-ui/*} stands for one last path parameter, {@code /docs/swagger-ui/{*}}. Routes
   * without a path only add handlers to others (the failure handler).
   */
  private static Set<String> routedOperations() {
    Set<String> operations = new TreeSet<>();
    for (Route route : verticle.router().getRoutes()) {
      if (route.getPath() == null) {
        // a route by regex would need its paths listed by hand; a route without any path only adds
        // handlers to the others (the failure handler)
        assertFalse(route.isRegexPath(), "a route by regex cannot be compared with the document");
        continue;
      }
      assertFalse(
          route.methods() == null || route.methods().isEmpty(),
          "the route "
              + route.getPath()
              + " answers every method: give it its methods, so the document can list them");
      String path =
          Arrays.stream(route.getPath().split("/", -1))
              .map(segment -> segment.startsWith(":") ? "{" + segment.substring(1) + "}" : segment)
              .collect(Collectors.joining("/"));
      String template = route.isExactPath() ? path : path + "{*}";
      route.methods().forEach(method -> operations.add(method.name() + " " + template));
    }
    return operations;
  }

  private static Set<String> documentedOperations() {
    return contract.operations().stream()
        .map(Operation::key)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static boolean sameOperation(String routed, String documented) {
    if (routed.equals(documented)) {
      return true;
    }
    if (!routed.endsWith("{*}")) {
      return false;
    }
    String prefix = routed.substring(0, routed.length() - "{*}".length());
    String rest = documented.startsWith(prefix) ? documented.substring(prefix.length()) : "";
    return rest.matches("\\{[^/{}]+\\}");
  }

  /**
   * The {@code const} of each {@code oneOf} branch of a schema of the document, with another member
   * of the branch (its {@code title}, say).
   */
  private static Map<String, String> oneOfConsts(String schema, String member) {
    Map<String, String> consts = new TreeMap<>();
    for (Object branch : contract.component("schemas", schema).getJsonArray("oneOf")) {
      JsonObject json = (JsonObject) branch;
      consts.put(json.getString("const"), json.getString(member));
    }
    return consts;
  }
}
