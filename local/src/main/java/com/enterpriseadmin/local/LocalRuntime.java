package com.enterpriseadmin.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The local stand-in for API Gateway + Lambda + EventBridge, fed by {@code template.yaml}:
 *
 * <ul>
 *   <li>API port: the template's HttpApi routes, JWT-verified like the HTTP API JWT authorizer
 *       ({@code AWS_IAM} routes: SigV4-verified, {@link SigV4Verifier}),
 *       as payload-2.0 events to the handlers (in-process, one warm instance per function,
 *       invoked concurrently);
 *   <li>invoke port: the Lambda Invoke API ({@code POST /2015-03-31/functions/{name}/invocations})
 *       for cognito-local's triggers; {@code POST /local/schedules/{FunctionLogicalId}} fires a
 *       function's schedule now; {@code GET /local/health}; with {@code --dynamodb-faults},
 *       {@code GET /local/dynamodb-faults} (the faults injected so far, by kind) and
 *       {@code POST /local/dynamodb-faults} {@code {"active": false|true}} (pause / resume them);
 *   <li>the template's {@code Schedule} events, unless started with {@code --schedules off};
 *   <li>the template's {@code SQS} event sources ({@link QueuePollers});
 *   <li>the template's {@code DynamoDB} event sources on the table's stream ({@link StreamPollers}); the invoke
 *       port's {@code GET /local/streams} and {@code POST /local/streams} {@code {"redeliver": true|false}}
 *       (test knob: every batch delivered twice); {@code GET /local/outbox?to=ADDRESS} (the e-mails SES accepted);
 *   <li>with {@code --web-dir}, the built web console on the API port, outside {@code /v1/}.
 * </ul>
 *
 * <p>Runs in a JVM whose environment holds the functions' variables: {@link LocalStack} starts it.
 * One JSON log line per request on stdout.
 */
