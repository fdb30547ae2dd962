package com.enterpriseadmin.local;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Serves the built web console ({@code web/dist}) on the API's origin, the local stand-in for the
 * CloudFront distribution of {@code template.yaml}: every path outside {@code /v1/} is a file of
 * the build, {@code /config.json} is the runtime configuration the stack wrote, and any other path
 * without a file extension is {@code index.html} (client-side routes). The security headers are the
 * ones the distribution's response headers policy sets (HSTS aside: it means nothing over http).
 */
public final class StaticConsole {

  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("json", "application/json"),
      Map.entry("map", "application/json"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("woff", "font/woff"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("txt", "text/plain; charset=utf-8"));

  private final Path root;
  private final Path config;
  private final String contentSecurityPolicy;

  /**
   * @param root the build folder ({@code web/dist})
   * @param config the {@code config.json} to serve, or null
   * @param connectSources origins besides 'self' the console may call (the Cognito endpoint)
   */
  public StaticConsole(Path root, Path config, List<String> connectSources) {
    this(root, config, connectSources, List.of());
  }

  /**
   * @param assetSources origins of the asset files (the local S3): the console posts uploads to them
   *     (connect-src) and shows image previews from them (img-src)
   */
  public StaticConsole(Path root, Path config, List<String> connectSources, List<String> assetSources) {
    this.root = root.toAbsolutePath().normalize();
    this.config = config;
    this.contentSecurityPolicy = contentSecurityPolicy(connectSources, assetSources);
  }

  /** The policy of the template's response headers policy, with the local Cognito endpoint. */
  static String contentSecurityPolicy(List<String> connectSources) {
    return contentSecurityPolicy(connectSources, List.of());
  }

  /** The same, with the local S3 endpoint (the template's assets bucket) in connect-src and img-src. */
  static String contentSecurityPolicy(List<String> connectSources, List<String> assetSources) {
    String assets = String.join(" ", assetSources).trim();
    String connect = (String.join(" ", connectSources).trim() + " " + assets).trim();
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:" + (assets.isEmpty() ? "" : " " + assets)
        + "; font-src 'self' data:; connect-src 'self'" + (connect.isEmpty() ? "" : " " + connect)
        + "; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
  }

  /** True for the paths the console owns: everything but the API's {@code /v1} tree. */
  public static boolean owns(String rawPath) {
    return !(rawPath.equals("/v1") || rawPath.startsWith("/v1/"));
  }

  /** Answers GET/HEAD; returns the status sent. */
  public int serve(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    Headers headers = exchange.getResponseHeaders();
    securityHeaders(headers);
    if (!method.equals("GET") && !method.equals("HEAD")) {
      headers.set("Allow", "GET, HEAD");
      return send(exchange, 405, "text/plain; charset=utf-8", "Method Not Allowed".getBytes(), false);
    }
    Resolved file = resolve(exchange.getRequestURI().getRawPath());
    if (file == null) {
      return send(exchange, 404, "text/plain; charset=utf-8", "Not Found".getBytes(), method.equals("HEAD"));
    }
    headers.set("Cache-Control", file.cacheControl());
    return send(exchange, 200, file.contentType(), Files.readAllBytes(file.path()), method.equals("HEAD"));
  }

  record Resolved(Path path, String contentType, String cacheControl) {}

  /** The file for a request path, or null (404). Never leaves the root. */
  Resolved resolve(String rawPath) {
    String path = java.net.URLDecoder.decode(rawPath.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    if (path.equals("/config.json") && config != null && Files.isRegularFile(config)) {
      return new Resolved(config, TYPES.get("json"), "no-store");
    }
    String relative = path.replaceFirst("^/+", "");
    if (!relative.isEmpty() && !relative.contains("\0")) {
      Path candidate = root.resolve(relative).normalize();
      if (candidate.startsWith(root) && Files.isRegularFile(candidate)) {
        String ext = extension(candidate.getFileName().toString());
        String type = TYPES.getOrDefault(ext, "application/octet-stream");
        // Vite names everything under assets/ by content hash: cache for a year.
        String cache = root.relativize(candidate).startsWith("assets") ? "public, max-age=31536000, immutable" : "no-cache";
        return new Resolved(candidate, type, cache);
      }
    }
    String last = relative.substring(relative.lastIndexOf('/') + 1);
    Path index = root.resolve("index.html");
    if (!last.contains(".") && Files.isRegularFile(index)) {
      return new Resolved(index, TYPES.get("html"), "no-cache");
    }
    return null;
  }

  private void securityHeaders(Headers headers) {
    headers.set("Content-Security-Policy", contentSecurityPolicy);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static int send(HttpExchange exchange, int status, String type, byte[] body, boolean head) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    if (head) {
      exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
      exchange.sendResponseHeaders(status, -1);
      return status;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    return status;
  }
}
