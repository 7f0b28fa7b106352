package dev.logmerge.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * Swagger UI on the API's document: the page of {@code GET /docs} and the files it loads, all from
 * this server (the {@code org.webjars:swagger-ui} jar), so it works without internet access. Our
 * own {@code index.html} and {@code swagger-initializer.js} ({@value #OWN_FILES}) take the place of
 * the webjar's, which show a demo API from the internet.
 */
final class SwaggerUi {
  /** Where the files are served; the page names them under it. */
  static final String ASSETS_PATH = "/docs/swagger-ui/";

  private static final String OWN_FILES = "dev/logmerge/http/docs";

  /** Written by Maven resource filtering: the webjar's version, which names its folder. */
  private static final String VERSION_RESOURCE = "dev/logmerge/http/swagger-ui.properties";

  private static final String WEBJAR_FILES = "META-INF/resources/webjars/swagger-ui/";

  private final Buffer page;
  private final String webjarRoot;

  private SwaggerUi(Buffer page, String webjarRoot) {
    this.page = page;
    this.webjarRoot = webjarRoot;
  }

  /**
   * Reads the page and finds the webjar; blocks.
   *
   * @throws IllegalStateException when either is missing
   */
  static SwaggerUi load() {
    // no trailing slash: StaticHandler appends the request's path, which starts with one
    String root = WEBJAR_FILES + webjarVersion();
    if (SwaggerUi.class.getClassLoader().getResource(root + "/swagger-ui-bundle.js") == null) {
      throw new IllegalStateException("the Swagger UI webjar is missing: no " + root);
    }
    return new SwaggerUi(Buffer.buffer(ClasspathResource.read(OWN_FILES + "/index.html")), root);
  }

  /** {@code GET /docs}. */
  void sendPage(RoutingContext ctx) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .end(page)
        .onFailure(ctx::fail);
  }

  /**
   * The handlers of {@value #ASSETS_PATH}{@code *}, in order: our files, then the webjar's. A file
   * neither has falls through to the router's 404. No byte ranges: the files are small.
   */
  List<Handler<RoutingContext>> assetHandlers() {
    return List.of(
        StaticHandler.create(FileSystemAccess.RELATIVE, OWN_FILES).setEnableRangeSupport(false),
        StaticHandler.create(FileSystemAccess.RELATIVE, webjarRoot).setEnableRangeSupport(false));
  }

  /** The webjar's folder, under {@value #WEBJAR_FILES}, without a trailing slash. */
  String webjarRoot() {
    return webjarRoot;
  }

  private static String webjarVersion() {
    Properties properties = new Properties();
    try {
      properties.load(new ByteArrayInputStream(ClasspathResource.read(VERSION_RESOURCE)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + VERSION_RESOURCE, e);
    }
    String version = properties.getProperty("version", "");
    if (version.isBlank() || version.contains("${")) {
      throw new IllegalStateException(
          VERSION_RESOURCE
              + " names no Swagger UI version (was it filtered by Maven?): "
              + version);
    }
    return version;
  }
}