public final class LocalRuntime implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] NOT_FOUND = "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] UNAUTHORIZED = "{\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] TOO_MANY_REQUESTS = "{\"message\":\"Too Many Requests\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] INTERNAL_ERROR = "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8);

  /** What the runtime needs besides the template. */
  public record Settings(
      Path template, String host, int apiPort, int invokePort, String region,
      String jwksUrl, String issuer, List<String> audiences, boolean schedules, boolean streams, Map<String, String> parameters,
      StaticConsole console) {}

  private final Template template;
  private final Settings settings;
  private final Router router;
  private final Functions functions;
  private final JwtVerifier verifier;
  private final SigV4Verifier sigv4 = SigV4Verifier.local();
  private final RouteThrottles throttles;
  private final HttpServer api;
  private final HttpServer invoke;
  private final ExecutorService apiThreads = Executors.newFixedThreadPool(32);
  private final ExecutorService invokeThreads = Executors.newFixedThreadPool(8);
  private final QueuePollers queues;
  private final StreamPollers streams;
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "schedules");
    t.setDaemon(true);
    return t;
  });

  public LocalRuntime(Template template, Settings settings, JwtVerifier verifier) throws IOException {
    this.template = template;
    this.settings = settings;
    this.router = new Router(template.routes());
    this.functions = new Functions(template, settings.region());
    this.verifier = verifier;
    QueuePollers.Log pollerLog = new QueuePollers.Log() {
      @Override
      public void batch(Map<String, Object> line) {
        log(line);
      }

      @Override
      public void failure(String functionId, String requestId, Exception e) {
        logFailure(functionId, requestId, e);
      }
    };
    this.queues = new QueuePollers(template, functions, settings.region(), pollerLog);
    this.streams = new StreamPollers(template, functions, settings.region(), pollerLog);
    this.throttles = new RouteThrottles(template, settings.parameters(), settings.region(), System::nanoTime);
    api = HttpServer.create(new InetSocketAddress(settings.host(), settings.apiPort()), 128);
    api.setExecutor(apiThreads);
    api.createContext("/", this::serveApi);
    invoke = HttpServer.create(new InetSocketAddress(settings.host(), settings.invokePort()), 128);
    invoke.setExecutor(invokeThreads);
    invoke.createContext("/", this::serveInvoke);
  }

  public void start() {
    for (Template.Function f : template.functions().values()) {
      if (!functions.loadable(f)) {
        log(Map.of("type", "warning", "function", f.logicalId(), "message", "handler class not found: " + f.handlerClass()));
      }
    }
    api.start();
    invoke.start();
    queues.start();
    if (settings.streams()) {
      streams.start();
    } else {
      log(Map.of("type", "warning", "message", "table stream event sources off (--streams off): no notifier, no integration events"));
    }
    if (settings.schedules()) {
      for (Template.Schedule s : template.schedules()) {
        if (!s.enabled()) continue;
        try {
          ScheduleExpression expression = ScheduleExpression.parse(s.expression());
          scheduleNext(s, expression, ZonedDateTime.now(ZoneOffset.UTC));
        } catch (IllegalArgumentException e) {
          log(Map.of("type", "warning", "function", s.functionId(), "message",
              "schedule not run automatically (" + e.getMessage() + "); fire it with POST /local/schedules/" + s.functionId()));
        }
      }
    }
  }

  public int apiPort() {
    return api.getAddress().getPort();
  }

  public int invokePort() {
    return invoke.getAddress().getPort();
  }

  @Override
  public void close() {
    DynamoDbFaults.Counts faults = DynamoDbFaults.counts();
    if (faults != null) log(Map.of("type", "dynamodb-faults", "counts", faults));
    clock.shutdownNow();
    queues.close();
    streams.close();
    api.stop(0);
    invoke.stop(0);
    apiThreads.shutdownNow();
    invokeThreads.shutdownNow();
  }

  // ------------------------------------------------------------------------------ HTTP API

  private void serveApi(HttpExchange exchange) throws IOException {
    long started = System.nanoTime();
    String requestId = UUID.randomUUID().toString();
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "api");
    line.put("requestId", requestId);
    line.put("method", exchange.getRequestMethod());
    line.put("path", exchange.getRequestURI().getRawPath());
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String rawPath = exchange.getRequestURI().getRawPath();
      if (settings.console() != null && StaticConsole.owns(rawPath)) {
        line.put("type", "console");
        finish(line, settings.console().serve(exchange), started);
        return;
      }
      Optional<Router.Match> match = router.match(exchange.getRequestMethod(), rawPath);
      exchange.getResponseHeaders().add("apigw-requestid", requestId);
      if (match.isEmpty()) {
        reply(exchange, 404, NOT_FOUND, line, started);
        return;
      }
      Template.Route route = match.get().route();
      line.put("routeKey", route.routeKey());
      line.put("function", route.functionId());
      RouteThrottles.Decision throttle = throttles.admit(route.routeKey());
      if (!throttle.admitted()) {
        exchange.getResponseHeaders().set("Retry-After", Long.toString(throttle.retryAfterSeconds()));
        reply(exchange, 429, TOO_MANY_REQUESTS, line, started);
        return;
      }
      Map<String, String> iam = null;
      if (route.iam()) {
        // AWS_IAM: a SigV4 signature with a known key (the local one), as API Gateway checks it; 403 otherwise.
        SigV4Verifier.Result signed = sigv4.verify(exchange.getRequestMethod(), rawPath, exchange.getRequestURI().getRawQuery(),
            name -> exchange.getRequestHeaders().get(name), body);
        if (!signed.verified()) {
          reply(exchange, 403, JSON.writeValueAsBytes(Map.of("message", signed.refusal())), line, started);
          return;
        }
        iam = signed.identity().asMap();
        line.put("principal", signed.identity().userArn());
      }
      JWTClaimsSet claims = null;
      if (route.authorized()) {
        Optional<JWTClaimsSet> verified = verifier.verify(exchange.getRequestHeaders().getFirst("Authorization"));
        if (verified.isEmpty()) {
          reply(exchange, 401, UNAUTHORIZED, line, started);
          return;
        }
        claims = verified.get();
      }
      ApiEvents.Request request = new ApiEvents.Request(
          exchange.getRequestMethod(), rawPath, exchange.getRequestURI().getRawQuery(),
          new LinkedHashMap<>(exchange.getRequestHeaders()), body,
          exchange.getRemoteAddress().getAddress().getHostAddress(), exchange.getProtocol());
      ObjectNode event = ApiEvents.event(request, match.get(), claims, iam, requestId, Instant.now());
      ApiEvents.Response response;
      try {
        byte[] output = functions.invoke(template.function(route.functionId()), JSON.writeValueAsBytes(event), requestId);
        response = ApiEvents.response(output);
      } catch (Functions.InvocationException | RuntimeException e) {
        logFailure(route.functionId(), requestId, e);
        reply(exchange, 500, INTERNAL_ERROR, line, started);
        return;
      }
      response.headers().forEach((name, values) -> values.forEach(v -> exchange.getResponseHeaders().add(name, v)));
      response.cookies().forEach(c -> exchange.getResponseHeaders().add("Set-Cookie", c));
      write(exchange, response.statusCode(), response.body());
      finish(line, response.statusCode(), started);
    } catch (IOException | RuntimeException e) {
      line.put("error", e.toString());
      finish(line, 500, started);
    }
  }

  private void reply(HttpExchange exchange, int status, byte[] json, Map<String, Object> line, long started) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    write(exchange, status, json);
    finish(line, status, started);
  }

  private static void write(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  // ------------------------------------------------------------------------------ Invoke API

  private void serveInvoke(HttpExchange exchange) throws IOException {
    long started = System.nanoTime();
    String requestId = UUID.randomUUID().toString();
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "invoke");
    line.put("requestId", requestId);
    line.put("method", exchange.getRequestMethod());
    line.put("path", exchange.getRequestURI().getRawPath());
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
      if (method.equals("GET") && path.equals("/local/health")) {
        write(exchange, 200, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
        finish(line, 200, started);
        return;
      }
      if (method.equals("POST") && path.startsWith("/2015-03-31/functions/") && path.endsWith("/invocations")) {
        String name = URLDecoder.decode(path.substring("/2015-03-31/functions/".length(), path.length() - "/invocations".length()), StandardCharsets.UTF_8);
        invokeFunction(exchange, name, body, requestId, line, started);
        return;
      }
      if (path.equals("/local/dynamodb-faults") && (method.equals("GET") || method.equals("POST"))) {
        serveFaults(exchange, method, body, line, started);
        return;
      }
      if (method.equals("GET") && path.equals("/local/outbox")) {
        serveOutbox(exchange, exchange.getRequestURI().getRawQuery(), line, started);
        return;
      }
      if (path.equals("/local/streams") && (method.equals("GET") || method.equals("POST"))) {
        serveStreams(exchange, method, body, line, started);
        return;
      }
      if (method.equals("POST") && path.startsWith("/local/schedules/")) {
        fireSchedule(exchange, URLDecoder.decode(path.substring("/local/schedules/".length()), StandardCharsets.UTF_8), requestId, line, started);
        return;
      }
      exchange.getResponseHeaders().set("x-amzn-ErrorType", "UnknownOperationException");
      write(exchange, 404, "{\"message\":\"Unknown operation\"}".getBytes(StandardCharsets.UTF_8));
      finish(line, 404, started);
    } catch (IOException | RuntimeException e) {
      line.put("error", e.toString());
      finish(line, 500, started);
    }
  }

  /** The injected DynamoDB faults: GET their counts, POST {"active": bool} to pause or resume them. 404 when none were asked for. */
  private void serveFaults(HttpExchange exchange, String method, byte[] body, Map<String, Object> line, long started) throws IOException {
    int status = 200;
    if (method.equals("POST")) {
      com.fasterxml.jackson.databind.JsonNode active = body.length == 0 ? null : JSON.readTree(body).get("active");
      if (active == null || !active.isBoolean()) {
        write(exchange, 400, "{\"message\":\"send {\\\"active\\\": true|false}\"}".getBytes(StandardCharsets.UTF_8));
        finish(line, 400, started);
        return;
      }
      DynamoDbFaults.activate(active.booleanValue());
    }
    DynamoDbFaults.Counts counts = DynamoDbFaults.counts();
    if (counts == null) {
      status = 404;
      write(exchange, status, "{\"message\":\"no faults: the runtime was started without --dynamodb-faults\"}".getBytes(StandardCharsets.UTF_8));
    } else {
      write(exchange, status, JSON.writeValueAsBytes(counts));
    }
    finish(line, status, started);
  }

  private static final java.net.http.HttpClient MOTO = java.net.http.HttpClient.newBuilder()
      .connectTimeout(java.time.Duration.ofSeconds(5)).build();

  /**
   * The e-mails SES (moto) accepted, oldest first ({@code ?to=ADDRESS}: those to that address): read from the
   * moto that serves the table ({@code AWS_ENDPOINT_URL}), which keeps each SendEmail whole (tools/moto_server.py).
   */
  private void serveOutbox(HttpExchange exchange, String query, Map<String, Object> line, long started) throws IOException {
    String endpoint = System.getenv("AWS_ENDPOINT_URL");
    if (endpoint == null || endpoint.isBlank()) {
      write(exchange, 404, "{\"message\":\"no local SES: AWS_ENDPOINT_URL is not set\"}".getBytes(StandardCharsets.UTF_8));
      finish(line, 404, started);
      return;
    }
    try {
      java.net.http.HttpResponse<byte[]> answer = MOTO.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(endpoint + "/local/outbox" + (query == null ? "" : "?" + query))).timeout(java.time.Duration.ofSeconds(10)).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      write(exchange, answer.statusCode(), answer.body());
      finish(line, answer.statusCode(), started);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** The DynamoDB event sources' test knob: GET it, POST {"redeliver": bool} to deliver every batch twice (or once again). */
  private void serveStreams(HttpExchange exchange, String method, byte[] body, Map<String, Object> line, long started) throws IOException {
    if (method.equals("POST")) {
      com.fasterxml.jackson.databind.JsonNode redeliver = body.length == 0 ? null : JSON.readTree(body).get("redeliver");
      if (redeliver == null || !redeliver.isBoolean()) {
        write(exchange, 400, "{\"message\":\"send {\\\"redeliver\\\": true|false}\"}".getBytes(StandardCharsets.UTF_8));
        finish(line, 400, started);
        return;
      }
      streams.redeliver.set(redeliver.booleanValue());
    }
    write(exchange, 200, JSON.writeValueAsBytes(Map.of("redeliver", streams.redeliver.get(),
        "sources", template.streamEvents().stream().map(Template.StreamEvent::functionId).toList())));
    finish(line, 200, started);
  }

  private void invokeFunction(HttpExchange exchange, String name, byte[] body, String requestId,
                              Map<String, Object> line, long started) throws IOException {
    Optional<Template.Function> function = functions.find(name);
    if (function.isEmpty()) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", "ResourceNotFoundException");
      byte[] error = JSON.writeValueAsBytes(Map.of("Type", "User", "Message", "Function not found: " + name));
      write(exchange, 404, error);
      finish(line, 404, started);
      return;
    }
    line.put("function", function.get().logicalId());
    String invocationType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type")).orElse("RequestResponse");
    if (invocationType.equals("DryRun")) {
      write(exchange, 204, new byte[0]);
      finish(line, 204, started);
      return;
    }
    if (invocationType.equals("Event")) {
      invokeThreads.submit(() -> {
        try {
          functions.invoke(function.get(), body, requestId);
        } catch (Functions.InvocationException e) {
          logFailure(function.get().logicalId(), requestId, e);
        }
      });
      write(exchange, 202, new byte[0]);
      finish(line, 202, started);
      return;
    }
    exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
    try {
      byte[] output = functions.invoke(function.get(), body, requestId);
      write(exchange, 200, output);
      finish(line, 200, started);
    } catch (Functions.InvocationException e) {
      logFailure(function.get().logicalId(), requestId, e);
      exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
      write(exchange, 200, functionError(e));
      line.put("functionError", e.errorType());
      finish(line, 200, started);
    }
  }

  private void fireSchedule(HttpExchange exchange, String functionId, String requestId,
                            Map<String, Object> line, long started) throws IOException {
    Optional<Template.Schedule> schedule = template.schedules().stream().filter(s -> s.functionId().equals(functionId)).findFirst();
    line.put("function", functionId);
    if (schedule.isEmpty()) {
      write(exchange, 404, JSON.writeValueAsBytes(Map.of("message", "no Schedule event on function " + functionId)));
      finish(line, 404, started);
      return;
    }
    try {
      byte[] output = functions.invoke(template.function(functionId), scheduledEvent(schedule.get()), requestId);
      write(exchange, 200, output);
      finish(line, 200, started);
    } catch (Functions.InvocationException e) {
      logFailure(functionId, requestId, e);
      exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
      write(exchange, 500, functionError(e));
      finish(line, 500, started);
    }
  }

  private static byte[] functionError(Functions.InvocationException e) throws IOException {
    ObjectNode error = JSON.createObjectNode();
    error.put("errorMessage", e.getMessage());
    error.put("errorType", e.errorType());
    ArrayNode trace = error.putArray("stackTrace");
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    for (StackTraceElement el : cause.getStackTrace()) trace.add(el.toString());
    return JSON.writeValueAsBytes(error);
  }

  // ------------------------------------------------------------------------------ schedules

  /** The EventBridge "Scheduled Event" a schedule delivers. */
  byte[] scheduledEvent(Template.Schedule schedule) throws IOException {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "Scheduled Event");
    event.put("source", "aws.events");
    event.put("account", LocalAws.ACCOUNT_ID);
    event.put("time", DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    event.put("region", settings.region());
    event.putArray("resources").add("arn:aws:events:" + settings.region() + ":" + LocalAws.ACCOUNT_ID
        + ":rule/" + schedule.functionId() + schedule.eventName());
    event.putObject("detail");
    return JSON.writeValueAsBytes(event);
  }

  private void scheduleNext(Template.Schedule schedule, ScheduleExpression expression, ZonedDateTime after) {
    expression.next(after).ifPresent(at -> {
      long delay = Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
      clock.schedule(() -> {
        scheduleNext(schedule, expression, at);
        apiThreads.submit(() -> runSchedule(schedule));
      }, delay, TimeUnit.MILLISECONDS);
    });
  }

  private void runSchedule(Template.Schedule schedule) {
    long started = System.nanoTime();
    String requestId = UUID.randomUUID().toString();
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "schedule");
    line.put("requestId", requestId);
    line.put("function", schedule.functionId());
    line.put("schedule", schedule.expression());
    try {
      functions.invoke(template.function(schedule.functionId()), scheduledEvent(schedule), requestId);
      finish(line, 200, started);
    } catch (Functions.InvocationException | IOException e) {
      logFailure(schedule.functionId(), requestId, e);
      finish(line, 500, started);
    }
  }

  // ------------------------------------------------------------------------------ logging

  private static void finish(Map<String, Object> line, int status, long started) {
    line.put("status", status);
    line.put("durationMs", (System.nanoTime() - started) / 1_000_000);
    log(line);
  }

  private static void log(Map<String, Object> fields) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", Instant.now().toString());
    line.put("source", "local-runtime");
    line.putAll(fields);
    try {
      String text = JSON.writeValueAsString(line);
      synchronized (System.out) {
        System.out.println(text);
      }
    } catch (IOException e) {
      System.err.println(line);
    }
  }

  private static void logFailure(String functionId, String requestId, Exception e) {
    StringWriter trace = new StringWriter();
    (e.getCause() != null ? e.getCause() : e).printStackTrace(new PrintWriter(trace));
    Map<String, Object> line = new HashMap<>();
    line.put("type", "error");
    line.put("function", functionId);
    line.put("requestId", requestId);
    line.put("message", e.getMessage());
    line.put("stackTrace", trace.toString());
    log(line);
  }

  // ------------------------------------------------------------------------------ main

  /**
   * {@code LocalRuntime --template PATH --api-port N --invoke-port N --region R --jwks-url URL
   * --issuer ISS --audience CLIENT_ID [--host 127.0.0.1] [--schedules on|off] [--streams on|off] [--exit-with-parent]
   * [--web-dir DIR --web-config FILE --web-connect-src "ORIGIN ..." --web-asset-src "ORIGIN ..."] [--dynamodb-faults SPEC]}: with
   * {@code --web-dir}, the API port also serves the built console ({@link StaticConsole}) outside {@code /v1/};
   * with {@code --dynamodb-faults} the functions' DynamoDB calls meet injected faults ({@link DynamoDbFaults}).
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    Map<String, String> parameters = new LinkedHashMap<>();
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
      if (args[i].equals("--param") && i + 1 < args.length) {
        String[] kv = args[++i].split("=", 2);
        parameters.put(kv[0], kv.length > 1 ? kv[1] : "");
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) opts.put(args[i].substring(2), args[++i]);
      else flags.add(args[i].substring(2));
    }
    Settings settings = new Settings(
        Path.of(required(opts, "template")),
        opts.getOrDefault("host", "127.0.0.1"),
        Integer.parseInt(opts.getOrDefault("api-port", "3000")),
        Integer.parseInt(opts.getOrDefault("invoke-port", "3001")),
        required(opts, "region"),
        required(opts, "jwks-url"),
        required(opts, "issuer"),
        List.of(required(opts, "audience").split(",")),
        !"off".equals(opts.getOrDefault("schedules", "on")),
        !"off".equals(opts.getOrDefault("streams", "on")),
        parameters,
        opts.containsKey("web-dir") ? new StaticConsole(Path.of(opts.get("web-dir")),
            opts.containsKey("web-config") ? Path.of(opts.get("web-config")) : null,
            List.of(opts.getOrDefault("web-connect-src", "").split(" ")),
            List.of(opts.getOrDefault("web-asset-src", "").split(" "))) : null);
    if (opts.containsKey("dynamodb-faults")) {
      DynamoDbFaults.Spec faults = DynamoDbFaults.Spec.parse(opts.get("dynamodb-faults"));
      DynamoDbFaults.install(faults);
      log(Map.of("type", "dynamodb-faults", "spec", faults.toString()));
    }
    Template template = Template.load(settings.template());
    JwtVerifier verifier = new JwtVerifier(JwtVerifier.remoteKeys(settings.jwksUrl()), settings.issuer(), settings.audiences());
    LocalRuntime runtime = new LocalRuntime(template, settings, verifier);
    if (flags.contains("exit-with-parent")) exitWithParent();
    runtime.start();
    Runtime.getRuntime().addShutdownHook(new Thread(runtime::close));
    log(Map.of("type", "ready", "apiUrl", "http://" + settings.host() + ":" + runtime.apiPort(),
        "invokeUrl", "http://" + settings.host() + ":" + runtime.invokePort(),
        "routes", template.routes().stream().map(Template.Route::routeKey).toList()));
  }

  private static String required(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null) throw new IllegalArgumentException("missing --" + name);
    return v;
  }

  /** No orphan even if the orchestrator is killed with SIGKILL: exit when the parent is gone. */
  private static void exitWithParent() {
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    if (parent.isEmpty()) return;
    Thread watch = new Thread(() -> {
      parent.get().onExit().join();
      System.exit(0);
    }, "parent-watch");
    watch.setDaemon(true);
    watch.start();
  }
}
